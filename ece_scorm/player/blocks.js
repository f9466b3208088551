/* ECE player — interactive blocks: disclosures (accordion, flip cards, hotspots), tabs, steps and the branching
 * scenario (docs/ARCHITECTURE.md §2). Everything is delegated from `document`, so a page whose DOM is made
 * later than boot works as it is; only a scenario's restored choice needs painting, done on insertion too. */
(function (ECE) {
  "use strict";
  function C() { return ECE._core; }
  function all(sel, ctx) { return Array.prototype.slice.call((ctx || document).querySelectorAll(sel)); }
  function tl(el, key, vars) { return ECE.i18n.tl(C() ? C().langOf(el) : ECE.i18n.lang, key, vars); }

  /* ---------- disclosures: every button naming the panel (a hotspot's marker and its list entry) follows it */

  function toggle(btn) {
    var id = btn.getAttribute("aria-controls"), panel = document.getElementById(id);
    if (!panel) return;
    panel.hidden = !panel.hidden;
    all("[aria-controls='" + id + "'][data-toggle]").forEach(function (b) {
      b.setAttribute("aria-expanded", String(!panel.hidden));
      var card = b.closest(".ece-card");
      if (card) card.classList.toggle("ece-flipped", !panel.hidden);
    });
  }

  /* ---------- tabs (WAI-ARIA APG, automatic activation): arrows, Home and End move and select */

  function selectTab(tab, focus) {
    var list = tab.closest("[role='tablist']");
    all("[role='tab']", list).forEach(function (t) {
      var on = t === tab, panel = document.getElementById(t.getAttribute("aria-controls"));
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      if (panel) panel.hidden = !on;
    });
    if (focus) tab.focus();
  }

  function tabKey(e) {
    var tab = e.target, keys = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
    var move = keys[e.key];
    if (!move) return;
    var tabs = all("[role='tab']", tab.closest("[role='tablist']")), i = tabs.indexOf(tab), n = tabs.length;
    var to = move === "first" ? 0 : move === "last" ? n - 1 : (i + move + n) % n;
    e.preventDefault();
    selectTab(tabs[to], true);
  }

  /* ---------- steps: one at a time, focus on the new step's heading; no control that cannot act */

  function goStep(btn) {
    var box = btn.closest("[data-steps]"), items = all("[data-pstep]", box), n = items.length, at = 0;
    items.forEach(function (li, i) { if (!li.hidden) at = i; });
    var to = Math.max(0, Math.min(n - 1, at + +btn.getAttribute("data-steps-go")));
    items.forEach(function (li, i) { li.hidden = i !== to; });
    all("[data-steps-go]", box).forEach(function (b) {
      b.hidden = +b.getAttribute("data-steps-go") < 0 ? to === 0 : to === n - 1;
    });
    box.querySelector("[data-steps-at]").textContent = tl(box, "stepOf", { n: to + 1, total: n });
    var h = items[to].firstElementChild;
    if (h) h.focus();
  }

  /* ---------- branching scenario: the choice is an interaction (never scored) kept in the resume state */

  var reopened = {};  // scenarios the learner reopened to try another choice (this session only)

  function scenarioAt(box) {
    var id = box.getAttribute("data-scenario"), list = C().D.scenarios || [];
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return i;
    return -1;
  }

  function choose(box) {
    var c = C(), si = scenarioAt(box), sc = c.D.scenarios[si], picked = box.querySelector("input[data-sc]:checked");
    if (si < 0 || c.closed) return;
    if (!picked) {
      box.querySelector("[data-sc-hint]").hidden = false;
      return c.announce(tl(box, "chooseFirst"));
    }
    var ci = +picked.getAttribute("data-sc"), choice = sc.choices[ci];
    c.S.scenarios[si] = ci;
    delete reopened[sc.id];
    c.record({
      type: "answer", kind: "choice", scored: false, interactionId: "s." + sc.id,
      activityId: c.base() + "/scenario/" + sc.id, prompt: sc.question,
      choices: sc.choices.map(function (ch) { return { id: ch.id, text: ch.text }; }),
      response: [choice.id], correct: sc.best.slice(),
      success: sc.best.length ? sc.best.indexOf(choice.id) >= 0 : null, attempt: 1,
      latencyMs: Date.now() - c.pageShownAt, timestamp: c.now()
    });
    c.save();
    paint();
    var fb = box.querySelector("[data-sc-fb]");
    fb.focus();
    c.announce(all("[data-sc-said], [data-sc-fb-choice]:not([hidden])", fb).map(function (p) {
      return p.textContent.trim();
    }).join(" "));
  }

  function again(box) {
    var sc = C().D.scenarios[scenarioAt(box)];
    if (!sc) return;
    reopened[sc.id] = true;
    all("[data-scenario='" + sc.id + "'] input[data-sc]").forEach(function (el) { el.checked = false; });
    paint();
    var first = box.querySelector("input[data-sc]");
    if (first) first.focus();
  }

  /** Paint each scenario's state into its copy in every language (boot, language change, resume, late DOM). */
  function paint() {
    var c = C();
    if (!c || !c.S || !c.S.scenarios) return;
    all("[data-scenario]").forEach(function (box) {
      var si = scenarioAt(box);
      if (si < 0) return;
      var sc = c.D.scenarios[si], chosen = c.S.scenarios[si], shown = chosen >= 0 && !reopened[sc.id];
      all("input[data-sc]", box).forEach(function (el) {
        if (shown) el.checked = +el.getAttribute("data-sc") === chosen;
        el.disabled = shown || c.closed;
      });
      box.querySelector("[data-sc-go='choose']").hidden = shown;
      box.querySelector("[data-sc-hint]").hidden = true;
      var fb = box.querySelector("[data-sc-fb]");
      fb.hidden = !shown;
      all("[data-sc-fb-choice]", fb).forEach(function (p) { p.hidden = +p.getAttribute("data-sc-fb-choice") !== chosen; });
      if (shown) {
        var label = box.querySelector("label[for='" + box.querySelector("input[data-sc='" + chosen + "']").id + "']");
        fb.querySelector("[data-sc-said]").textContent = tl(box, "scenarioChoice", { choice: label.textContent.trim() });
      }
    });
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("button");
    if (!btn) return;
    if (btn.hasAttribute("data-toggle")) toggle(btn);
    else if (btn.hasAttribute("data-tab")) selectTab(btn, false);
    else if (btn.hasAttribute("data-steps-go")) goStep(btn);
    else if (btn.hasAttribute("data-sc-go") && C() && C().S) {
      var box = btn.closest("[data-scenario]");
      if (btn.getAttribute("data-sc-go") === "choose") choose(box); else again(box);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.target.getAttribute && e.target.getAttribute("role") === "tab") tabKey(e);
  });
  document.addEventListener("change", function (e) {
    var box = e.target.hasAttribute && e.target.hasAttribute("data-sc") && e.target.closest("[data-scenario]");
    if (box) box.querySelector("[data-sc-hint]").hidden = true;
  });
  // A page instantiated after boot (lazy pages) gets its scenarios' restored choices when it is inserted.
  if (typeof MutationObserver === "function") {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        for (var j = 0; j < records[i].addedNodes.length; j++) {
          var n = records[i].addedNodes[j];
          if (n.nodeType === 1 && (n.hasAttribute("data-scenario") || n.querySelector("[data-scenario]"))) return paint();
        }
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  ECE.blocks = { paint: paint };
})(window.ECE = window.ECE || {});

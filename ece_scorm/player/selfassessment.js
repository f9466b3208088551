/* ECE player — self-assessment flow: pillar choice, Likert items, free texts, the printable plan, and
 * re-administration (earlier administrations kept in the resume state, state.js; ARCHITECTURE §3 ids). */
(function (ECE) {
  "use strict";
  var DAY = 86400000, printName = "";
  function C() { return ECE._core; }
  function today() { return Math.floor(Date.now() / DAY); }

  function prompts() {
    var sa = C().D.selfAssessment, out = {};
    sa.pillars.forEach(function (p) { p.reflections.forEach(function (r) { out[r.id] = r; }); });
    sa.reflections.concat(plan(sa)).forEach(function (r) { out[r.id] = r; });
    return out;
  }

  /** Return the plan's prompts in the order they are asked and printed (model.SelfAssessment.plan_prompts). */
  function plan(sa) {
    var out = [sa.strength, sa.opportunity, sa.firstStep, sa.firstStepLead];
    if (sa.firstStepWhen) out.push(sa.firstStepWhen);
    return out;
  }

  /** Return the interaction id suffix of the current administration: none for the first (ARCHITECTURE §3). */
  function suffix(S) { return S.sa.admin > 1 ? ".a" + S.sa.admin : ""; }

  /** Date the administration from its first answer, so an untouched new assessment keeps its start day. */
  function stamp(S) { if (!S.sa.date) S.sa.date = today(); }

  /** Store a pillar choice or an item answer from a control, recording item answers. */
  function change(el) {
    var c = C(), S = c.S, sa = c.D.selfAssessment;
    stamp(S);
    if (el.hasAttribute("data-primary")) {
      S.sa.primary = +el.getAttribute("data-primary");
    } else if (el.hasAttribute("data-other")) {
      var bit = 1 << +el.getAttribute("data-other");
      S.sa.others = el.checked ? S.sa.others | bit : S.sa.others & ~bit;
    } else {
      var k = +el.getAttribute("data-item"), v = +el.getAttribute("data-v"), it = c.items[k];
      S.sa.items[k] = v;
      c.record({
        type: "answer", kind: "likert", pillarId: it.pillar.id, itemId: it.item.id,
        interactionId: "sa." + it.pillar.id + "." + it.item.id + suffix(S), administration: S.sa.admin,
        activityId: c.base() + "/" + sa.id + "/" + it.pillar.id + "/" + it.item.id,
        prompt: it.item.text, scale: sa.scale, response: sa.scale[v - 1].id, timestamp: c.now()
      });
    }
    c.save();
  }

  /** Record a finished free text (page reflection "r.<id>" or self-assessment prompt "sa.<id>"). */
  function recordText(key) {
    var c = C(), D = c.D, S = c.S, id = key.slice(key.indexOf(".") + 1), prompt, activityId, ev;
    ev = { type: "answer", kind: "text", promptId: id, interactionId: key, timestamp: c.now() };
    if (key.indexOf("r.") === 0) {
      prompt = D.reflections.filter(function (r) { return r.id === id; })[0].prompt;
      activityId = c.base() + "/reflection/" + id;
    } else {
      stamp(S);
      prompt = prompts()[id].text;
      activityId = c.base() + "/" + D.selfAssessment.id + "/prompt/" + id;
      ev.interactionId = key + suffix(S);
      ev.administration = S.sa.admin;
    }
    ev.activityId = activityId;
    ev.prompt = prompt;
    ev.response = c.whole(key);  // the whole text, even beyond the resume-state cap (core.js)
    c.record(ev);
  }

  function paint() {
    var c = C(), S = c.S;
    c.$$("[data-primary]").forEach(function (el) { el.checked = +el.getAttribute("data-primary") === S.sa.primary; });
    c.$$("[data-other]").forEach(function (el) {
      var i = +el.getAttribute("data-other");
      el.checked = !!(S.sa.others & (1 << i));
      // The chosen pillar is assessed anyway: offering it again among the "other" pillars only confuses.
      el.closest("li").hidden = i === S.sa.primary;
    });
    c.$$("[data-item]").forEach(function (el) {
      el.checked = S.sa.items[+el.getAttribute("data-item")] === +el.getAttribute("data-v");
    });
    c.$$("[data-sa-name]").forEach(function (el) { if (el.value !== printName) el.value = printName; });
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function dayText(day, lang) {
    try {
      return new Date(day * DAY).toLocaleDateString(lang === "fr" ? "fr-CA" : lang,
        { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
    } catch (e) {
      return new Date(day * DAY).toISOString().slice(0, 10);
    }
  }

  /** Show a YYYY-MM-DD answer (the "by when" date input) as a date in the reader's language. */
  function whenText(v, lang) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    return m ? dayText(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY, lang) : v;
  }

  function texts(parent, list, lang) {
    var c = C(), tl = ECE.i18n.tl, pick = ECE.i18n.pick, dl = el("dl", null, "ece-summary-texts");
    var when = c.D.selfAssessment.firstStepWhen;
    list.forEach(function (p) {
      var v = (c.S.texts["sa." + p.id] || "").trim();
      if (v && when && p.id === when.id) v = whenText(v, lang);
      var div = el("div", null, "ece-keep");
      div.appendChild(el("dt", pick(p.text, lang)));
      div.appendChild(el("dd", v || tl(lang, "notAnswered"), v ? "ece-answer" : "ece-empty"));
      dl.appendChild(div);
    });
    if (list.length) parent.appendChild(dl);
  }

  function assessed(entry, pi) {
    var chosen = entry.primary >= 0 || entry.others > 0;
    return !chosen || entry.primary === pi || !!(entry.others & (1 << pi));
  }

  function label(v, lang) {
    var sa = C().D.selfAssessment;
    return v ? ECE.i18n.pick(sa.scale[v - 1].label, lang) : ECE.i18n.tl(lang, "notAnswered");
  }

  function meta(frag, lang) {
    var c = C(), S = c.S, sa = c.D.selfAssessment, tl = ECE.i18n.tl, pick = ECE.i18n.pick;
    var dl = el("dl", null, "ece-sa-meta"), names = [];
    function row(key, value) {
      var div = el("div");
      div.appendChild(el("dt", tl(lang, key)));
      div.appendChild(el("dd", value));
      dl.appendChild(div);
    }
    row("saDate", dayText(S.sa.date || today(), lang));
    if (printName.trim()) row("saName", printName.trim());
    row("saRole", S.sa.primary >= 0 ? pick(sa.pillars[S.sa.primary].title, lang) : tl(lang, "notAnswered"));
    sa.pillars.forEach(function (p, pi) { if (assessed(S.sa, pi)) names.push(pick(p.title, lang)); });
    row("saPillars", names.join(", "));
    if (S.sa.team.trim()) row("saTeam", S.sa.team.trim());
    row("saNumber", String(S.sa.admin));
    if (S.sa.history.length) {
      var first = S.sa.admin - S.sa.history.length;
      row("saEarlier", S.sa.history.map(function (h, i) {
        return tl(lang, "saEarlierOne", { n: first + i, date: dayText(h.date, lang) });
      }).join("; "));
    }
    frag.appendChild(dl);
  }

  /** Add a pillar's changes since the previous administration (only when both assessed the pillar). */
  function changes(sec, p, pi, first, prev, lang) {
    var S = C().S, tl = ECE.i18n.tl, pick = ECE.i18n.pick;
    if (!prev || !assessed(prev, pi)) return;
    var date = dayText(prev.date, lang), ul = el("ul", null, "ece-sa-changes");
    p.items.forEach(function (it, ii) {
      var k = first + ii;
      if (prev.items[k] === S.sa.items[k]) return;
      ul.appendChild(el("li", tl(lang, "saChange", { n: k + 1, item: pick(it.text, lang),
        from: label(prev.items[k], lang), to: label(S.sa.items[k], lang) })));
    });
    var box = el("div", null, "ece-sa-since ece-keep");
    box.appendChild(el("p", ul.children.length ? tl(lang, "saChanges", { date: date, n: ul.children.length })
      : tl(lang, "saNoChange", { date: date })));
    if (ul.children.length) box.appendChild(ul);
    sec.appendChild(box);
  }

  /** Build the printable plan in every language: details, the plan, numbered answers, texts, notes, prompts. */
  function summary() {
    var c = C(), S = c.S, sa = c.D.selfAssessment, tl = ECE.i18n.tl, pick = ECE.i18n.pick;
    var prev = S.sa.history.length ? S.sa.history[S.sa.history.length - 1] : null;
    c.$$("[data-summary]").forEach(function (box) {
      var lang = c.langOf(box), frag = document.createDocumentFragment(), k = 0;
      meta(frag, lang);
      frag.appendChild(el("h3", tl(lang, "plan")));
      texts(frag, plan(sa), lang);
      sa.pillars.forEach(function (p, pi) {
        var first = k;
        k += p.items.length;
        if (!assessed(S.sa, pi)) return;
        var sec = el("section", null, "ece-summary-pillar");
        sec.appendChild(el("h3", pick(p.title, lang)));
        changes(sec, p, pi, first, prev, lang);
        var ol = el("ol", null, "ece-sa-answers");
        p.items.forEach(function (it, ii) {
          var n = first + ii, li = el("li", null, "ece-keep"), v = S.sa.items[n];
          // The number is text, not a list marker: it must survive copy, print and PDF text extraction.
          li.appendChild(el("span", (n + 1) + ".", "ece-sa-n"));
          li.appendChild(el("span", pick(it.text, lang), "ece-sa-item"));
          li.appendChild(el("strong", label(v, lang), v ? "ece-sa-v" : "ece-sa-v ece-empty"));
          ol.appendChild(li);
        });
        sec.appendChild(ol);
        texts(sec, p.reflections, lang);
        frag.appendChild(sec);
      });
      if (sa.reflections.length) {
        frag.appendChild(el("h3", tl(lang, "reflections")));
        texts(frag, sa.reflections, lang);
      }
      var notes = el("section", null, "ece-sa-notes ece-print-only");
      notes.appendChild(el("h3", tl(lang, "saNotes")));
      notes.appendChild(el("div", null, "ece-sa-lines"));
      frag.appendChild(notes);
      if (sa.alignPrompts && sa.alignPrompts.length) {
        var align = el("section", null, "ece-sa-align"), ol = el("ol");
        align.appendChild(el("h3", tl(lang, "saAlign")));
        sa.alignPrompts.forEach(function (a) { ol.appendChild(el("li", pick(a.text, lang), "ece-keep")); });
        align.appendChild(ol);
        frag.appendChild(align);
      }
      if (sa.attribution) {
        var att = el("p", pick(sa.attribution.text, lang) + " ", "ece-sa-attribution"), a = el("a", sa.attribution.url);
        a.href = sa.attribution.url;
        att.appendChild(a);
        frag.appendChild(att);
      }
      box.textContent = "";
      box.appendChild(frag);
    });
  }

  /** Ask before a new administration: its texts start empty, so the learner may want to print first. */
  function askNew(open) {
    var c = C(), S = c.S, tl = ECE.i18n.tl;
    c.$$("[data-sa-confirm]").forEach(function (box) {
      var lang = c.langOf(box);
      box.hidden = !open;
      c.$("p", box).textContent = tl(lang, "saNewConfirm", { n: S.sa.admin + 1, date: dayText(S.sa.date || today(), lang) });
      c.$("[data-action='sa-new-yes']", box).textContent = tl(lang, "saNewYes", { n: S.sa.admin + 1 });
    });
    var target = c.$(".ece-page:not([hidden]) " + (open ? "[data-action='sa-new-yes']" : "[data-action='sa-new']"));
    if (target) target.focus();
  }

  /** Keep this administration's date, pillars and answers as history and start the next one empty. */
  function restart() {
    var c = C(), S = c.S, max = ECE.state.historyMax(c.D), then = S.sa.date || today();
    S.sa.history.push({ date: then, primary: S.sa.primary, others: S.sa.others, items: S.sa.items.slice() });
    if (S.sa.history.length > max) S.sa.history = S.sa.history.slice(-max);
    S.sa.admin = Math.min(S.sa.admin + 1, ECE.state.ADMIN_CAP);
    S.sa.date = today();
    S.sa.items = S.sa.items.map(function () { return 0; });
    ECE.state.textPrompts(c.D.selfAssessment).forEach(function (id) {
      S.texts["sa." + id] = "";
      c.recordedText["sa." + id] = "";  // an empty new text is not an answer: nothing to record
    });
    c.$$("[data-sa-confirm]").forEach(function (box) { box.hidden = true; });
    c.paint();
    ECE.player.show(S.page, 0, true);
    c.announce(ECE.i18n.t("saNewStarted", { n: S.sa.admin, date: dayText(then, ECE.i18n.lang) }));
  }

  // Event delegation on document like the core's, so lazily instantiated pages work the same.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-action]");
    var c = C();
    if (!b || !c || !c.S || !c.S.sa || c.closed) return;
    var action = b.getAttribute("data-action");
    if (action === "sa-new") askNew(true);
    else if (action === "sa-new-no") askNew(false);
    else if (action === "sa-new-yes") restart();
  });
  document.addEventListener("input", function (e) {
    var c = C();
    if (!c || !c.S || !e.target.hasAttribute || !e.target.hasAttribute("data-sa-name")) return;
    printName = e.target.value;  // printed only: never saved nor sent (privacy by default)
    paint();
    summary();
  });

  ECE.sa = { change: change, recordText: recordText, paint: paint, summary: summary, restart: restart };
})(window.ECE = window.ECE || {});

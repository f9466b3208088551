/* ECE player — self-assessment flow: pillar choice, Likert items, free texts, the printable summary. */
(function (ECE) {
  "use strict";
  function C() { return ECE._core; }

  function prompts() {
    var sa = C().D.selfAssessment, out = {};
    sa.pillars.forEach(function (p) { p.reflections.forEach(function (r) { out[r.id] = r; }); });
    sa.reflections.concat([sa.strength, sa.opportunity, sa.firstStep, sa.firstStepLead])
      .forEach(function (r) { out[r.id] = r; });
    return out;
  }

  /** Store a pillar choice or an item answer from a control, recording item answers. */
  function change(el) {
    var c = C(), S = c.S, sa = c.D.selfAssessment;
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
        interactionId: "sa." + it.pillar.id + "." + it.item.id,
        activityId: c.base() + "/" + sa.id + "/" + it.pillar.id + "/" + it.item.id,
        prompt: it.item.text, scale: sa.scale, response: sa.scale[v - 1].id, timestamp: c.now()
      });
    }
    c.save();
  }

  /** Record a finished free text (page reflection "r.<id>" or self-assessment prompt "sa.<id>"). */
  function recordText(key) {
    var c = C(), D = c.D, id = key.slice(key.indexOf(".") + 1), prompt, activityId;
    if (key.indexOf("r.") === 0) {
      prompt = D.reflections.filter(function (r) { return r.id === id; })[0].prompt;
      activityId = c.base() + "/reflection/" + id;
    } else {
      prompt = prompts()[id].text;
      activityId = c.base() + "/" + D.selfAssessment.id + "/prompt/" + id;
    }
    c.record({ type: "answer", kind: "text", promptId: id, interactionId: key, activityId: activityId,
      prompt: prompt, response: c.whole(key), timestamp: c.now() });
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
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function texts(parent, list, lang) {
    var c = C(), tl = ECE.i18n.tl, pick = ECE.i18n.pick, dl = el("dl", null, "ece-summary-texts");
    list.forEach(function (p) {
      var v = (c.S.texts["sa." + p.id] || "").trim();
      dl.appendChild(el("dt", pick(p.text, lang)));
      dl.appendChild(el("dd", v || tl(lang, "notAnswered"), v ? "ece-answer" : "ece-empty"));
    });
    if (list.length) parent.appendChild(dl);
  }

  /** Build the summary (answers grouped by pillar and scale point, then the texts) in every language. */
  function summary() {
    var c = C(), S = c.S, sa = c.D.selfAssessment, tl = ECE.i18n.tl, pick = ECE.i18n.pick;
    var chosen = S.sa.primary >= 0 || S.sa.others > 0;
    c.$$("[data-summary]").forEach(function (box) {
      var lang = c.langOf(box), frag = document.createDocumentFragment(), k = 0;
      if (S.sa.team.trim()) frag.appendChild(el("p", tl(lang, "teamCodeIs", { code: S.sa.team.trim() })));
      sa.pillars.forEach(function (p, pi) {
        var first = k;
        k += p.items.length;
        if (chosen && S.sa.primary !== pi && !(S.sa.others & (1 << pi))) return;
        var sec = el("section", null, "ece-summary-pillar");
        sec.appendChild(el("h3", pick(p.title, lang)));
        sa.scale.concat([null]).forEach(function (point, si) {
          var v = point ? si + 1 : 0, ul = el("ul");
          p.items.forEach(function (it, ii) { if (S.sa.items[first + ii] === v) ul.appendChild(el("li", pick(it.text, lang))); });
          if (!ul.children.length) return;
          sec.appendChild(el("h4", (point ? pick(point.label, lang) : tl(lang, "notAnswered")) + " (" + ul.children.length + ")"));
          sec.appendChild(ul);
        });
        texts(sec, p.reflections, lang);
        frag.appendChild(sec);
      });
      if (sa.reflections.length) {
        frag.appendChild(el("h3", tl(lang, "reflections")));
        texts(frag, sa.reflections, lang);
      }
      frag.appendChild(el("h3", tl(lang, "plan")));
      texts(frag, [sa.strength, sa.opportunity, sa.firstStep, sa.firstStepLead], lang);
      box.textContent = "";
      box.appendChild(frag);
    });
  }

  ECE.sa = { change: change, recordText: recordText, paint: paint, summary: summary };
})(window.ECE = window.ECE || {});

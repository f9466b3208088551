/* ECE player — the end of a module: the completion panel (complete / passed / failed, or what remains to do,
 * on the last page and on every page once complete) and the Exit button (uses ECE._core). */
(function (ECE) {
  "use strict";
  function C() { return ECE._core; }

  /** Return the one sentence that sums up a finished module (also announced through the live region). */
  function verdict(result, lang) {
    var tl = ECE.i18n.tl, D = C().D, S = C().S;
    lang = lang || ECE.i18n.lang;
    if (result.passed === true) return tl(lang, "modulePassed", { score: result.scoreRaw });
    if (result.passed === false) {
      var failed = D.quizzes.filter(function (q, qi) { return S.quizzes[qi].status === 2; })[0];
      return tl(lang, "moduleFailed", {
        score: result.scoreRaw == null ? 0 : result.scoreRaw,
        pass: failed ? failed.passingScore : D.masteryScore
      });
    }
    return tl(lang, "moduleComplete");
  }

  function add(parent, tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    parent.appendChild(e);
    return e;
  }

  /** List what the completion rule still needs: pages not seen, quizzes not finished, the SA summary. */
  function remaining(list, lang) {
    var c = C(), D = c.D, S = c.S, rule = D.module.completion, tl = ECE.i18n.tl, pick = ECE.i18n.pick;
    var unseen = D.pages.map(function (p, i) { return i; }).filter(function (i) { return !S.visited[i]; });
    if (rule.allPages && unseen.length) {
      var li = add(list, "li", tl(lang, "pagesLeft") + " "), links = add(li, "ul");
      unseen.forEach(function (i) {
        var a = add(add(links, "li"), "a", pick(D.pages[i].title, lang));
        a.href = "#" + lang + "-p-" + D.pages[i].id;
        a.setAttribute("data-goto", String(i));
      });
    }
    if (rule.quizPassed) D.quizzes.forEach(function (q, qi) {
      if (S.quizzes[qi].status === 0) add(list, "li", tl(lang, "quizLeft", { title: pick(q.title, lang) }));
    });
    if (rule.selfAssessmentDone && !(S.flags & 1)) add(list, "li", tl(lang, "saLeft"));
  }

  /** Paint the closing screen (outcome or what remains, what was recorded, what comes next) and, once the
   * module is complete, its verdict under every page. */
  function paint(ok, result) {
    var c = C(), box = c.$("#ece-completion"), lang = ECE.i18n.lang, tl = ECE.i18n.tl;
    if (!box) return;
    box.className = "ece-completion" + (ok ? (result.passed === false ? " ece-ko" : " ece-ok") : "");
    box.textContent = "";
    var line = c.$("[data-verdict-line]");
    line.hidden = !ok;
    line.textContent = ok ? verdict(result, lang) : "";
    if (ok) add(box, "p", verdict(result, lang), "ece-verdict");
    else {
      add(box, "p", tl(lang, "toComplete"));
      remaining(add(box, "ul"), lang);
    }
    var kept = c.review ? "recordedReview" : c.noticeKey === "standalone" ? "recordedBrowser" : "recordedLms";
    c.$("[data-recorded]").textContent = tl(lang, kept);
    next(c.$("[data-next]"), lang);
  }

  /** Name the next module of the series and its time; link it when the bundle holds it and no LMS runs it. */
  function next(box, lang) {
    var c = C(), n = c.D.next, tl = ECE.i18n.tl, alone = c.noticeKey === "standalone";
    box.textContent = "";
    if (c.D.module.kind !== "module") return;
    if (!n) return add(box, "p", tl(lang, "seriesEnd"));
    var m = n.minutes, time = m[0] === m[1] ? tl(lang, "minutes", { n: m[0] }) : tl(lang, "minutesRange", { a: m[0], b: m[1] });
    add(box, "p", tl(lang, "nextModule", { title: ECE.i18n.pick(n.title, lang), time: time }));
    // Inside an LMS the next module is its own attempt: opening its file from here would bypass the LMS.
    if (!alone) add(box, "p", tl(lang, "nextInLms"));
    else if (n.href) add(add(box, "p"), "a", tl(lang, "openNext")).href = n.href;
  }

  /** Exit button: end the session once, then say the window can be closed; the module stays readable. */
  function exit() {
    var c = C(), btn = c.$("#ece-exit");
    if (btn) btn.disabled = true;  // one click, one exit
    return c.leave().then(function () {
      // Answers given now would reach no one: the fields are shown as they are, read-only.
      c.$$("main input, main textarea, main select").forEach(function (el) { el.disabled = true; });
      var notice = c.$("#ece-notice");
      if (btn) btn.hidden = true;
      // Focus follows the removed button to the message, so a screen reader reads it (WCAG 2.4.3).
      if (notice) { notice.tabIndex = -1; notice.focus(); }
    });
  }

  ECE.completion = { paint: paint, verdict: verdict, exit: exit };
})(window.ECE = window.ECE || {});

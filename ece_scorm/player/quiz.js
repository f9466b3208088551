/* ECE player — knowledge checks: select, check with feedback, grade an attempt, retry (uses ECE._core). */
(function (ECE) {
  "use strict";
  function C() { return ECE._core; }

  function correctMask(q) {
    var m = 0;
    q.choices.forEach(function (c, i) { if (q.correct.indexOf(c.id) >= 0) m |= 1 << i; });
    return m;
  }

  function where(fs) {
    var qi = C().quizIdx[fs.getAttribute("data-quiz")], xi = +fs.getAttribute("data-q");
    return { qi: qi, xi: xi, quiz: C().D.quizzes[qi], st: C().S.quizzes[qi] };
  }

  function locked(st, xi) { return st.q[xi].checked || st.status !== 0; }

  /** Store the choices ticked in a question (every language copy is repainted from the state). */
  function select(fs) {
    var w = where(fs);
    if (!locked(w.st, w.xi)) {
      var m = 0;
      C().$$("input[data-c]", fs).forEach(function (el) { if (el.checked) m |= 1 << +el.getAttribute("data-c"); });
      w.st.q[w.xi].mask = m;
    }
    paint(w.qi);
    C().save();
  }

  /** Check one question: feedback, the answer event, and grading once every question is checked. */
  function check(fs) {
    var w = where(fs), q = w.quiz.questions[w.xi], a = w.st.q[w.xi], c = C(), t = ECE.i18n.t;
    if (locked(w.st, w.xi)) return;
    if (!a.mask) {
      // Shown as well as said: a sighted learner who pressed Check too early sees why nothing happened.
      var fb = fs.querySelector("[data-fb]");
      c.$$("[data-fb] > :not([data-verdict])", fs).forEach(function (p) { p.hidden = true; });
      fb.className = "ece-feedback";
      fb.hidden = false;
      fb.querySelector("[data-verdict]").textContent = ECE.i18n.tl(c.langOf(fs), "chooseFirst");
      return c.announce(t("chooseFirst"));
    }
    a.checked = true;
    var success = a.mask === correctMask(q);
    c.record({
      type: "answer", kind: q.kind === "true_false" ? "true-false" : "choice", quizId: w.quiz.id,
      questionId: q.id, interactionId: "q." + w.quiz.id + "." + q.id,
      activityId: c.base() + "/quiz/" + w.quiz.id + "/" + q.id, prompt: q.prompt,
      choices: q.choices.map(function (ch) { return { id: ch.id, text: ch.text }; }),
      response: q.choices.filter(function (ch, i) { return a.mask & (1 << i); }).map(function (ch) { return ch.id; }),
      correct: q.correct.slice(), success: success, attempt: w.st.attempt,
      latencyMs: Date.now() - c.pageShownAt, timestamp: c.now()
    });
    if (w.st.q.every(function (x) { return x.checked; })) grade(w);
    paint(w.qi);
    var said = C().$$("[data-fb] > :not([hidden])", fs).map(function (p) { return p.textContent; });
    // The marks are read right after the verdict: "Budget — incorrect." tells which box was wrong.
    var marks = C().$$(".ece-mark:not([hidden])", fs).map(function (m) {
      var label = m.parentNode.querySelector("label");
      return (label ? label.textContent.trim() + " " : "") + m.lastChild.textContent + ".";
    });
    said.splice.apply(said, [1, 0].concat(marks));
    var result = fs.closest(".ece-quiz").querySelector("[data-result]");
    if (!result.hidden) said.push(result.textContent);
    c.announce(said.join(" "));
    c.save();
    c.evaluate();
  }

  function grade(w) {
    var right = w.quiz.questions.filter(function (q, xi) { return w.st.q[xi].mask === correctMask(q); }).length;
    var score = Math.round(100 * right / w.quiz.questions.length), passed = score >= w.quiz.passingScore;
    w.st.score = score;
    w.st.status = passed ? 1 : w.quiz.attempts && w.st.attempt >= w.quiz.attempts ? 2 : 0;
    C().record({ type: "quiz-result", quizId: w.quiz.id, scoreRaw: score, passed: passed, attempt: w.st.attempt });
  }

  /** Start a new attempt: clear the answers, keep the last score until this attempt is graded. */
  function retry(box) {
    var qi = C().quizIdx[box.getAttribute("data-quiz")], st = C().S.quizzes[qi], quiz = C().D.quizzes[qi];
    if (st.status !== 0 || (quiz.attempts && st.attempt >= quiz.attempts)) return;
    st.attempt = Math.min(st.attempt + 1, ECE.state.ATTEMPT_CAP);
    st.q = st.q.map(function () { return { mask: 0, checked: false }; });
    paint(qi);
    C().save();
    var first = box.querySelector("input[data-c]");
    if (first) first.focus();
  }

  var MARKS = { ok: ["\u2713", "markCorrect"], ko: ["\u2717", "markIncorrect"], missed: ["\u2713", "markMissed"] };

  /** Mark one choice as right, wrong or missed (kind "" clears): an icon, a border and its description. */
  function mark(el, lang, kind) {
    var box = el.parentNode, m = box.querySelector(".ece-mark"), id = el.id + "-m";
    if (!m) {
      // Built here, not in the template, so a theme's own blocks.html.j2 gets the marks too.
      m = document.createElement("span");
      m.className = "ece-mark";
      m.id = id;
      m.innerHTML = "<span class='ece-mark-icon' aria-hidden='true'></span><span class='ece-sr'></span>";
      box.appendChild(m);
    }
    Object.keys(MARKS).forEach(function (k) { box.classList.toggle("ece-mark-" + k, k === kind); });
    m.hidden = !kind;
    m.firstChild.textContent = kind ? MARKS[kind][0] : "";
    m.lastChild.textContent = kind ? ECE.i18n.tl(lang, MARKS[kind][1]) : "";
    // WCAG 1.3.1 / 4.1.2: the verdict is the checkbox's accessible description, not only a colour or icon.
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (kind) ids.push(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  /** Paint a quiz's state into its copy in every language. */
  function paint(qi) {
    var c = C(), quiz = c.D.quizzes[qi], st = c.S.quizzes[qi], tl = ECE.i18n.tl;
    var graded = st.q.every(function (x) { return x.checked; });
    // Missed right answers are shown only when no attempt can follow: earlier they would give the answers away.
    var final = st.status !== 0 || (quiz.attempts && st.attempt >= quiz.attempts);
    c.$$(".ece-quiz[data-quiz='" + quiz.id + "']").forEach(function (box) {
      var lang = c.langOf(box);
      box.querySelector("[data-attempt]").textContent = quiz.attempts
        ? tl(lang, "attemptOf", { n: st.attempt, max: quiz.attempts }) : tl(lang, "attempt", { n: st.attempt });
      c.$$("fieldset[data-q]", box).forEach(function (fs) {
        var xi = +fs.getAttribute("data-q"), a = st.q[xi], q = quiz.questions[xi], lock = locked(st, xi) || c.closed;
        var cm = correctMask(q), ok = a.mask === cm;
        c.$$("input[data-c]", fs).forEach(function (el) {
          var bit = 1 << +el.getAttribute("data-c"), on = !!(a.mask & bit), right = !!(cm & bit);
          el.checked = on;
          el.disabled = lock;
          mark(el, lang, !a.checked ? "" : on ? (right ? "ok" : "ko") : right && final ? "missed" : "");
        });
        // aria-disabled, not disabled: the button keeps keyboard focus after Check instead of dropping it.
        fs.querySelector("[data-action='check']").setAttribute("aria-disabled", String(lock));
        var fb = fs.querySelector("[data-fb]");
        fb.hidden = !a.checked;
        fb.className = "ece-feedback " + (ok ? "ece-ok" : "ece-ko");
        fb.querySelector("[data-verdict]").textContent = tl(lang, ok ? "correct" : "incorrect");
        c.$$("[data-fb-choice]", fb).forEach(function (p) {
          p.hidden = !(a.mask & (1 << +p.getAttribute("data-fb-choice")));
        });
        c.$$("[data-fb-result]", fb).forEach(function (p) {
          p.hidden = p.getAttribute("data-fb-result") !== (ok ? "correct" : "incorrect");
        });
      });
      var result = box.querySelector("[data-result]");
      result.hidden = !graded || st.score < 0;
      if (!result.hidden) {
        var key = st.status === 1 ? "quizPassed" : st.status === 2 ? "quizFailed" : "quizRetry";
        result.textContent = tl(lang, key, { score: st.score, pass: quiz.passingScore });
      }
      box.querySelector("[data-action='retry']").hidden = !(graded && st.status === 0);
    });
  }

  ECE.quiz = { select: select, check: check, retry: retry, paint: paint, correctMask: correctMask };
})(window.ECE = window.ECE || {});

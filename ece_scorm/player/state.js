/* ECE player — resume state: a compact positional encoding (mirrored by ece_scorm/state_budget.py).
 *
 * Layout (version 1), tokens written back to back:
 *   "1" fingerprint(4) num(lang+1) num(page) num(step) num(flags) visited(ceil(P/5) chars)
 *   per quiz:       num(attempt) num(status) num(score+1) then per question num(choiceMask*2 + checked)
 *   per reflection: str(text)
 *   self-assessment (if any): str(team) num(primary+1) num(othersMask) one char per item
 *                   str per pillar reflection, str per general reflection, str x4 (strength, opportunity,
 *                   first step, first-step lead) [str(by when, YYYY-MM-DD) when the tool asks it]
 *                   num(administration) num(start day) num(earlier count) then per earlier administration,
 *                   oldest first: num(day) num(primary+1) num(othersMask) one char per item
 *                   (a state written before re-administration ends after the texts: administration 1)
 *   per scenario:   num(chosen choice + 1)  (blocks.js; 0 = not chosen yet)
 * num(n) = base-36 digits + "." ; str(s) = base-36 length + ":" + s (length-prefixed, so no escaping and an
 * exact worst case). A state whose fingerprint does not match the module structure is discarded, because
 * positional data from another build would land in the wrong answers.
 */
(function (ECE) {
  "use strict";
  var B32 = "0123456789abcdefghijklmnopqrstuv";
  var TEAM_MAX = 32;          // facilitator codes are short; keep in sync with state_budget.TEAM_CODE_MAX
  var ATTEMPT_CAP = 999;      // unlimited quizzes stop counting here so the state stays bounded
  var ADMIN_CAP = 999;        // self-assessment administrations; keep in sync with state_budget.ADMIN_CAP
  var DAY_MAX = 99999;        // days since 1970-01-01; state_budget.DAY_MAX
  var WHEN_MAX = 10;          // "by when": an <input type=date> value; state_budget.WHEN_MAX

  /** Return the self-assessment screens of a module: start, one per pillar, reflect, plan, summary. */
  function saSteps(data) {
    var sa = data.selfAssessment;
    if (!sa) return [];
    var steps = ["start"];
    sa.pillars.forEach(function (p) { steps.push("p:" + p.id); });
    if (sa.reflections.length) steps.push("reflect");
    steps.push("plan", "summary");
    return steps;
  }

  function textPrompts(sa) {
    var out = [];
    sa.pillars.forEach(function (p) { p.reflections.forEach(function (r) { out.push(r.id); }); });
    sa.reflections.forEach(function (r) { out.push(r.id); });
    out.push(sa.strength.id, sa.opportunity.id, sa.firstStep.id, sa.firstStepLead.id);
    if (sa.firstStepWhen) out.push(sa.firstStepWhen.id);
    return out;
  }

  /** Return how many earlier self-assessment administrations this build keeps (ECE_DATA.stateBudget). */
  function historyMax(data) {
    var n = data.stateBudget && data.stateBudget.saHistory;
    return n >= 0 ? n : 1;
  }

  /** Return a 4-character FNV-1a hash of the module structure the positions depend on. */
  function fingerprint(data) {
    var parts = [data.languages.join(","), data.pages.map(function (p) { return p.id; }).join(",")];
    data.quizzes.forEach(function (q) {
      parts.push(q.id + ":" + q.questions.map(function (x) { return x.id + "/" + x.choices.length; }).join(","));
    });
    parts.push(data.reflections.map(function (r) { return r.id; }).join(","));
    var sa = data.selfAssessment;
    if (sa) {
      parts.push(sa.scale.length + ";" + sa.pillars.map(function (p) {
        return p.id + ":" + p.items.map(function (i) { return i.id; }).join(",");
      }).join(";") + ";" + textPrompts(sa).join(","));
    }
    var sc = data.scenarios || [];
    // Only modules with scenarios add a part: the states of modules without one stay valid.
    if (sc.length) parts.push("s:" + sc.map(function (x) { return x.id + "/" + x.choices.length; }).join(","));
    var s = parts.join("|"), h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return ("000" + (h % 1679616).toString(36)).slice(-4);
  }

  /** Return an empty state shaped for this module. */
  function fresh(data) {
    var sa = data.selfAssessment, st = {
      lang: -1, page: 0, step: 0, flags: 0,
      visited: data.pages.map(function () { return false; }),
      quizzes: data.quizzes.map(function (q) {
        return { attempt: 1, status: 0, score: -1,
          q: q.questions.map(function () { return { mask: 0, checked: false }; }) };
      }),
      texts: {}, sa: null,
      scenarios: (data.scenarios || []).map(function () { return -1; })
    };
    data.reflections.forEach(function (r) { st.texts["r." + r.id] = ""; });
    if (sa) {
      st.sa = { team: "", primary: -1, others: 0, items: [], admin: 1, date: 0, history: [] };
      sa.pillars.forEach(function (p) { p.items.forEach(function () { st.sa.items.push(0); }); });
      textPrompts(sa).forEach(function (id) { st.texts["sa." + id] = ""; });
    }
    return st;
  }

  /** Encode a state object into the resume string. */
  function encode(st, data) {
    var out = ["1", fingerprint(data)];
    function num(n) { out.push(Math.max(0, Math.floor(n)).toString(36) + "."); }
    function str(s) { s = String(s || ""); out.push(s.length.toString(36) + ":" + s); }
    num(st.lang + 1); num(st.page); num(st.step); num(st.flags);
    for (var i = 0; i < st.visited.length; i += 5) {
      var v = 0;
      for (var b = 0; b < 5 && i + b < st.visited.length; b++) if (st.visited[i + b]) v |= 1 << b;
      out.push(B32.charAt(v));
    }
    st.quizzes.forEach(function (q) {
      num(Math.min(q.attempt, ATTEMPT_CAP)); num(q.status); num(q.score + 1);
      q.q.forEach(function (x) { num(x.mask * 2 + (x.checked ? 1 : 0)); });
    });
    data.reflections.forEach(function (r) { str(st.texts["r." + r.id]); });
    var sa = data.selfAssessment;
    if (sa) {
      str(String(st.sa.team).slice(0, TEAM_MAX)); num(st.sa.primary + 1); num(st.sa.others);
      st.sa.items.forEach(function (v) { out.push(v.toString(36)); });
      var when = sa.firstStepWhen ? "sa." + sa.firstStepWhen.id : null;
      textPrompts(sa).forEach(function (id) {
        var v = st.texts["sa." + id];
        str("sa." + id === when ? String(v || "").slice(0, WHEN_MAX) : v);
      });
      var hist = st.sa.history.slice(-historyMax(data));
      num(Math.min(st.sa.admin, ADMIN_CAP)); num(Math.min(st.sa.date, DAY_MAX)); num(hist.length);
      hist.forEach(function (h) {
        num(Math.min(h.date, DAY_MAX)); num(h.primary + 1); num(h.others);
        h.items.forEach(function (v) { out.push(v.toString(36)); });
      });
    }
    (st.scenarios || []).forEach(function (c) { num(c + 1); });
    return out.join("");
  }

  /** Decode a resume string; return a fresh state when it is absent, malformed or from another build. */
  function decode(s, data) {
    var st = fresh(data);
    if (typeof s !== "string" || s.charAt(0) !== "1" || s.substr(1, 4) !== fingerprint(data)) return st;
    var pos = 5;
    function fail() { throw new Error("bad state"); }
    function num(max) {
      var end = s.indexOf(".", pos);
      if (end < 0 || end === pos || end - pos > 11) fail();
      var n = parseInt(s.slice(pos, end), 36);
      if (!(n >= 0 && n <= max)) fail();
      pos = end + 1;
      return n;
    }
    function str() {
      var colon = s.indexOf(":", pos);
      if (colon < 0 || colon === pos || colon - pos > 6) fail();
      var len = parseInt(s.slice(pos, colon), 36);
      if (!(len >= 0) || colon + 1 + len > s.length) fail();
      pos = colon + 1 + len;
      return s.slice(colon + 1, pos);
    }
    try {
      var P = data.pages.length;
      st.lang = num(data.languages.length) - 1;
      st.page = num(Math.max(0, P - 1));
      st.step = num(Math.max(0, saSteps(data).length - 1));
      st.flags = num(255);
      for (var i = 0; i < P; i += 5) {
        var v = B32.indexOf(s.charAt(pos++));
        if (v < 0) fail();
        for (var b = 0; b < 5 && i + b < P; b++) st.visited[i + b] = !!(v & (1 << b));
      }
      data.quizzes.forEach(function (quiz, qi) {
        var q = st.quizzes[qi];
        q.attempt = Math.max(1, num(ATTEMPT_CAP)); q.status = num(2); q.score = num(101) - 1;
        quiz.questions.forEach(function (x, xi) {
          var n = num(Math.pow(2, x.choices.length + 1) - 1);
          q.q[xi] = { mask: Math.floor(n / 2), checked: n % 2 === 1 };
        });
      });
      data.reflections.forEach(function (r) { st.texts["r." + r.id] = str(); });
      var sa = data.selfAssessment;
      if (sa) {
        st.sa.team = str().slice(0, TEAM_MAX);
        st.sa.primary = num(sa.pillars.length) - 1;
        st.sa.others = num(Math.pow(2, sa.pillars.length) - 1);
        for (var k = 0; k < st.sa.items.length; k++) {
          var c = parseInt(s.charAt(pos++), 36);
          if (!(c >= 0 && c <= sa.scale.length)) fail();
          st.sa.items[k] = c;
        }
        textPrompts(sa).forEach(function (id) { st.texts["sa." + id] = str(); });
        if (pos < s.length) {
          st.sa.admin = Math.max(1, num(ADMIN_CAP));
          st.sa.date = num(DAY_MAX);
          var n = num(historyMax(data));
          for (var h = 0; h < n; h++) {
            var e = { date: num(DAY_MAX), primary: num(sa.pillars.length) - 1,
              others: num(Math.pow(2, sa.pillars.length) - 1), items: [] };
            for (var j = 0; j < st.sa.items.length; j++) {
              var a = parseInt(s.charAt(pos++), 36);
              if (!(a >= 0 && a <= sa.scale.length)) fail();
              e.items.push(a);
            }
            st.sa.history.push(e);
          }
        }
      }
      (data.scenarios || []).forEach(function (x, i) { st.scenarios[i] = num(x.choices.length) - 1; });
      if (pos !== s.length) fail();
      st.resumed = true;
      return st;
    } catch (e) {
      return fresh(data);
    }
  }

  ECE.state = { encode: encode, decode: decode, fresh: fresh, fingerprint: fingerprint, saSteps: saSteps,
    textPrompts: textPrompts, historyMax: historyMax, TEAM_MAX: TEAM_MAX, ATTEMPT_CAP: ATTEMPT_CAP,
    ADMIN_CAP: ADMIN_CAP, DAY_MAX: DAY_MAX, WHEN_MAX: WHEN_MAX };
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));

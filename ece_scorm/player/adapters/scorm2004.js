/* SCORM 2004 4th edition adapter: ECE.adapters.scorm2004(ECE_DATA[, options]) -> adapter
 * (docs/ARCHITECTURE.md §5). Limits and formats follow Moodle's API_1484_11 (docs/LMS-RULES.md, runtime value formats,
 * MUST 16–25): no sequencing, no cmi.launch_data, completion and success set explicitly.
 * Needs scorm-api.js and scorm-session.js loaded first. */
(function (root) {
  "use strict";
  var ECE = (root.ECE = root.ECE || {});
  ECE.adapters = ECE.adapters || {};
  var S = ECE.scorm;

  var LONG_TEXT = 4000; // long-fill-in learner_response and comments_from_learner.n.comment
  var DESCRIPTION = 250; // interactions.n.description

  /** A localized_string_type value: {lang=xx} then one line that must not itself start with "{". */
  function localized(text, lang, max) {
    var body = S.oneLine(text);
    if (body.charAt(0) === "{") body = " " + body;
    return "{lang=" + lang + "}" + S.cut(body, max);
  }

  /** A short_identifier_type Moodle accepts: its CMIShortIdentifier is [\w.]{1,250}, so no "-"
   * (ECE ids are [a-z0-9-], so "-" -> "_" keeps them distinct and readable). */
  function shortId(id) { return String(id).replace(/[^A-Za-z0-9_.]/g, "_").slice(0, 250) || "_"; }

  /** Choice ids in the order the choices are shown, joined with the 2004 delimiter. */
  function ids(list, choices) {
    var order = (choices || []).map(function (c) { return c.id; });
    var rank = function (id) { var i = order.indexOf(id); return i < 0 ? order.length : i; };
    return (list || []).map(String).sort(function (a, b) { return rank(a) - rank(b); }).map(shortId).join("[,]");
  }

  function trueFalse(list) {
    var v = (list || [])[0];
    return v === true || v === "true" || v === "t" ? "true" : "false";
  }

  function value(ch, el) {
    var r = ch.get(el); // the Channel has already checked GetLastError
    return r.ok ? r.value : "";
  }

  function interaction(ev, lang, data) {
    var ops = [["id", ev.interactionId]];
    var fallback = data.defaultLanguage || "en";
    var when = S.time2004(ev.timestamp);
    if (ev.kind === "choice" || ev.kind === "true-false") {
      var tf = ev.kind === "true-false", open = ev.scored === false, keyed = !open || (ev.correct || []).length;
      ops.push(["type", tf ? "true-false" : "choice"],
        ["description", localized(S.text(ev.prompt, lang, fallback), lang, DESCRIPTION)],
        ["learner_response", tf ? trueFalse(ev.response) : ids(ev.response, ev.choices)]);
      // A scenario's choice is recorded, never scored: weighting 0; "neutral" unless it marks a best choice.
      if (keyed) ops.push(["correct_responses.0.pattern", tf ? trueFalse(ev.correct) : ids(ev.correct, ev.choices)]);
      ops.push(["result", !keyed ? "neutral" : ev.success ? "correct" : "incorrect"], ["weighting", open ? "0" : "1"],
        ["latency", S.duration2004(ev.latencyMs)], ["timestamp", when]);
    } else if (ev.kind === "likert") {
      ops.push(["type", "likert"], ["description", localized(S.text(ev.prompt, lang, fallback), lang, DESCRIPTION)],
        ["learner_response", shortId(ev.response || "")], ["result", "neutral"], ["weighting", "0"],
        ["timestamp", when]);
    } else {
      ops.push(["type", "long-fill-in"]);
      if (ev.prompt) ops.push(["description", localized(S.text(ev.prompt, lang, fallback), lang, DESCRIPTION)]);
      ops.push(["learner_response", localized(ev.response, lang, LONG_TEXT)], ["result", "neutral"],
        ["weighting", "0"], ["timestamp", when]);
    }
    return ops;
  }

  /** Add a reflection to comments_from_learner once: an identical earlier record (resume, replay) is kept. */
  function applyComment(ch, item) {
    var comment = localized(item.text, item.lang || "en", LONG_TEXT);
    var count = ch.get("cmi.comments_from_learner._count");
    var n = parseInt(count.value, 10);
    if (!count.ok || !(n >= 0)) { count.element = "cmi.comments_from_learner._count"; return count; }
    for (var i = 0; i < n; i++) {
      var base = "cmi.comments_from_learner." + i + ".";
      if (value(ch, base + "location") === item.id && value(ch, base + "comment") === comment) return { ok: true };
    }
    var ops = [["comment", comment], ["location", item.id], ["timestamp", S.time2004(item.timestamp)]];
    for (var k = 0; k < ops.length; k++) {
      var el = "cmi.comments_from_learner." + n + "." + ops[k][0];
      var r = ch.set(el, ops[k][1]);
      if (!r.ok) { r.element = el; return r; }
    }
    return { ok: true };
  }

  /** Whether an interaction with the same id, timestamp and response is already in the LMS. */
  function recorded(ch, ops) {
    var want = {};
    ops.forEach(function (op) { want[op[0]] = op[1]; });
    var n = parseInt(value(ch, "cmi.interactions._count"), 10) || 0;
    for (var i = 0; i < n; i++) {
      var base = "cmi.interactions." + i + ".";
      if (value(ch, base + "id") === want.id && value(ch, base + "timestamp") === want.timestamp &&
          value(ch, base + "learner_response") === want.learner_response) return true;
    }
    return false;
  }

  var dialect = {
    name: "scorm2004",
    apiName: "API_1484_11",
    check: function (api) { return typeof api.Initialize === "function" && typeof api.SetValue === "function"; },
    fn: { init: "Initialize", finish: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
      err: "GetLastError", errStr: "GetErrorString", diag: "GetDiagnostic" },
    stateLimit: 64000, // MUST 20
    suspendData: "cmi.suspend_data",
    unimplemented: "402", // "not implemented" (Unimplemented Data Model Element)
    interactions: "cmi.interactions",

    readStart: function (ch) {
      var entry = value(ch, "cmi.entry");
      return {
        entry: entry,
        status: value(ch, "cmi.completion_status"),
        // A first launch has nothing to resume: reading suspend_data then only earns an error 403 ("not
        // initialized") in LMSs that leave it unset until the SCO writes it.
        state: entry === "ab-initio" ? "" : value(ch, "cmi.suspend_data"),
        location: value(ch, "cmi.location"),
        languagePref: value(ch, "cmi.learner_preference.language"),
        learnerName: value(ch, "cmi.learner_name"),
        learnerId: value(ch, "cmi.learner_id"),
        mode: value(ch, "cmi.mode"),
      };
    },
    notStarted: function (status) { return !status || status === "not attempted" || status === "unknown"; },
    startStatusOps: function () { return [["cmi.completion_status", "incomplete"]]; },
    locationOps: function (pageId) { return [["cmi.location", S.cut(String(pageId || ""), 1000)]]; },
    scoreOps: function (raw) {
      // MUST 17: Moodle grades cmi.score.raw (0–100); scaled is for every other 2004 LMS.
      return [["cmi.score.min", "0"], ["cmi.score.max", "100"], ["cmi.score.raw", S.decimal(raw)],
        ["cmi.score.scaled", S.decimal(raw / 100, 4)]];
    },
    statusOps: function (result) {
      // MUST 18: both statuses, since Moodle never derives success_status itself.
      return [
        ["cmi.completion_status", result.completed ? "completed" : "incomplete"],
        ["cmi.success_status", result.passed === true ? "passed" : result.passed === false ? "failed" : "unknown"],
      ];
    },
    sessionTimeOps: function (ms) { return [["cmi.session_time", S.duration2004(ms)]]; },
    exitOps: function (finished, ms) {
      return [["cmi.exit", finished ? "normal" : "suspend"], ["cmi.session_time", S.duration2004(ms)]];
    },
    interaction: interaction,
    recorded: recorded,
    applyComment: applyComment,
  };

  // null (no adapter) if scorm-api.js / scorm-session.js were not bundled: the core then runs standalone.
  ECE.adapters.scorm2004 = function (data, options) { return S && S.session ? S.session(data, dialect, options) : null; };
})(typeof window !== "undefined" ? window : this);

/* SCORM 1.2 adapter: ECE.adapters.scorm12(ECE_DATA[, options]) -> adapter (docs/ARCHITECTURE.md §5).
 * Values follow what Moodle's LMSSetValue validators accept (docs/LMS-RULES.md, runtime value formats; MUST 16–22).
 * Needs scorm-api.js and scorm-session.js loaded first. */
(function (root) {
  "use strict";
  var ECE = (root.ECE = root.ECE || {});
  ECE.adapters = ECE.adapters || {};
  var S = ECE.scorm;

  // CMIString4096 with Moodle's "SCORM standards mode" on (MUST 20); kept even where the probe below finds a
  // roomy suspend_data, since scorm-again keeps 64,000 there but 4,096 here.
  var COMMENTS_LIMIT = 4096;
  var PROBE = "ece-probe:"; // the launch probe's value (tests/support/moodle_rules.py knows it by this)
  var RESPONSE_LIMIT = 255; // CMIString256: student_response, correct_responses.n.pattern
  var CHOICE_CODES = "abcdefghijklmnopqrstuvwxyz0123456789"; // 1.2 choice responses are single characters

  function choiceCodes(choices, ids) {
    var idx = [];
    (ids || []).forEach(function (id) {
      for (var i = 0; i < (choices || []).length; i++) {
        if (choices[i].id === id) { if (idx.indexOf(i) < 0) idx.push(i); return; }
      }
    });
    idx.sort(function (a, b) { return a - b; });
    return idx.map(function (i) { return CHOICE_CODES.charAt(i) || String(i); }).join(",");
  }

  function trueFalse(ids) {
    var v = (ids || [])[0];
    return v === true || v === "true" || v === "t" ? "t" : "f";
  }

  function value(ch, el) {
    var r = ch.get(el); // the Channel has already checked LMSGetLastError
    return r.ok ? r.value : "";
  }

  // One entry per reflection in cmi.comments: "[<interaction id>] <full text>", entries separated by a blank line.
  var ENTRY_SPLIT = /\n\n(?=\[(?:r|sa)\.[A-Za-z0-9.-]+\] )/;

  function withoutEntry(comments, id) {
    if (!comments) return "";
    return comments.split(ENTRY_SPLIT).filter(function (e) {
      return e.indexOf("[" + id + "] ") !== 0;
    }).join("\n\n");
  }

  function joined(base, entry) { return base ? base + "\n\n" + entry : entry; }

  /** Write a reflection into cmi.comments so it is right whether the LMS appends (Moodle) or replaces (scorm-again). */
  function applyComment(ch, item, engine) {
    var entry = "[" + item.id + "] " + item.text;
    var cur = ch.get("cmi.comments");
    if (!cur.ok) { cur.element = "cmi.comments"; return cur; }
    var current = cur.value;
    if (current.indexOf(entry) >= 0) return { ok: true }; // already stored (resume, replay): never duplicate
    var how = engine.memo.comments;
    var r;
    if (how === "replace" || !current) {
      var base = withoutEntry(current, item.id);
      var full = joined(base, entry);
      if (full.length > COMMENTS_LIMIT) {
        full = S.cut(full, COMMENTS_LIMIT);
        engine.emit("warn", "comment-cut", {});
      }
      r = ch.set("cmi.comments", full);
      if (!r.ok) r.element = "cmi.comments";
      return r;
    }
    var delta = "\n\n" + entry;
    if (current.length + delta.length > COMMENTS_LIMIT) {
      delta = S.cut(delta, Math.max(0, COMMENTS_LIMIT - current.length));
      engine.emit("warn", "comment-cut", {});
      if (!delta) return { ok: true };
    }
    r = ch.set("cmi.comments", delta);
    if (!r.ok) { r.element = "cmi.comments"; return r; }
    if (how === "append") return r;
    // First write onto existing comments in this session: read back to learn which behaviour this LMS has.
    var back = ch.get("cmi.comments");
    if (back.ok && back.value === current + delta) { engine.memo.comments = "append"; return r; }
    engine.memo.comments = "replace";
    var whole = joined(withoutEntry(current, item.id), entry);
    r = ch.set("cmi.comments", S.cut(whole, COMMENTS_LIMIT));
    if (!r.ok) r.element = "cmi.comments";
    return r;
  }

  function interaction(ev) {
    var ops = [["id", ev.interactionId]];
    var when = S.time12(ev.timestamp);
    if (ev.kind === "choice" || ev.kind === "true-false") {
      var tf = ev.kind === "true-false", open = ev.scored === false, keyed = !open || (ev.correct || []).length;
      ops.push(["type", tf ? "true-false" : "choice"],
        ["student_response", tf ? trueFalse(ev.response) : choiceCodes(ev.choices, ev.response)]);
      // A scenario's choice is recorded, never scored: weighting 0; "neutral" unless it marks a best choice.
      if (keyed) ops.push(["correct_responses.0.pattern", tf ? trueFalse(ev.correct) : choiceCodes(ev.choices, ev.correct)]);
      ops.push(["result", !keyed ? "neutral" : ev.success ? "correct" : "wrong"], ["weighting", open ? "0" : "1"],
        ["latency", S.timespan12(ev.latencyMs)], ["time", when]);
    } else if (ev.kind === "likert") {
      // Weighting 0: self-assessment answers and reflections are never scored.
      // Moodle and scorm-again both accept the scale id as a likert response (DESIGN "Facts measured").
      ops.push(["type", "likert"], ["student_response", S.cut(String(ev.response || ""), RESPONSE_LIMIT)],
        ["result", "neutral"], ["weighting", "0"], ["time", when]);
    } else {
      // Reflections: the first 255 characters here, the full text in cmi.comments.
      ops.push(["type", "fill-in"], ["student_response", S.cut(S.oneLine(ev.response), RESPONSE_LIMIT)],
        ["result", "neutral"], ["weighting", "0"], ["time", when]);
    }
    return ops;
  }

  var dialect = {
    name: "scorm12",
    apiName: "API",
    check: function (api) { return typeof api.LMSInitialize === "function" && typeof api.LMSSetValue === "function"; },
    fn: { init: "LMSInitialize", finish: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      err: "LMSGetLastError", errStr: "LMSGetErrorString", diag: "LMSGetDiagnostic" },
    stateLimit: 4096, // MUST 20
    suspendData: "cmi.suspend_data",
    unimplemented: "401", // "not implemented" (optional 1.2 elements)
    interactions: "cmi.interactions",

    readStart: function (ch) {
      return {
        entry: value(ch, "cmi.core.entry"),
        status: value(ch, "cmi.core.lesson_status"),
        state: value(ch, "cmi.suspend_data"),
        location: value(ch, "cmi.core.lesson_location"),
        languagePref: value(ch, "cmi.student_preference.language"),
        learnerName: value(ch, "cmi.core.student_name"),
        learnerId: value(ch, "cmi.core.student_id"),
        mode: value(ch, "cmi.core.lesson_mode"),
      };
    },
    /** Find out whether this LMS keeps the roomy budget: write a state that long, read it back, put back
     * what was there (nothing is committed in between, so the LMS never stores the probe). MUST 20: a
     * strict LMS refuses it with 405 and the build's strict budget holds. */
    probe: function (ch, info, budget) {
      var roomy = budget && budget.roomy;
      if (!roomy || !(roomy.worstCase > budget.limit)) return null;
      var test = PROBE + new Array(roomy.worstCase - PROBE.length + 1).join("0");
      var w = ch.set("cmi.suspend_data", test);
      var kept = w.ok && ch.get("cmi.suspend_data").value === test;
      ch.set("cmi.suspend_data", info.state || "");
      return kept ? roomy : null;
    },
    notStarted: function (status) { return !status || status === "not attempted"; },
    startStatusOps: function (mode) {
      return [["cmi.core.lesson_status", mode === "browse" ? "browsed" : "incomplete"]];
    },
    locationOps: function (pageId) { return [["cmi.core.lesson_location", S.cut(String(pageId || ""), 255)]]; },
    scoreOps: function (raw) {
      // MUST 17: Moodle grades raw as points out of 100; min/max say so to other LMSs.
      return [["cmi.core.score.min", "0"], ["cmi.core.score.max", "100"], ["cmi.core.score.raw", S.decimal(raw)]];
    },
    statusOps: function (result) {
      // MUST 18: an explicit status; passed/failed when the module has a pass mark.
      var status = result.passed === true ? "passed" : result.passed === false ? "failed"
        : result.completed ? "completed" : "incomplete";
      return [["cmi.core.lesson_status", status]];
    },
    sessionTimeOps: function (ms) { return [["cmi.core.session_time", S.timespan12(ms)]]; },
    exitOps: function (finished, ms) {
      return [["cmi.core.exit", finished ? "" : "suspend"], ["cmi.core.session_time", S.timespan12(ms)]];
    },
    interaction: interaction,
    applyComment: applyComment,
  };

  // null (no adapter) if scorm-api.js / scorm-session.js were not bundled: the core then runs standalone.
  ECE.adapters.scorm12 = function (data, options) { return S && S.session ? S.session(data, dialect, options) : null; };
})(typeof window !== "undefined" ? window : this);

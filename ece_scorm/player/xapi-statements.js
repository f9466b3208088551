/* ECE player — xAPI statement builder shared by the xapi and cmi5 adapters (docs/ARCHITECTURE.md §6).
 *
 * Pure functions of the launch context and a learner event: no I/O, so the same code is unit-tested in
 * node and runs in the browser. cmi5 rules applied here (MUST 31–32): context template merged into every
 * statement, the cmi5 category only on cmi5-defined statements, the moveOn category on
 * completed/passed/failed, the launched masteryScore echoed unchanged.
 */
(function (ECE) {
  "use strict";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var ACT = "http://adlnet.gov/expapi/activities/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var VERB_NAMES = {
    experienced: {en: "experienced", fr: "a vécu"},
    answered: {en: "answered", fr: "a répondu"},
    completed: {en: "completed", fr: "a terminé"},
    passed: {en: "passed", fr: "a réussi"},
    failed: {en: "failed", fr: "a échoué"},
    initialized: {en: "initialized", fr: "a commencé"},
    terminated: {en: "terminated", fr: "a quitté"},
    suspended: {en: "suspended", fr: "a suspendu"},
    resumed: {en: "resumed", fr: "a repris"}
  };
  var CMI5_DEFINED = {initialized: 1, completed: 1, passed: 1, failed: 1, terminated: 1};
  var MOVE_ON = {completed: 1, passed: 1, failed: 1};

  /** Return a random RFC 4122 version 4 UUID (crypto when available). */
  function uuid() {
    var c = typeof crypto !== "undefined" ? crypto : null;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /** Return an ISO 8601 duration for milliseconds, to the centisecond (what cmi5 LMSs store). */
  function isoDuration(ms) {
    var cs = Math.max(0, Math.round((Number(ms) || 0) / 10));
    var h = Math.floor(cs / 360000), m = Math.floor((cs % 360000) / 6000), s = (cs % 6000) / 100;
    var out = "PT";
    if (h) out += h + "H";
    if (m) out += m + "M";
    if (s || out === "PT") out += (Math.round(s * 100) / 100) + "S";
    return out;
  }

  /** Return a language map holding only the languages of the package (drops empty values). */
  function langMap(text, langs) {
    var out = {};
    if (typeof text === "string") { langs.forEach(function (l) { out[l] = text; }); return out; }
    langs.forEach(function (l) { if (text && text[l]) out[l] = String(text[l]); });
    return out;
  }

  function clone(x) { return x == null ? x : JSON.parse(JSON.stringify(x)); }

  /** Add activities to a contextActivities list unless an activity with the same id is already there. */
  function addActivities(ctxActs, key, acts) {
    var list = ctxActs[key] || [];
    acts.forEach(function (a) {
      if (!list.some(function (x) { return x.id === a.id; })) list.push(a);
    });
    if (list.length) ctxActs[key] = list;
  }

  /**
   * Create a builder bound to one launch.
   * opts: {data: ECE_DATA, actor, registration, activityId (launch object id), language,
   *        cmi5: bool, contextTemplate, masteryScore (launched value or null), now: () => Date}
   */
  function createBuilder(opts) {
    var data = opts.data, langs = data.languages.slice();
    var courseId = data.course.id.replace(/\/+$/, "");
    var moduleId = opts.activityId;
    var extBase = courseId + "/xapi/extensions/";
    var teamCode = null, language = opts.language || data.defaultLanguage;
    var now = opts.now || function () { return new Date(); };
    var moduleType = ACT + (data.module.kind === "self_assessment" ? "assessment" : "module");

    function moduleObject() {
      return {objectType: "Activity", id: moduleId, definition: {
        type: moduleType, name: langMap(data.module.title, langs)}};
    }

    function context(verb, sub) {
      var ctx = opts.cmi5 ? (clone(opts.contextTemplate) || {}) : {};
      ctx.registration = opts.registration;
      ctx.language = language;
      var acts = ctx.contextActivities || {};
      if (sub) addActivities(acts, "parent", [{objectType: "Activity", id: moduleId}]);
      addActivities(acts, "grouping", [{objectType: "Activity", id: courseId, definition: {
        type: ACT + "course", name: langMap(data.course.title, langs)}}]);
      if (opts.cmi5 && CMI5_DEFINED[verb]) {
        addActivities(acts, "category", [{id: "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]);
        if (MOVE_ON[verb]) addActivities(acts, "category", [{id: CMI5 + "categories/moveon"}]);
      }
      ctx.contextActivities = acts;
      var ext = ctx.extensions || {};
      if (teamCode) ext[extBase + "team-code"] = teamCode;
      if (opts.cmi5 && (verb === "passed" || verb === "failed") && opts.masteryScore != null) {
        ext[CMI5 + "extensions/masteryscore"] = opts.masteryScore;  // echoed exactly as launched
      }
      if (Object.keys(ext).length) ctx.extensions = ext;
      return ctx;
    }

    function statement(verb, object, result, sub) {
      var s = {
        id: uuid(),
        actor: clone(opts.actor),  // MUST 27: the launch actor unchanged
        verb: {id: ADL + verb, display: langMap(VERB_NAMES[verb], langs)},
        object: object,
        context: context(verb, sub),
        timestamp: now().toISOString()
      };
      if (result) s.result = result;
      return s;
    }

    function pageStatement(ev) {
      // Page IRIs come from the course (ARCHITECTURE §3), not from the LMS's AU id, so that reports can
      // match them across LMSs; the launch id stays the parent.
      var pageBase = data.module.activityId || moduleId;
      return statement("experienced", {objectType: "Activity", id: pageBase + "/page/" + ev.pageId, definition: {
        type: ACT + "lesson", name: langMap(ev.title, langs)}}, null, true);
    }

    function answerStatement(ev) {
      var prompt = langMap(ev.prompt, langs);
      var def = {type: ACT + "cmi.interaction", name: prompt, description: prompt};
      var result = {};
      if (ev.kind === "choice" || ev.kind === "true-false") {
        var order = (ev.choices || []).map(function (c) { return c.id; });
        var inOrder = function (ids) {
          return ids.slice().sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); }).join("[,]");
        };
        def.interactionType = ev.kind;
        if (ev.kind === "choice") {
          def.choices = ev.choices.map(function (c) { return {id: c.id, description: langMap(c.text, langs)}; });
        }
        // A scenario without a best choice has no right answer: no pattern, no success (never scored).
        var keyed = ev.scored !== false || (ev.correct || []).length;
        if (keyed) def.correctResponsesPattern = [inOrder(ev.correct || [])];
        result.response = inOrder(ev.response || []);
        if (keyed) result.success = !!ev.success;
        result.extensions = {};
        result.extensions[extBase + "attempt"] = ev.attempt || 1;
        if (ev.latencyMs != null) result.duration = isoDuration(ev.latencyMs);
      } else if (ev.kind === "likert") {
        def.interactionType = "likert";
        def.scale = ev.scale.map(function (p) { return {id: p.id, description: langMap(p.label, langs)}; });
        result.response = String(ev.response);
      } else {
        def.interactionType = "long-fill-in";
        result.response = String(ev.response == null ? "" : ev.response);
      }
      var st = statement("answered", {objectType: "Activity", id: ev.activityId, definition: def}, result, true);
      // Self-assessment answers name their administration (1, 2, …) so reports can compare over time.
      if (ev.administration) {
        st.context.extensions = st.context.extensions || {};
        st.context.extensions[extBase + "administration"] = ev.administration;
      }
      return st;
    }

    /** Return the statements for a learner event ([] for events without a statement). */
    function forEvent(ev) {
      if (ev.type === "page") return [pageStatement(ev)];
      if (ev.type === "answer") return [answerStatement(ev)];
      if (ev.type === "team-code") { teamCode = ev.code ? String(ev.code).slice(0, 64) : null; }
      return [];
    }

    /** Return initialized / resumed / suspended / terminated (duration on terminated and suspended). */
    function lifecycle(verb, durationMs) {
      var result = durationMs == null ? null : {duration: isoDuration(durationMs)};
      return statement(verb, moduleObject(), result, false);
    }

    /** Return completed and/or passed/failed for a result {completed, passed, scoreRaw, durationMs}. */
    function completion(r) {
      var out = [], duration = isoDuration(r.durationMs), score = null;
      if (r.passed === true || r.passed === false) {
        var raw = Math.max(0, Math.min(100, Number(r.scoreRaw) || 0));
        var scaled = Math.round(raw * 100) / 10000, passed = r.passed;
        // cmi5: the AU must judge against the masteryScore the LMS launched, not its own pass mark.
        if (opts.cmi5 && opts.masteryScore != null) passed = scaled >= Number(opts.masteryScore);
        // MUST 32: scaled and raw+min+max (C5L grades from raw; CATAPULT needs min/max with raw).
        score = {scaled: scaled, raw: raw, min: 0, max: 100};
        var res = {score: clone(score), success: passed, duration: duration};
        // Plain xAPI carries completion too (ARCHITECTURE §6); cmi5 keeps it on `completed` alone.
        if (!opts.cmi5) res.completion = !!r.completed;
        out.push(statement(passed ? "passed" : "failed", moduleObject(), res, false));
      }
      if (r.completed) {
        var done = {completion: true, duration: duration};
        // MUST 28: mod_tincanlaunch grades only from result.score.scaled of the `completed` statement, so
        // plain xAPI repeats the score there. cmi5 keeps the score on passed/failed, where moveOn reads it.
        if (score && !opts.cmi5) done = {score: clone(score), completion: true, duration: duration};
        out.push(statement("completed", moduleObject(), done, false));
      }
      return out;
    }

    return {
      forEvent: forEvent, lifecycle: lifecycle, completion: completion,
      setLanguage: function (l) { if (l) language = l; },
      teamCode: function () { return teamCode; },
      setTeamCode: function (c) { teamCode = c || null; }
    };
  }

  ECE.xapiStatements = {uuid: uuid, isoDuration: isoDuration, langMap: langMap, createBuilder: createBuilder,
    VERBS: ADL, CMI5_CONTEXT: CMI5};
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));

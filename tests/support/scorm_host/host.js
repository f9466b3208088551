/* Test LMS host page: puts scorm-again's real runtime where a SCORM package looks for it.
 *
 * Query: v=12|2004, pkg=<served package name>, learner=<key>, mode=iframe|nested|popup|noapi,
 *        comments=replace|append (append = Moodle 4.5's cmi.comments behaviour, measured 2026-11),
 *        failset=<element prefix> (the LMS refuses SetValue on those elements: fault injection),
 *        failcode=<error code> for those refusals (default: the standard's general failure),
 *        failinit=1 / failfinish=1 (LMSInitialize / LMSFinish, or Initialize / Terminate, answer "false"
 *        with failcode and never reach the runtime: an LMS that refuses to open or to close the session),
 *        spy=1 (refuse nothing; log every call with its error code in eceHost.apiCalls),
 *        strict=1 (SCORM 1.2 as Moodle keeps it with "SCORM standards mode" on: a cmi.suspend_data over
 *        4,096 characters is refused with 405; scorm-again itself keeps 64,000, as Moodle's default does).
 * At launch it restores what the test LMS server stored, the way Moodle's get_scorm_default does
 * (docs/LMS-RULES.md, runtime value formats: for 2004 only after cmi.exit = suspend).
 */
(function () {
  "use strict";
  var q = new URLSearchParams(location.search);
  var v = q.get("v") === "2004" ? "2004" : "12";
  var learner = q.get("learner") || "learner";
  var mode = q.get("mode") || "iframe";
  var failSet = q.get("failset") || "";
  var failCode = q.get("failcode") || "";
  var failInit = q.get("failinit") === "1";
  var failFinish = q.get("failfinish") === "1";
  var spy = q.get("spy") === "1"; // log every API call and its error code without refusing any
  var strict = q.get("strict") === "1" && v === "12";
  var appendComments = q.get("comments") === "append";
  var pkgUrl = "/pkg/" + encodeURIComponent(q.get("pkg") || "") + "/index.html";
  var host = { calls: [], apiCalls: [], api: null, ready: false, finished: false, injectedError: "0" };
  window.eceHost = host;

  function status(text) { document.getElementById("host-status").textContent = text; }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  function restore12(api, data) {
    var c = api.cmi;
    c.core.student_id = learner;
    c.core.student_name = data.name;
    c.core.lesson_mode = "normal";
    c.core.credit = "credit";
    if (data.language) c.student_preference.language = data.language;
    // Moodle passes the manifest's adlcp:masteryscore; scorm-again, like Moodle's default "mastery score
    // overrides status", then rewrites lesson_status from score.raw at LMSFinish.
    if (data.mastery) c.student_data.mastery_score = data.mastery;
    var s = data.cmi;
    if (!s) { c.core.entry = "ab-initio"; return; }
    var core = s.core || {};
    c.core.entry = core.exit === "suspend" ? "resume" : (core.lesson_status ? "" : "ab-initio");
    if (core.lesson_location) c.core.lesson_location = core.lesson_location;
    if (core.lesson_status && core.lesson_status !== "not attempted") c.core.lesson_status = core.lesson_status;
    if (core.score && core.score.raw !== "") {
      c.core.score.raw = core.score.raw; c.core.score.min = core.score.min; c.core.score.max = core.score.max;
    }
    if (core.total_time) c.core.total_time = core.total_time;
    if (s.suspend_data) c.suspend_data = s.suspend_data;
    if (s.comments) c.comments = s.comments;
    if (s.interactions) api.loadFromJSON({ interactions: s.interactions }, "cmi");
  }

  function restore2004(api, data) {
    var c = api.cmi;
    c.learner_id = learner;
    c.learner_name = data.name;
    c.mode = "normal";
    c.credit = "credit";
    if (data.language) c.learner_preference.language = data.language;
    var s = data.cmi;
    // Moodle (M-13lib) only restores earlier values when the previous session ended with exit=suspend.
    if (!s || s.exit !== "suspend") { c.entry = "ab-initio"; return; }
    c.entry = "resume";
    ["location", "completion_status", "success_status", "suspend_data"].forEach(function (k) {
      if (s[k]) c[k] = s[k];
    });
    if (s.score && s.score.raw !== "") {
      ["raw", "min", "max", "scaled"].forEach(function (k) { if (s.score[k] !== "") c.score[k] = s.score[k]; });
    }
    var rest = {};
    if (s.interactions) rest.interactions = s.interactions;
    if (s.comments_from_learner) rest.comments_from_learner = s.comments_from_learner;
    api.loadFromJSON(rest, "cmi");
  }

  function listen(api) {
    var p = v === "12" ? "LMS" : "";
    var set = p + "SetValue";
    api.on(set + ".cmi.*", function (el, val) { host.calls.push(["set", el, val]); });
    api.on(p + "Commit", function () { host.calls.push(["commit"]); });
    api.on(p + "Initialize", function () { host.calls.push(["initialize"]); });
    api.on(v === "12" ? "LMSFinish" : "Terminate", function () { host.calls.push(["finish"]); host.finished = true; });
    if (appendComments && v === "12") {
      // Moodle appends each LMSSetValue('cmi.comments') to what is there; scorm-again replaces.
      var shadow = api.cmi.comments || "";
      api.on("LMSSetValue.cmi.comments", function (el, val) {
        shadow += val;
        try { api.cmi.comments = shadow; } catch (e) { shadow = api.cmi.comments; }
      });
    }
  }

  // A facade is used only for fault injection: every call still goes to the real runtime, except a
  // SetValue on an element under `failset`, and LMSInitialize / LMSFinish when failinit / failfinish are
  // set, which fail with the standard "general" error code. Every call the package makes is logged in
  // host.apiCalls ([method, first argument, result]) so tests can see calls after a finish (MUST 22).
  function faulty(api) {
    var code = failCode || (v === "12" ? "101" : "351");
    var names = v === "12"
      ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
         "LMSGetErrorString", "LMSGetDiagnostic"]
      : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
         "GetDiagnostic"];
    var f = {};
    names.forEach(function (n) {
      f[n] = function () {
        var args = Array.prototype.slice.call(arguments);
        var refuse = (failInit && /Initialize$/.test(n)) || (failFinish && /(Finish|Terminate)$/.test(n));
        if (refuse) {
          host.injectedError = code;
          host.apiCalls.push([n, args[0], "false"]);
          host.calls.push(["refused", n, ""]);
          if (/(Finish|Terminate)$/.test(n)) host.finishRefused = true;
          return "false";
        }
        if (failSet && /SetValue$/.test(n) && String(args[0]).indexOf(failSet) === 0) {
          host.injectedError = code;
          host.calls.push(["refused", args[0], args[1]]);
          return "false";
        }
        if (strict && n === "LMSSetValue" && args[0] === "cmi.suspend_data" && String(args[1]).length > 4096) {
          host.injectedError = "405";
          host.apiCalls.push([n, args[0], "false", "405"]);
          return "false";
        }
        if (/GetLastError$/.test(n) && host.injectedError !== "0") return host.injectedError;
        if (/(ErrorString|Diagnostic)$/.test(n) && host.injectedError !== "0" && String(args[0]) === code) {
          return "General failure (test LMS refused this element)";
        }
        host.injectedError = "0";
        var result = api[n].apply(api, args);
        host.apiCalls.push([n, args[0], result, String(api[v === "12" ? "LMSGetLastError" : "GetLastError"]())]);
        return result;
      };
    });
    return f;
  }

  host.snapshot = function () { return host.api ? host.api.renderCMIToJSONObject() : null; };

  function launch() {
    var main = document.getElementById("host-main");
    if (mode === "popup") {
      var btn = document.getElementById("host-open");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        host.popup = window.open(pkgUrl, "ece-sco", "width=1000,height=700");
      });
      return;
    }
    var frame = document.createElement("iframe");
    frame.id = "sco";
    frame.name = "sco";
    frame.title = "Course content";
    frame.src = mode === "nested" ? "/host/wrap.html?src=" + encodeURIComponent(pkgUrl) : pkgUrl;
    main.appendChild(frame);
  }

  fetch("/lms/" + encodeURIComponent(learner) + "/launch?pkg=" + encodeURIComponent(q.get("pkg") || ""))
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (mode === "noapi") return null;
      return loadScript("/scorm-again/scorm" + v + ".js").then(function () { return data; });
    })
    .then(function (data) {
      if (data) {
        var settings = {
          lmsCommitUrl: "/lms/" + encodeURIComponent(learner) + "/commit",
          terminateCommitParam: "final", // lets the test server tell LMSFinish's commit from the others
          autocommit: false,
          logLevel: 5,
        };
        var api = v === "12" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
        (v === "12" ? restore12 : restore2004)(api, data);
        listen(api);
        host.api = api;
        var exposed = failSet || failInit || failFinish || spy || strict ? faulty(api) : api;
        if (v === "12") window.API = exposed; else window.API_1484_11 = exposed;
      }
      host.ready = true;
      status(mode === "noapi" ? "No LMS API on this page." : "SCORM " + (v === "12" ? "1.2" : "2004") + " runtime ready.");
      launch();
    })
    .catch(function (e) { status("Host failed: " + e.message); host.error = String(e); });
})();

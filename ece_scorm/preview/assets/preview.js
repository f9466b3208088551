/* ece-scorm preview page: a minimal SCORM 1.2 / 2004 LMS API that records the data model, the xAPI / cmi5
 * statement list, live reload over Server-Sent Events, and en/fr interface strings.
 * The API is the page's own (no third-party runtime): just enough of an LMS to show what a SCO sends and to
 * flag what a strict LMS would refuse (vocabularies, score ranges, suspend_data limits of MUST 16 and 20).
 */
(function () {
  "use strict";

  var STRINGS = {
    en: {title: "Course preview", module: "Module", restart: "Restart", other: "Français", otherLang: "fr",
      errorsTitle: "The course source has errors",
      errorsHelp: "Fix them and save: the preview rebuilds by itself. It keeps showing the last build that worked.",
      course: "Course", panelTitle: "What the LMS records", dataModel: "Data model",
      calls: "API calls (newest first)", element: "Element", value: "Value",
      offline: "Simulate an unreachable LRS", statements: "Statements (newest first)",
      reloaded: "Source changed: rebuilt and reloaded (build {v}).", failed: "Build {v} failed; see the errors.",
      loaded: "Showing module “{m}”.", rejected: "The LMS refused {call}: {code} {text}.",
      outbox: "Outbox in the browser: {n} waiting, {r} refused by the LRS.", noModules: "No module to show yet.",
      connection: "Lost the connection to the preview server; retrying…"},
    fr: {title: "Aperçu du cours", module: "Module", restart: "Recommencer", other: "English", otherLang: "en",
      errorsTitle: "La source du cours contient des erreurs",
      errorsHelp: "Corrigez-les et enregistrez : l’aperçu se reconstruit de lui-même. Il continue d’afficher la " +
        "dernière version qui fonctionnait.",
      course: "Cours", panelTitle: "Ce que la plateforme enregistre", dataModel: "Modèle de données",
      calls: "Appels à l’API (les plus récents d’abord)", element: "Élément", value: "Valeur",
      offline: "Simuler un LRS injoignable", statements: "Énoncés (les plus récents d’abord)",
      reloaded: "Source modifiée : reconstruite et rechargée (version {v}).",
      failed: "La construction {v} a échoué; voyez les erreurs.", loaded: "Module affiché : « {m} ».",
      rejected: "La plateforme a refusé {call} : {code} {text}.",
      outbox: "Boîte d’envoi du navigateur : {n} en attente, {r} refusés par le LRS.",
      noModules: "Aucun module à afficher pour l’instant.",
      connection: "Connexion au serveur d’aperçu perdue; nouvelle tentative…"}
  };
  var lang = (function () { try { return localStorage.getItem("ece-preview-lang") || "en"; } catch (e) { return "en"; } })();
  var state = null, current = null, shownVersion = 0, models = {}, calls = [], callCount = 0, statementCount = 0;

  function $(id) { return document.getElementById(id); }
  function t(key, vars) {
    return STRINGS[lang][key].replace(/\{(\w+)\}/g, function (_, k) { return vars && vars[k] != null ? vars[k] : ""; });
  }
  function say(key, vars) { $("status").textContent = t(key, vars); }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    var b = $("lang");
    b.textContent = t("other");
    b.setAttribute("lang", t("otherLang"));
    renderModules();
    renderOutbox();
  }

  /* ---- SCORM data model ------------------------------------------------------------------------- */

  var ERRORS = {0: "No error", 101: "General exception", 103: "Already initialized", 104: "Content instance terminated",
    112: "Termination before initialization",
    122: "Retrieve data before initialization", 123: "Retrieve data after termination",
    132: "Store data before initialization", 133: "Store data after termination", 201: "Invalid argument",
    301: "Not initialized", 401: "Not implemented", 403: "Element is read only", 404: "Element is read only",
    405: "Incorrect data type", 406: "Data model element type mismatch", 407: "Value out of range",
    351: "General set failure"};
  var V12 = {
    readOnly: /^cmi\.core\.(student_id|student_name|entry|credit|lesson_mode|total_time)$|^cmi\.launch_data$|_count$|_children$/,
    rules: [
      [/^cmi\.core\.lesson_status$/, function (v) { return /^(passed|completed|failed|incomplete|browsed)$/.test(v); }],
      [/^cmi\.core\.score\.(raw|min|max)$/, function (v) { return v === "" || (isFinite(v) && +v >= 0 && +v <= 100); }],
      [/^cmi\.core\.session_time$/, function (v) { return /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/.test(v); }],
      [/^cmi\.core\.exit$/, function (v) { return /^(time-out|suspend|logout|)$/.test(v); }],
      [/^cmi\.suspend_data$/, function (v) { return v.length <= 4096; }],
      [/^cmi\.core\.lesson_location$/, function (v) { return v.length <= 255; }],
      [/^cmi\.comments$/, function (v) { return v.length <= 4096; }],
      [/^cmi\.interactions\.\d+\.id$/, function (v) { return /^\S+$/.test(v); }],
      [/^cmi\.interactions\.\d+\.student_response$/, function (v) { return v.length <= 255; }]
    ], bad: 405, readOnlyCode: 403
  };
  var V2004 = {
    readOnly: /^cmi\.(learner_id|learner_name|entry|credit|mode|total_time|launch_data|completion_threshold|scaled_passing_score)$|_count$|_children$/,
    rules: [
      [/^cmi\.completion_status$/, function (v) { return /^(completed|incomplete|not attempted|unknown)$/.test(v); }],
      [/^cmi\.success_status$/, function (v) { return /^(passed|failed|unknown)$/.test(v); }],
      [/^cmi\.score\.scaled$/, function (v) { return isFinite(v) && +v >= -1 && +v <= 1; }],
      [/^cmi\.score\.(raw|min|max)$/, function (v) { return v !== "" && isFinite(v); }],
      [/^cmi\.session_time$/, function (v) { return /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/.test(v); }],
      [/^cmi\.exit$/, function (v) { return /^(time-out|suspend|logout|normal|)$/.test(v); }],
      [/^cmi\.suspend_data$/, function (v) { return v.length <= 64000; }],
      [/^cmi\.location$/, function (v) { return v.length <= 1000; }],
      [/^cmi\.interactions\.\d+\.id$/, function (v) { return /^\S+$/.test(v); }]
    ], bad: 406, readOnlyCode: 404
  };

  function freshModel(v2004) {
    return v2004 ? {"cmi.learner_id": "preview-learner", "cmi.learner_name": "Learner, Preview",
      "cmi.completion_status": "unknown", "cmi.success_status": "unknown", "cmi.entry": "ab-initio",
      "cmi.mode": "normal", "cmi.credit": "credit", "cmi.suspend_data": "", "cmi.location": "",
      "cmi.learner_preference.language": lang}
      : {"cmi.core.student_id": "preview-learner", "cmi.core.student_name": "Learner, Preview",
        "cmi.core.lesson_status": "not attempted", "cmi.core.entry": "ab-initio", "cmi.core.lesson_mode": "normal",
        "cmi.core.credit": "credit", "cmi.suspend_data": "", "cmi.core.lesson_location": "", "cmi.launch_data": "",
        "cmi.comments": "", "cmi.student_preference.language": lang};
  }

  function makeApi(v2004) {
    var rules = v2004 ? V2004 : V12, session = {initialized: false, terminated: false, error: 0, changed: null};
    var mid = current;  // a page being unloaded keeps writing to its own module, not to the next one

    function model() { return models[mid].data; }
    function log(call, args, result, code) {
      calls.unshift({n: ++callCount, call: call, args: args, result: result, code: code});
      calls.length = Math.min(calls.length, 300);
      if (code) say("rejected", {call: call + "(" + args.map(JSON.stringify).join(", ") + ")", code: code,
        text: ERRORS[code] || ""});
      renderScorm();
    }
    function fail(call, args, code, value) { session.error = code; log(call, args, value, code); return value; }
    function count(prefix) {
      var n = 0, re = new RegExp("^" + prefix.replace(/\./g, "\\.") + "\\.(\\d+)\\.");
      Object.keys(model()).forEach(function (k) { var m = re.exec(k); if (m) n = Math.max(n, +m[1] + 1); });
      return n;
    }
    function init(call) {
      if (session.initialized && !session.terminated) return fail(call, [""], v2004 ? 103 : 101, "false");
      if (session.terminated && v2004) return fail(call, [""], 104, "false");
      // The entry mode is decided at launch time: the previous page may have suspended while unloading.
      model()[v2004 ? "cmi.entry" : "cmi.core.entry"] = models[mid].resume ? "resume" : "ab-initio";
      session.initialized = true; session.error = 0; log(call, [""], "true", 0); return "true";
    }
    function finish(call) {
      if (!session.initialized || session.terminated) return fail(call, [""], v2004 ? 112 : 301, "false");
      session.terminated = true; session.error = 0;
      var exit = model()[v2004 ? "cmi.exit" : "cmi.core.exit"];
      models[mid].resume = exit === "suspend";  // a new launch of this module resumes (MUST 19)
      log(call, [""], "true", 0); return "true";
    }
    function get(call, el) {
      if (!session.initialized) return fail(call, [el], v2004 ? 122 : 301, "");
      if (session.terminated && v2004) return fail(call, [el], 123, "");
      session.error = 0;
      var m = /^(cmi\.(?:interactions|objectives|comments_from_learner))\._count$/.exec(el);
      var value = m ? String(count(m[1])) : (model()[el] != null ? model()[el] : "");
      log(call, [el], value, 0); return value;
    }
    function set(call, el, value) {
      value = String(value);
      if (!session.initialized) return fail(call, [el, value], v2004 ? 132 : 301, "false");
      if (session.terminated && v2004) return fail(call, [el, value], 133, "false");
      if (rules.readOnly.test(el)) return fail(call, [el, value], rules.readOnlyCode, "false");
      var idx = /^(cmi\.(?:interactions|objectives|comments_from_learner))\.(\d+)\./.exec(el);
      if (idx && +idx[2] > count(idx[1])) return fail(call, [el, value], v2004 ? 351 : 201, "false");
      for (var i = 0; i < rules.rules.length; i++) {
        if (rules.rules[i][0].test(el) && !rules.rules[i][1](value)) return fail(call, [el, value], rules.bad, "false");
      }
      model()[el] = value; session.changed = el; session.error = 0;
      log(call, [el, value], "true", 0); return "true";
    }
    var api = {
      _session: session,
      getLastError: function () { return String(session.error); },
      getErrorString: function (c) { return ERRORS[c] || ""; }
    };
    if (v2004) {
      api.Initialize = function () { return init("Initialize"); };
      api.Terminate = function () { return finish("Terminate"); };
      api.GetValue = function (el) { return get("GetValue", el); };
      api.SetValue = function (el, v) { return set("SetValue", el, v); };
      api.Commit = function () { log("Commit", [""], "true", 0); return "true"; };
      api.GetLastError = api.getLastError; api.GetErrorString = api.getErrorString;
      api.GetDiagnostic = api.getErrorString;
    } else {
      api.LMSInitialize = function () { return init("LMSInitialize"); };
      api.LMSFinish = function () { return finish("LMSFinish"); };
      api.LMSGetValue = function (el) { return get("LMSGetValue", el); };
      api.LMSSetValue = function (el, v) { return set("LMSSetValue", el, v); };
      api.LMSCommit = function () { log("LMSCommit", [""], "true", 0); return "true"; };
      api.LMSGetLastError = api.getLastError; api.LMSGetErrorString = api.getErrorString;
      api.LMSGetDiagnostic = api.getErrorString;
    }
    return api;
  }

  /* ---- rendering -------------------------------------------------------------------------------- */

  function renderModules() {
    var sel = $("module");
    sel.textContent = "";
    (state && state.modules || []).forEach(function (m) {
      var o = document.createElement("option");
      o.value = m.id; o.textContent = m.title[lang] || m.title.en || m.id;
      sel.appendChild(o);
    });
    if (current) sel.value = current;
  }

  function renderScorm() {
    if (!current || !models[current]) return;
    var data = models[current].data, changed = window.API_1484_11 ? window.API_1484_11._session.changed
      : window.API ? window.API._session.changed : null, body = $("model").tBodies[0];
    body.textContent = "";
    Object.keys(data).sort().forEach(function (k) {
      var tr = body.insertRow(), a = tr.insertCell(), b = tr.insertCell();
      a.textContent = k; b.textContent = data[k];
      if (k === changed) tr.className = "changed";
    });
    var ol = $("calls");
    ol.textContent = "";
    calls.slice(0, 100).forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.call + "(" + c.args.map(function (a) { return JSON.stringify(a); }).join(", ") + ") → " +
        JSON.stringify(c.result) + (c.code ? "  [" + c.code + " " + (ERRORS[c.code] || "") + "]" : "");
      if (c.code) li.className = "bad";
      li.value = c.n;  // numbered in call order while the newest stays on top
      ol.appendChild(li);
    });
  }

  function addStatement(st) {
    var li = document.createElement("li"), d = document.createElement("details"), s = document.createElement("summary");
    var verb = (st.verb && st.verb.id || "").split("/").pop(), obj = st.object && st.object.id || "";
    var r = st.result || {}, bits = [];
    if (r.response != null) bits.push("response=" + r.response);
    if (r.success != null) bits.push("success=" + r.success);
    if (r.completion != null) bits.push("completion=" + r.completion);
    if (r.score && r.score.raw != null) bits.push("score=" + r.score.raw);
    s.textContent = verb + " — " + obj.split("/").slice(-2).join("/") + (bits.length ? " (" + bits.join(", ") + ")" : "");
    var pre = document.createElement("pre");
    pre.textContent = JSON.stringify(st, null, 2);
    d.appendChild(s); d.appendChild(pre); li.appendChild(d);
    li.dataset.verb = verb;
    li.value = ++statementCount;
    $("statements").insertBefore(li, $("statements").firstChild);
  }

  function renderOutbox() {
    if (!state || state.format === "scorm12" || state.format === "scorm2004") return;
    var n = 0, r = 0;
    try {
      var store = $("course").contentWindow.localStorage;
      for (var i = 0; i < store.length; i++) {
        var k = store.key(i);
        if (!/^ece-(xapi|cmi5)-outbox:/.test(k)) continue;
        var items = JSON.parse(store.getItem(k) || "[]");
        if (/:rejected$/.test(k)) r += items.length; else n += items.length;
      }
    } catch (e) { /* the course page is not loaded yet */ }
    $("outbox").textContent = t("outbox", {n: n, r: r});
  }

  /* ---- launching and reloading ------------------------------------------------------------------ */

  function launch(moduleId) {
    current = moduleId;
    var frame = $("course"), mod = state.modules.filter(function (m) { return m.id === moduleId; })[0];
    if (!mod) { say("noModules"); return; }
    frame.title = (mod.title[lang] || mod.id);
    if (state.format === "scorm12" || state.format === "scorm2004") {
      var v2004 = state.format === "scorm2004";
      var prev = models[moduleId];
      if (!prev) models[moduleId] = prev = {data: freshModel(v2004), resume: false};
      window.API = v2004 ? undefined : makeApi(false);
      window.API_1484_11 = v2004 ? makeApi(true) : undefined;
      renderScorm();
      frame.src = "/course/" + encodeURIComponent(moduleId) + "/index.html?build=" + state.shown;
    } else {
      fetch("/api/launch?module=" + encodeURIComponent(moduleId)).then(function (r) { return r.json(); })
        .then(function (j) { if (j.url) frame.src = j.url; });
    }
    say("loaded", {m: mod.title[lang] || mod.id});
  }

  function showErrors() {
    var box = $("errors"), list = $("error-list");
    list.textContent = "";
    (state.errors || []).forEach(function (e) {
      var li = document.createElement("li"); li.textContent = e; list.appendChild(li);
    });
    box.hidden = !(state.errors && state.errors.length);
  }

  function setState(next, reason) {
    var first = state === null;
    state = next;
    $("format").textContent = state.format;
    $("scorm-panel").hidden = !/^scorm/.test(state.format);
    $("xapi-panel").hidden = /^scorm/.test(state.format);
    showErrors();
    renderModules();
    if (state.errors.length && !first) { say("failed", {v: state.version}); return; }
    if (!state.modules.length) { say("noModules"); return; }
    if (first || state.shown !== shownVersion) {
      shownVersion = state.shown;
      var keep = current && state.modules.some(function (m) { return m.id === current; });
      launch(keep ? current : state.modules[0].id);
      if (!first && reason === "build") say("reloaded", {v: state.shown});
    }
  }

  function connect() {
    var es = new EventSource("/events");
    es.addEventListener("build", function (e) { setState(JSON.parse(e.data), "build"); });
    es.addEventListener("statement", function (e) { addStatement(JSON.parse(e.data)); renderOutbox(); });
    es.onerror = function () { say("connection"); };
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyLanguage();
    $("lang").addEventListener("click", function () {
      lang = t("otherLang");
      try { localStorage.setItem("ece-preview-lang", lang); } catch (e) { /* private mode */ }
      applyLanguage();
    });
    $("module").addEventListener("change", function () { launch($("module").value); });
    $("restart").addEventListener("click", function () {
      if (current) { delete models[current]; calls = []; callCount = 0; launch(current); }
    });
    $("offline").addEventListener("change", function () {
      fetch("/api/lrs-offline?" + ($("offline").checked ? "on" : "off"));
    });
    fetch("/api/statements").then(function (r) { return r.json(); }).then(function (list) {
      list.forEach(addStatement);
    });
    fetch("/api/state").then(function (r) { return r.json(); }).then(function (s) { setState(s, "load"); connect(); });
    setInterval(renderOutbox, 1000);
  });
})();

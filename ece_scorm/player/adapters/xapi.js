/* ECE player — xAPI adapter (Rustici launch, as Moodle's mod_tincanlaunch opens it).
 *
 * MUST 27: endpoint, auth, actor, registration and activity_id come from the launch URL only; `auth` is
 * sent verbatim and never stored. MUST 28: completion statements use object.id = activity_id exactly.
 * MUST 29: a top-level window, every LRS call a CORS request. Statements go through the durable outbox;
 * resume state lives in the State API with a local copy until the LRS confirmed it.
 * Needs xapi-statements.js and outbox.js loaded first.
 */
(function (ECE) {
  "use strict";
  ECE.adapters = ECE.adapters || {};

  var MSG = {
    badLaunch: {en: "The launch link is incomplete or damaged ({what}); your progress is kept in this browser only.",
      fr: "Le lien de lancement est incomplet ou endommagé ({what})\u00a0; votre progression est conservée dans ce " +
        "navigateur seulement."}
  };

  function msg(key, vars) {
    var out = {};
    Object.keys(MSG[key]).forEach(function (l) {
      out[l] = MSG[key][l].replace(/\{(\w+)\}/g, function (_, k) { return String(vars[k]); });
    });
    return out;
  }

  function localStore(win) {
    try { var s = win.localStorage; s.getItem("ece-probe"); return s; } catch (e) { return null; }
  }

  /** Return the launch parameters, or {error} naming what is missing or malformed. */
  function readLaunch(search) {
    var p = new URLSearchParams(search);  // '+' and %20 both decode to spaces
    if (!p.get("endpoint") && !p.get("actor")) return null;  // not launched by an xAPI launcher
    var out = {endpoint: p.get("endpoint"), auth: p.get("auth"), registration: p.get("registration"),
      activityId: p.get("activity_id")}, actor = null;
    try { actor = JSON.parse(p.get("actor") || "null"); } catch (e) { actor = null; }
    // tincanlaunch may send xAPI 0.95-style arrays ({"mbox":["mailto:…"]}); reduce them to one value.
    if (actor) ["mbox", "name", "mbox_sha1sum", "openid"].forEach(function (k) {
      if (Array.isArray(actor[k])) actor[k] = actor[k][0];
    });
    if (actor && Array.isArray(actor.account)) actor.account = actor.account[0];
    out.actor = actor;
    if (!/^https?:\/\//i.test(out.endpoint || "")) return {error: "endpoint"};
    if (!actor || typeof actor !== "object" || !(actor.mbox || actor.account || actor.openid ||
      actor.mbox_sha1sum)) return {error: "actor"};
    if (!/^[a-z][a-z0-9+.-]*:/i.test(out.activityId || "")) return {error: "activity_id"};
    return out;
  }

  /** Return the first course language in a learner-preferences document ({languagePreference: "fr-CA,en"}). */
  function preferredLanguage(doc, languages) {
    var pref = null;
    try { pref = doc.status === 200 ? JSON.parse(doc.text).languagePreference : null; } catch (e) { pref = null; }
    return ECE.i18n.match(pref, languages);
  }

  ECE.adapters.xapi = function (data, env) {
    env = env || {};
    var win = env.window || window, doc = win.document;
    var listeners = [], box = null, lrs = null, builder = null, launch = null, startedAt = Date.now();
    var stateKey = null, stateParams = null, exited = false, storage = localStore(win);

    function emit(st) { listeners.forEach(function (fn) { fn(st); }); }

    function keepLocalState(state, dirty) {
      if (!storage) return;
      try { storage.setItem(stateKey, JSON.stringify({state: state, dirty: dirty})); } catch (e) { /* full */ }
    }

    function localState() {
      try { return JSON.parse(storage && storage.getItem(stateKey) || "null"); } catch (e) { return null; }
    }

    function pushState(state, keepalive) {
      return lrs.putDocument("activities/state", stateParams, state, "text/plain; charset=utf-8", keepalive)
        .then(function (status) {
          if (status >= 200 && status < 300) {
            var cur = localState();
            if (cur && cur.state === state) keepLocalState(state, false);
          } else if (status === 401 || status === 403) {
            box.authFailed(status);  // same credentials as statements: one message, no retries
          }
          return status;
        });
    }

    function add(statements) { statements.forEach(function (s) { box.add(s); }); }

    return {
      name: "xapi",
      start: function () {
        launch = readLaunch(win.location.search);
        if (!launch) return null;
        if (launch.error) {
          emit({level: "error", message: msg("badLaunch", {what: launch.error})});
          return null;
        }
        lrs = ECE.outbox.lrsClient(launch.endpoint, launch.auth, env.fetch);
        var scope = launch.endpoint + "|" + (launch.registration || "") + "|" + launch.activityId;
        box = ECE.outbox.create({key: "ece-xapi-outbox:" + scope, storage: storage,
          send: lrs.sendStatements});
        box.onStatus(emit);
        builder = ECE.xapiStatements.createBuilder({data: data, actor: launch.actor,
          registration: launch.registration || undefined, activityId: launch.activityId, cmi5: false});
        stateKey = "ece-xapi-state:" + scope;
        stateParams = {activityId: launch.activityId, agent: JSON.stringify(launch.actor),
          registration: launch.registration || null,
          stateId: data.course.id.replace(/\/+$/, "") + "/xapi/state/resume"};
        win.addEventListener("online", function () { box.retryNow(); });
        doc.addEventListener("visibilitychange", function () {
          if (doc.visibilityState === "hidden") box.flushKeepalive();
        });
        box.flush();  // replay what an earlier launch left behind
        // mod_tincanlaunch writes the learner's Moodle language in this agent profile (xAPI launch §3.2).
        var prefs = lrs.getDocument("agents/profile", {agent: stateParams.agent,
          profileId: "CMI5LearnerPreferences"});
        return Promise.all([lrs.getDocument("activities/state", stateParams), prefs]).then(function (docs) {
          var res = docs[0], local = localState(), state = res.status === 200 ? res.text : null;
          // A local copy the LRS never confirmed is newer than the LRS's one: use it and send it again.
          if (local && (local.dirty || res.status === 0)) {
            state = local.state;
            if (local.dirty) pushState(state, false);
          }
          if (res.status === 401 || res.status === 403) box.authFailed(res.status);
          startedAt = Date.now();
          add([builder.lifecycle(state ? "resumed" : "initialized")]);
          return {state: state || null, language: preferredLanguage(docs[1], data.languages),
            learnerName: launch.actor.name || null, mode: "normal", resumed: !!state};
        });
      },
      record: function (ev) {
        if (ev.type === "page" || ev.type === "answer") builder.setLanguage(ECE.i18n && ECE.i18n.lang);
        add(builder.forEvent(ev));
      },
      saveState: function (state) {
        keepLocalState(state, true);  // durable first, like statements
        return pushState(state, false);
      },
      complete: function (result) {
        add(builder.completion(result));
      },
      exit: function (finished) {
        if (exited || !box) return Promise.resolve();
        exited = true;
        var duration = Date.now() - startedAt;
        if (!finished) add([builder.lifecycle("suspended", duration)]);
        add([builder.lifecycle("terminated", duration)]);
        var local = localState();
        if (local && local.dirty) pushState(local.state, true);
        return box.flushKeepalive();
      },
      onStatus: function (fn) { listeners.push(fn); }
    };
  };
  ECE.adapters.xapi.readLaunch = readLaunch;
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));

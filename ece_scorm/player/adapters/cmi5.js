/* ECE player — cmi5 AU runtime (MUST 31–32).
 *
 * Launch contract: endpoint, fetch, actor, registration, activityId from the URL (read with URLSearchParams:
 * LMSs may write '+' for spaces); POST `fetch` once per session — the token is kept in sessionStorage so a
 * reload continues the session instead of asking again (a second fetch answers "Already in Use"); read
 * LMS.LaunchData and the cmi5LearnerPreferences agent profile before the first statement; `initialized`
 * once, first; `terminated` with duration last; completed/passed/failed only in Normal mode, each at most
 * once per registration, judged against the launched masteryScore; returnURL honoured on exit.
 * Sessions: a statement belongs to the session it was made in (its contextTemplate's sessionid), so each
 * session has its own outbox and never sends an earlier one's statement (an LMS rejects it, 10.2.1.0-6, with
 * its whole batch). What an earlier session left queued is looked up in the LRS by id and dropped; what
 * never arrived is counted and the learner told; a lost outcome is reported again in the next Normal
 * session; answers and reflections survive in the resume state, kept on this device until the LRS has it.
 * Needs xapi-statements.js and outbox.js loaded first.
 */
(function (ECE) {
  "use strict";
  ECE.adapters = ECE.adapters || {};

  var MSG = {
    noToken: {en: "Your learning platform did not give this activity access to record your progress ({why}). " +
      "Close it and open it again from your learning platform.",
    fr: "Votre plateforme d’apprentissage n’a pas donné à cette activité l’accès pour enregistrer votre " +
      "progression ({why}). Fermez-la et rouvrez-la depuis votre plateforme d’apprentissage."},
    noLaunchData: {en: "Your learning platform did not provide this activity's launch data ({why}).",
      fr: "Votre plateforme d’apprentissage n’a pas fourni les données de lancement de cette activité ({why})."},
    ended: {en: "This session has ended. To continue, open the activity again from your learning platform.",
      fr: "Cette session est terminée. Pour continuer, rouvrez l’activité depuis votre plateforme " +
        "d’apprentissage."}
  };

  function msg(key, why) {
    return {en: MSG[key].en.replace("{why}", why), fr: MSG[key].fr.replace("{why}", why)};
  }

  function store(win, name) {
    try { var s = win[name]; s.getItem("ece-probe"); return s; } catch (e) { return null; }
  }

  /** Return the cmi5 launch parameters, null when absent, or {error}. */
  function readLaunch(search) {
    var p = new URLSearchParams(search);
    if (!p.get("fetch") && !p.get("activityId")) return null;
    var out = {endpoint: p.get("endpoint"), fetchUrl: p.get("fetch"), registration: p.get("registration"),
      activityId: p.get("activityId"), actor: null};
    try { out.actor = JSON.parse(p.get("actor") || "null"); } catch (e) { out.actor = null; }
    if (!/^https?:\/\//i.test(out.endpoint || "")) return {error: "endpoint"};
    if (!/^https?:\/\//i.test(out.fetchUrl || "")) return {error: "fetch"};
    if (!out.actor || typeof out.actor !== "object") return {error: "actor"};
    if (!out.registration) return {error: "registration"};
    if (!/^[a-z][a-z0-9+.-]*:/i.test(out.activityId || "")) return {error: "activityId"};
    return out;
  }

  /** POST the fetch URL; resolve the auth token or reject with a short reason. */
  function fetchToken(url, fetchFn) {
    return fetchFn(url, {method: "POST", mode: "cors", credentials: "omit", cache: "no-store"})
      .then(function (res) { return res.json(); })
      .then(function (body) {
        if (body && body["auth-token"]) return body["auth-token"];
        throw new Error((body && (body["error-text"] || body["error-code"])) || "no token");
      });
  }

  /** Pick a course language from a cmi5 languagePreference list ("fr-CA,en-US"). */
  function preferred(pref, languages) { return ECE.i18n.match(pref, languages); }

  var SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  var OUTBOX = "ece-cmi5-outbox:", SESSIONS = "ece-cmi5-sessions:", UNREPORTED = "ece-cmi5-unreported:";
  var STATE = "ece-cmi5-state:";
  var MOVE_ON = {completed: 1, passed: 1, failed: 1};

  ECE.adapters.cmi5 = function (data, env) {
    env = env || {};
    var win = env.window || window, doc = win.document;
    var fetchFn = env.fetch || win.fetch.bind(win);
    var session = store(win, "sessionStorage"), local = store(win, "localStorage");
    var listeners = [], box, lrs, builder, launch, launchData, mode = "normal", sk, startedAt = Date.now();
    var outcome = {completed: false, passed: false}, exited = false, stateParams, outcomeParams;
    var facade = ECE.outbox.durable(local), scope = "", lost = 0, note = null;

    var ended = false;
    function emit(st) {
      // Once the session has ended, "all saved" would hide what the learner must do next.
      if (ended && st.level === "ok") st = {level: "warn", message: MSG.ended, pending: st.pending};
      else if (note) st = withNote(st);
      listeners.forEach(function (fn) { fn(st); });
    }
    /** Add the notice about an earlier session's lost records to every status of this session. */
    function withNote(st) {
      var m = {};
      Object.keys(note).forEach(function (l) {
        var own = st.message && (typeof st.message === "string" ? st.message : st.message[l]);
        m[l] = (own ? own + " " : "") + note[l];
      });
      return {level: st.level === "error" ? "error" : "warn", message: m, pending: st.pending, code: st.code};
    }
    function sget(k) { try { return session ? session.getItem(sk + k) : null; } catch (e) { return null; } }
    function sset(k, v) { try { if (session) session.setItem(sk + k, v); } catch (e) { /* private mode */ } }
    function add(statements) { statements.forEach(function (s) { box.add(s); }); }
    function parse(text) { try { return JSON.parse(text); } catch (e) { return null; } }

    function begin() {
      var auth = "Basic " + sget(":token");
      lrs = ECE.outbox.lrsClient(launch.endpoint, auth, fetchFn);
      var agent = JSON.stringify(launch.actor);
      var base = data.course.id.replace(/\/+$/, "") + "/xapi/state/";
      stateParams = {activityId: launch.activityId, agent: agent, registration: launch.registration,
        stateId: base + "resume"};
      outcomeParams = {activityId: launch.activityId, agent: agent, registration: launch.registration,
        stateId: base + "cmi5-outcome"};
      // MUST 31: launch data and learner preferences are read before any statement is sent.
      return Promise.all([
        lrs.getDocument("activities/state", {activityId: launch.activityId, agent: agent,
          registration: launch.registration, stateId: "LMS.LaunchData"}),
        lrs.getDocument("agents/profile", {agent: agent, profileId: "cmi5LearnerPreferences"}),
        lrs.getDocument("activities/state", stateParams),
        lrs.getDocument("activities/state", outcomeParams)
      ]);
    }

    /** Open this session's outbox: a statement belongs to the session it was made in (10.2.1.0-6). */
    function openOutbox(sessionId) {
      box = ECE.outbox.create({key: OUTBOX + scope + "|" + sessionId, storage: local, send: lrs.sendStatements});
      box.onStatus(emit);
      win.addEventListener("online", function () { box.retryNow(); });
      doc.addEventListener("visibilitychange", function () {
        if (doc.visibilityState === "hidden") box.flushKeepalive();
      });
    }

    /**
     * Settle the outboxes earlier sessions left: ask the LRS for each statement by id; what it holds is
     * dropped, what it never got is counted and dropped too (a later session may not send it), and a lost
     * completed/passed/failed is kept to be reported again by this or a later Normal session. A statement
     * the LRS could not be asked about stays queued for the next launch, never sent.
     */
    function settleEarlier(sessionId) {
      var known = facade.read(SESSIONS + scope).filter(function (id) { return id !== sessionId; });
      facade.write(SESSIONS + scope, known.concat([sessionId]));
      var keys = known.map(function (id) { return OUTBOX + scope + "|" + id; });
      keys.push(OUTBOX + scope);  // the key of players that did not yet keep sessions apart
      return Promise.all(keys.map(function (key) {
        var list = facade.read(key);
        if (!list.length) return Promise.resolve({key: key, keep: false});
        return Promise.all(list.map(function (st) { return lrs.statementStatus(st.id); })).then(function (codes) {
          var unsure = false;
          codes.forEach(function (code, i) {
            if (code === 404) noteLost(list[i]);
            else if (code !== 200) unsure = true;
          });
          if (!unsure) facade.write(key, []);
          return {key: key, keep: unsure};
        });
      })).then(function (done) {
        var still = known.filter(function (id, i) { return done[i].keep; });
        facade.write(SESSIONS + scope, still.concat([sessionId]));
      });
    }

    /** Count a statement an earlier session never delivered; keep the outcome it carried. */
    function noteLost(st) {
      lost += 1;
      var verb = String(st.verb && st.verb.id).split("/").pop(), res = st.result || {};
      if (!MOVE_ON[verb]) return;
      var u = unreported();
      if (verb === "completed") u.completed = true;
      else u.passed = verb === "passed";
      if (res.score && res.score.raw != null) u.scoreRaw = res.score.raw;
      if (res.duration) u.duration = res.duration;
      facade.write(UNREPORTED + scope, [u]);
    }

    function unreported() { return facade.read(UNREPORTED + scope)[0] || {}; }

    /** In Normal mode, report again (in this session) an outcome an earlier session never delivered. */
    function reportUnreported() {
      var u = unreported();
      if (mode !== "normal" || !(u.completed || u.passed === true || u.passed === false)) return;
      facade.write(UNREPORTED + scope, []);
      // The outcome document was written when the statements were queued: it claims what never arrived.
      if (u.completed) outcome.completed = false;
      if (u.passed === true) outcome.passed = false;
      var out = builder.completion({completed: !!u.completed && !outcome.completed,
        passed: outcome.passed ? null : u.passed, scoreRaw: u.scoreRaw, durationMs: 0});
      out.forEach(function (st) { if (u.duration) st.result.duration = u.duration; });
      record(out);
    }

    /** Keep the resume state on this device until the LRS confirmed it (offline, window closed). */
    function keepLocalState(state, dirty) {
      facade.write(STATE + scope, [{state: state, dirty: dirty}]);
    }

    function pushState(state) {
      return lrs.putDocument("activities/state", stateParams, state, "text/plain; charset=utf-8")
        .then(function (status) {
          var cur = facade.read(STATE + scope)[0];
          if (status >= 200 && status < 300 && cur && cur.state === state) keepLocalState(state, false);
          return status;
        });
    }

    /** Queue completion statements and remember, in the LRS, what was reported for this registration. */
    function record(out) {
      if (!out.length) return Promise.resolve();
      add(out);
      out.forEach(function (s) {
        var v = s.verb.id.split("/").pop();
        if (v === "completed") outcome.completed = true;
        if (v === "passed") outcome.passed = true;
      });
      return lrs.putDocument("activities/state", outcomeParams, JSON.stringify(outcome), "application/json");
    }

    var api = {
      name: "cmi5",
      start: function () {
        launch = readLaunch(win.location.search);
        if (!launch) return null;
        if (launch.error) {
          emit({level: "error", message: msg("noLaunchData", launch.error)});
          return null;
        }
        sk = "ece-cmi5:" + launch.fetchUrl;
        scope = launch.registration + "|" + launch.activityId;
        var token = sget(":token") ? Promise.resolve(sget(":token")) : fetchToken(launch.fetchUrl, fetchFn);
        return token.then(function (t) {
          sset(":token", t);
          return begin();
        }, function (e) {
          emit({level: "error", message: msg("noToken", e.message || "fetch")});
          return null;
        }).then(function (docs) {
          if (!docs) return null;
          launchData = docs[0].status === 200 ? parse(docs[0].text) : null;
          if (!launchData) {
            emit({level: "error", message: msg("noLaunchData", "HTTP " + docs[0].status)});
            return null;
          }
          var prior = docs[3].status === 200 ? parse(docs[3].text) : null;
          if (prior) outcome = {completed: !!prior.completed, passed: !!prior.passed};
          mode = String(launchData.launchMode || "Normal").toLowerCase();
          builder = ECE.xapiStatements.createBuilder({data: data, actor: launch.actor,
            registration: launch.registration, activityId: launch.activityId, cmi5: true,
            contextTemplate: launchData.contextTemplate || {},
            masteryScore: launchData.masteryScore == null ? null : launchData.masteryScore});
          var ext = (launchData.contextTemplate || {}).extensions || {};
          var sessionId = String(ext[SESSION_ID] || launch.fetchUrl);
          openOutbox(sessionId);
          return settleEarlier(sessionId).then(function () { return docs; });
        }).then(function (docs) {
          if (!docs) return null;
          var prefs = docs[1].status === 200 ? parse(docs[1].text) : null;
          ended = sget(":terminated") === "1";
          if (sget(":initialized") !== "1" && !ended) {
            sset(":initialized", "1");  // once per session, even across reloads
            startedAt = Date.now();
            sset(":started", String(startedAt));
            add([builder.lifecycle("initialized")]);  // the first statement of this session's outbox
            reportUnreported();
          } else {
            startedAt = Number(sget(":started")) || Date.now();
            box.flush();  // replay what the page left before the reload (same session)
          }
          if (lost) {
            // Answers and reflections live in the resume state (kept on this device until the LRS has it).
            note = {};
            ["en", "fr"].forEach(function (l) {
              note[l] = ECE.i18n ? ECE.i18n.tl(l, lost === 1 ? "earlierUnsentOne" : "earlierUnsent", {n: lost})
                : lost + "";
            });
            setTimeout(function () { emit({level: "warn", pending: box.pending()}); }, 0);
          }
          var state = docs[2].status === 200 ? docs[2].text : null, local = facade.read(STATE + scope)[0];
          // A local copy the LRS never confirmed is newer than the LRS's one: use it and send it again.
          if (local && (local.dirty || docs[2].status === 0)) {
            state = local.state;
            if (local.dirty && mode !== "review" && !ended) pushState(state);
          }
          if (mode === "review" && !ended) {
            // The core reports nothing in Review, but the session still needs its `terminated`.
            win.addEventListener("pagehide", function () { api.exit(false); });
          }
          if (ended) {
            // Nothing may follow terminated: show the module read-only and say how to continue.
            exited = true;
            setTimeout(function () { emit({level: "ok", pending: box.pending()}); }, 0);
          }
          return {state: state,
            language: preferred(prefs && prefs.languagePreference, data.languages),
            learnerName: launch.actor.name || null, mode: ended ? "review" : mode,
            resumed: state != null, returnURL: launchData.returnURL || null};
        });
      },
      record: function (ev) {
        if (exited) return;
        if (ev.type === "page" || ev.type === "answer") builder.setLanguage(ECE.i18n && ECE.i18n.lang);
        add(builder.forEvent(ev));  // experienced/answered are cmi5 "allowed" statements
      },
      saveState: function (state) {
        if (exited) return Promise.resolve();
        keepLocalState(state, true);  // durable first, like statements: a lost PUT must not lose answers
        return pushState(state);
      },
      complete: function (result) {
        if (exited || mode !== "normal") return Promise.resolve();  // no completion in Browse/Review
        var r = {completed: result.completed && !outcome.completed,
          passed: outcome.passed ? null : result.passed, scoreRaw: result.scoreRaw,
          durationMs: Date.now() - startedAt};
        return record(builder.completion(r));
      },
      exit: function (finished) {
        if (exited || !box) return Promise.resolve();
        exited = true;
        sset(":terminated", "1");
        add([builder.lifecycle("terminated", Date.now() - startedAt)]);
        // A learner-initiated exit (page still visible) goes back to the LMS once statements are out;
        // leaving the page then flushes whatever is left with keepalive (visibilitychange).
        if (doc.visibilityState === "visible" && launchData && launchData.returnURL) {
          var back = launchData.returnURL;
          return Promise.race([box.flush(), new Promise(function (r) { setTimeout(r, 3000); })])
            .then(function () { win.location.assign(back); });
        }
        return box.flushKeepalive();
      },
      onStatus: function (fn) { listeners.push(fn); }
    };
    return api;
  };
  ECE.adapters.cmi5.readLaunch = readLaunch;
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));

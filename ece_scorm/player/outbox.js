/* ECE player — durable statement outbox for the xapi and cmi5 adapters.
 *
 * Every statement is written to persistent storage BEFORE any attempt to send it, and leaves storage only
 * once the LRS acknowledged it, so a dropped network, a closed tab or a crash loses nothing: the next
 * launch replays what is left. Statements keep their client-generated ids, which makes replays safe
 * (an LRS stores an id once; a 409 for a known id counts as delivered).
 * Outcomes by HTTP status: 2xx delivered; 409 delivered (single) or split (batch); 400/413 split until the
 * bad statement is isolated and set aside (a strict cmi5 LMS rejects a whole batch at its first violation);
 * 401/403 stop and tell the learner; network errors, 5xx, 429 and anything else: retry with backoff.
 */
(function (ECE) {
  "use strict";
  // A pair is [singular, plural], chosen by the count it states ({n} or {r}): English singular is 1 only,
  // French also 0 ("0 enregistrement"). French puts a no-break space before : ; ? ! (as i18n.js does).
  var MESSAGES = {
    en: {
      saved: "All your progress is saved.",
      sending: "Saving your progress… ({n} waiting).",
      waiting: ["Connection problem: {n} record is waiting to be sent. It is kept on this device and " +
        "will be sent automatically.", "Connection problem: {n} records are waiting to be sent. They are " +
        "kept on this device and will be sent automatically."],
      auth: ["The learning record store refused the credentials ({code}). {n} record is kept on this device; " +
        "close this window and open the activity again from your learning platform.", "The learning record " +
        "store refused the credentials ({code}). {n} records are kept on this device; close this window and " +
        "open the activity again from your learning platform."],
      rejected: ["{r} record was refused by the learning record store as invalid and was set aside.",
        "{r} records were refused by the learning record store as invalid and were set aside."],
      nostorage: "This browser does not allow saving on this device: records are kept only while this " +
        "page stays open."
    },
    fr: {
      saved: "Toute votre progression est enregistrée.",
      sending: "Enregistrement de votre progression… ({n} en attente).",
      waiting: ["Problème de connexion\u00a0: {n} enregistrement attend d’être envoyé. Il est conservé sur " +
        "cet appareil et sera envoyé automatiquement.", "Problème de connexion\u00a0: {n} enregistrements " +
        "attendent d’être envoyés. Ils sont conservés sur cet appareil et seront envoyés automatiquement."],
      auth: ["Le système d’enregistrement des apprentissages a refusé l’authentification ({code}). {n} " +
        "enregistrement est conservé sur cet appareil\u00a0; fermez cette fenêtre et rouvrez l’activité " +
        "depuis votre plateforme d’apprentissage.", "Le système d’enregistrement des apprentissages a refusé " +
        "l’authentification ({code}). {n} enregistrements sont conservés sur cet appareil\u00a0; fermez cette " +
        "fenêtre et rouvrez l’activité depuis votre plateforme d’apprentissage."],
      rejected: ["{r} enregistrement a été refusé comme invalide par le système d’enregistrement des " +
        "apprentissages et a été mis de côté.", "{r} enregistrements ont été refusés comme invalides par le " +
        "système d’enregistrement des apprentissages et ont été mis de côté."],
      nostorage: "Ce navigateur ne permet pas d’enregistrer sur cet appareil\u00a0: les données ne sont " +
        "conservées que tant que cette page reste ouverte."
    }
  };
  var KEEPALIVE_BYTES = 60000;  // browsers cap in-flight keepalive bodies at 64 KiB in total
  var REJECTED_MAX = 100;

  function fmt(s, vars) { return s.replace(/\{(\w+)\}/g, function (_, k) { return String(vars[k]); }); }

  /** Return the form of message `code` in `lang` that agrees with the count it states. */
  function form(lang, code, n, r) {
    var s = MESSAGES[lang][code];
    if (!Array.isArray(s)) return s;
    var c = code === "rejected" ? r : n;
    return s[(lang === "fr" ? c < 2 : c === 1) ? 0 : 1];
  }

  /** Return a storage facade over localStorage-like `store`, falling back to memory when it fails. */
  function durable(store) {
    var memory = {}, usable = !!store;
    if (usable) {
      try { store.setItem("ece-outbox-probe", "1"); store.removeItem("ece-outbox-probe"); }
      catch (e) { usable = false; }
    }
    return {
      usable: function () { return usable; },
      read: function (key) {
        var raw = null;
        if (usable) { try { raw = store.getItem(key); } catch (e) { raw = null; } }
        if (raw == null) raw = memory[key] || null;
        if (!raw) return [];
        try { var v = JSON.parse(raw); return Array.isArray(v) ? v : []; } catch (e) { return []; }
      },
      write: function (key, list) {
        var raw = JSON.stringify(list);
        memory[key] = raw;  // kept in memory too, so a later quota error still finds the statements
        if (!usable) return false;
        try {
          if (list.length) store.setItem(key, raw); else store.removeItem(key);
          return true;
        } catch (e) { return false; }
      }
    };
  }

  /**
   * Create an outbox.
   * opts: {key, storage (localStorage-like or null), send(statements, {keepalive}) -> Promise<status>
   *        (rejects on network errors), maxBatch, maxBytes,
   *        baseDelayMs, maxDelayMs, timers: {setTimeout, clearTimeout}, random()}
   */
  function create(opts) {
    var key = opts.key, rejectedKey = opts.key + ":rejected";
    var store = durable(opts.storage);
    var maxBatch = opts.maxBatch || 50, maxBytes = opts.maxBytes || 500000;
    var base = opts.baseDelayMs || 1000, maxDelay = opts.maxDelayMs || 30000;
    var timers = opts.timers || {setTimeout: setTimeout.bind(null), clearTimeout: clearTimeout.bind(null)};
    var random = opts.random || Math.random;
    var listeners = [], running = null, timer = null, failures = 0, authError = null, stopped = false;
    var inflight = {};
    var last = null;

    function items() { return store.read(key); }
    function pending() { return items().length; }
    function rejected() { return store.read(rejectedKey); }

    function emit(level, code, extra) {
      var n = pending(), r = rejected().length, messages = {};
      Object.keys(MESSAGES).forEach(function (l) {
        messages[l] = fmt(form(l, code, n, r), {n: n, r: r, code: extra || ""}) +
          (store.usable() ? "" : " " + MESSAGES[l].nostorage);
      });
      // `message` is a language map so the core can follow a language switch.
      var status = {level: level, message: messages, pending: n, rejected: r, code: code};
      last = status;
      listeners.forEach(function (fn) { try { fn(status); } catch (e) { /* a UI error must not stop sending */ } });
    }

    function removeIds(ids) {
      var gone = {};
      ids.forEach(function (id) { gone[id] = 1; });
      // Re-read before writing: another tab or an earlier launch may have changed the list meanwhile.
      store.write(key, items().filter(function (s) { return !gone[s.id]; }));
    }

    /** Persist a statement (before any network use) and schedule sending; return its id. */
    function add(statement) {
      var list = items();
      if (!list.some(function (s) { return s.id === statement.id; })) list.push(statement);
      store.write(key, list);
      if (!authError) schedule(0);
      if (authError) emit("error", "auth", authError);
      else if (failures > 0) emit("warn", "waiting");  // still failing: say so, with the new count
      else emit("ok", "sending");
      return statement.id;
    }

    function batchOf(list, limitBytes) {
      var out = [], size = 2;
      for (var i = 0; i < list.length && out.length < maxBatch; i++) {
        var n = JSON.stringify(list[i]).length + 1;
        if (out.length && size + n > limitBytes) break;
        out.push(list[i]);
        size += n;
      }
      return out;
    }

    /** Send a batch; split it on 409/400/413 so one bad or known statement cannot block the others. */
    function deliver(batch, keepalive) {
      var ids = batch.map(function (s) { return s.id; });
      // The loop skips what another request carries (see sendable); only a keepalive flush may repeat it.
      ids.forEach(function (id) { inflight[id] = 1; });
      return Promise.resolve()
        .then(function () { return opts.send(batch, {keepalive: !!keepalive}); })
        .then(function (status) { return status; }, function () { return 0; })
        .then(function (status) {
          ids.forEach(function (id) { delete inflight[id]; });
          if (status >= 200 && status < 300) { removeIds(ids); return "ok"; }
          if (status === 409 && batch.length === 1) { removeIds(ids); return "ok"; }
          if ((status === 409 || status === 400 || status === 413) && batch.length > 1) {
            var half = Math.ceil(batch.length / 2);
            return deliver(batch.slice(0, half), keepalive).then(function (a) {
              return a === "ok" ? deliver(batch.slice(half), keepalive) : a;
            });
          }
          if (status === 400 || status === 413) {
            // Kept for diagnosis, bounded so a misbehaving LRS cannot fill the browser's storage.
            store.write(rejectedKey, rejected().concat(batch).slice(-REJECTED_MAX));
            removeIds(ids);
            return "ok";
          }
          if (status === 401 || status === 403) { authError = status; return "auth"; }
          return "retry";
        });
    }

    function settled() {
      failures = 0;
      var bad = rejected().length > 0;
      emit(bad ? "warn" : "ok", bad ? "rejected" : "saved");
    }

    function sendable() { return items().filter(function (s) { return !inflight[s.id]; }); }

    function loop() {
      var list = sendable();
      if (!list.length) {
        if (!pending()) settled();  // else a keepalive request carries the rest and reports when done
        return Promise.resolve();
      }
      return deliver(batchOf(list, maxBytes), false).then(function (outcome) {
        if (outcome === "ok") { failures = 0; return loop(); }
        if (outcome === "auth") { emit("error", "auth", authError); return null; }
        failures += 1;
        emit("warn", "waiting");
        var delay = Math.min(maxDelay, base * Math.pow(2, failures - 1));
        schedule(Math.round(delay * (0.5 + random() / 2)));  // jitter: many learners, one LRS
        return null;
      });
    }

    function schedule(ms) {
      if (stopped || authError) return;
      if (timer) {
        if (ms > 0 || failures > 0) return;  // keep a pending backoff: new statements wait their turn
        timers.clearTimeout(timer);
      }
      timer = timers.setTimeout(function () { timer = null; flush(); }, ms);
    }

    /** Send everything now (one loop at a time); resolve when the store is empty or a retry is scheduled. */
    function flush() {
      if (authError || stopped) return Promise.resolve();
      if (running) return running;
      if (timer) { timers.clearTimeout(timer); timer = null; }
      running = loop().then(function () { running = null; }, function () { running = null; });
      return running;
    }

    /** Send what fits in one keepalive request (page is going away); the rest replays on next launch. */
    function flushKeepalive() {
      // Everything still pending goes, in order, including what a normal request carries right now: the
      // page may cancel that request, and a cmi5 LMS refuses anything that arrives after `terminated`.
      // Order beats deduplication; the ids make a double delivery harmless.
      var list = items();
      if (!list.length || authError || stopped) return Promise.resolve();
      return deliver(batchOf(list, KEEPALIVE_BYTES), true).then(function (outcome) {
        if (outcome === "auth") emit("error", "auth", authError);
        else if (outcome === "retry") schedule(base);  // the page stayed: the loop takes over
        else if (sendable().length) schedule(0);
        else if (!pending()) settled();
      });
    }

    /** Retry at once (e.g. the browser came back online), forgetting the backoff. */
    function retryNow() { failures = 0; return flush(); }

    /** Record that the LRS refused the credentials elsewhere (e.g. the State API): stop and tell. */
    function authFailed(code) {
      authError = code;
      if (timer) { timers.clearTimeout(timer); timer = null; }
      emit("error", "auth", code);
    }

    return {
      add: add, flush: flush, flushKeepalive: flushKeepalive, retryNow: retryNow, authFailed: authFailed,
      pending: pending, rejected: rejected, persistent: function () { return store.usable(); },
      onStatus: function (fn) { listeners.push(fn); if (last) fn(last); },
      stop: function () { stopped = true; if (timer) timers.clearTimeout(timer); timer = null; }
    };
  }

  /**
   * Return a small xAPI client for one launch: statements, State and Agent Profile documents.
   * Every call is a plain CORS request (the LRS is on another origin, MUST 29) that sends the launch
   * credentials verbatim (MUST 27) and the xAPI version header; it never throws on HTTP errors.
   */
  function lrsClient(endpoint, auth, fetchFn) {
    var base = String(endpoint).replace(/\/*$/, "/");
    var doFetch = fetchFn || (typeof fetch !== "undefined" ? fetch.bind(null) : null);
    function url(path, params) {
      var q = new URLSearchParams();
      Object.keys(params || {}).forEach(function (k) { if (params[k] != null) q.set(k, params[k]); });
      var qs = q.toString();
      return base + path + (qs ? "?" + qs : "");
    }
    function request(method, path, params, body, ctype, keepalive) {
      var headers = {"X-Experience-API-Version": "1.0.3"};
      if (auth) headers.Authorization = auth;
      if (body != null) headers["Content-Type"] = ctype || "application/json";
      return doFetch(url(path, params), {method: method, headers: headers, body: body, mode: "cors",
        credentials: "omit", cache: "no-store", keepalive: !!keepalive});
    }
    return {
      sendStatements: function (batch, o) {
        return request("POST", "statements", null, JSON.stringify(batch), "application/json", o && o.keepalive)
          .then(function (res) { return res.status; });
      },
      /** Resolve the status of GET statements?statementId=id: 200 the LRS holds it, 404 not; 0 no network. */
      statementStatus: function (id) {
        return request("GET", "statements", {statementId: id})
          .then(function (res) { return res.status; }, function () { return 0; });
      },
      /** Resolve {status, text}; status 0 when the network failed. */
      getDocument: function (path, params) {
        return request("GET", path, params).then(function (res) {
          return res.text().then(function (text) { return {status: res.status, text: text}; });
        }, function () { return {status: 0, text: ""}; });
      },
      putDocument: function (path, params, text, ctype, keepalive) {
        return request("PUT", path, params, text, ctype, keepalive)
          .then(function (res) { return res.status; }, function () { return 0; });
      }
    };
  }

  ECE.outbox = {create: create, lrsClient: lrsClient, durable: durable, MESSAGES: MESSAGES};
})(typeof window !== "undefined" ? (window.ECE = window.ECE || {}) : (globalThis.ECE = globalThis.ECE || {}));

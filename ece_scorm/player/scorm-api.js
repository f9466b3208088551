/* Shared SCORM plumbing for the scorm12 and scorm2004 adapters (ECE.scorm): API discovery, checked API
 * calls, a durable outbox in localStorage, SCORM time formats and the learner-visible status messages.
 * Rules "MUST n" are those of docs/LMS-RULES.md. Bundle order (player/bundle.json): scorm-api.js,
 * scorm-session.js, then adapters/scorm12.js or adapters/scorm2004.js. */
(function (root) {
  "use strict";
  var ECE = (root.ECE = root.ECE || {});
  ECE.adapters = ECE.adapters || {};

  var MAX_PARENT_LEVELS = 7; // MUST 15: Moodle's loadSCO.php walks at most 7 parents

  function apiIn(win, name, check) {
    try {
      var api = win[name];
      return api && check(api) ? api : null;
    } catch (e) {
      return null; // a cross-origin frame: not ours to read
    }
  }

  function searchChain(win, name, check) {
    var w = win;
    for (var level = 0; w && level <= MAX_PARENT_LEVELS; level++) {
      var api = apiIn(w, name, check);
      if (api) return api;
      var parent = null;
      try { parent = w.parent; } catch (e) { parent = null; }
      if (!parent || parent === w) break;
      w = parent;
    }
    return null;
  }

  /** Find the LMS API once: this window and its parents, then the opener (popup launch) and its parents. */
  function searchAPI(win, name, check) {
    var api = searchChain(win, name, check);
    if (api) return api;
    var openers = [];
    try { if (win.opener) openers.push(win.opener); } catch (e) { /* ignore */ }
    try { if (win.top && win.top.opener && win.top.opener !== win.opener) openers.push(win.top.opener); } catch (e) { /* ignore */ }
    for (var i = 0; i < openers.length; i++) {
      api = searchChain(openers[i], name, check);
      if (api) return api;
    }
    return null;
  }

  /** Find the API, retrying for a few seconds as the LMS frame may still be loading (MUST 15). */
  function findAPI(win, name, check, timeoutMs, intervalMs) {
    var alone = false; // a top-level window nobody opened (file://, a preview) has no LMS to wait for
    try { alone = win.top === win && !win.opener; } catch (e) { alone = false; }
    var deadline = Date.now() + (alone ? 0 : timeoutMs == null ? 3000 : timeoutMs);
    return new Promise(function (resolve) {
      (function attempt() {
        var api = searchAPI(win, name, check);
        if (api || Date.now() >= deadline) { resolve(api); return; }
        setTimeout(attempt, intervalMs || 200);
      })();
    });
  }

  /** Wrap an API object so every call is followed by a GetLastError check and never throws. */
  function Channel(api, fn) {
    this.api = api;
    this.fn = fn; // {init, finish, get, set, commit, err, errStr, diag}: the standard's method names
    this.terminated = false;
  }
  Channel.prototype.lastError = function () {
    var code = "0", text = "", diag = "";
    try { code = String(this.api[this.fn.err]()); } catch (e) { return { code: "exception", text: String(e) }; }
    if (code !== "0" && code !== "") {
      try { text = String(this.api[this.fn.errStr](code)); } catch (e) { text = ""; }
      try { diag = String(this.api[this.fn.diag](code)); } catch (e) { diag = ""; }
    }
    return { code: code === "" ? "0" : code, text: text, diag: diag };
  };
  Channel.prototype.call = function (which, args) {
    // MUST 22: never touch the API after LMSFinish/Terminate.
    if (this.terminated) return { ok: false, value: "", code: "terminated", text: "session already finished" };
    var value;
    try {
      value = this.api[this.fn[which]].apply(this.api, args);
    } catch (e) {
      return { ok: false, value: "", code: "exception", text: String(e && e.message || e) };
    }
    var err = this.lastError();
    var ok = err.code === "0" && (which === "get" || String(value) === "true");
    if (!ok && err.code === "0") err = { code: "false", text: "the LMS answered false", diag: "" };
    return { ok: ok, value: value == null ? "" : String(value), code: err.code, text: err.text, diag: err.diag };
  };
  Channel.prototype.get = function (el) { return this.call("get", [el]); };
  Channel.prototype.set = function (el, v) { return this.call("set", [el, String(v)]); };
  Channel.prototype.commit = function () { return this.call("commit", [""]); };
  Channel.prototype.init = function () { return this.call("init", [""]); };
  Channel.prototype.finish = function () {
    var r = this.call("finish", [""]);
    this.terminated = true;
    return r;
  };

  function isPair(op) {
    return Array.isArray(op) && op.length === 2 && typeof op[0] === "string" && typeof op[1] === "string";
  }

  /** Accept only items this code writes: localStorage is shared with anything on the LMS's origin. */
  function wellFormed(i) {
    if (!i || typeof i !== "object") return false;
    if (i.kind === "comment") return typeof i.id === "string" && typeof i.text === "string";
    return Array.isArray(i.ops) && i.ops.every(isPair) && (i.indexed == null || typeof i.indexed === "string");
  }

  /** A list of pending writes kept in localStorage until the LMS confirms a commit ("never lose data"). */
  function Outbox(storage, key) {
    this.storage = storage;
    this.key = key;
    this.items = [];
    try {
      var raw = storage && storage.getItem(key);
      var parsed = raw ? JSON.parse(raw) : [];
      if (Array.isArray(parsed)) this.items = parsed.filter(wellFormed);
    } catch (e) {
      this.items = []; // unreadable local copy: the LMS still has everything it confirmed
    }
    this.fromEarlier = this.items.length;
    // Items from an earlier launch were never confirmed: they must all be written again.
    this.items.forEach(function (i) { i.applied = false; i.n = null; i.done = 0; i.replay = true; });
  }
  Outbox.prototype.persist = function () {
    try {
      if (!this.storage) return;
      if (this.items.length) this.storage.setItem(this.key, JSON.stringify(this.items));
      else this.storage.removeItem(this.key);
    } catch (e) { /* storage full or blocked: the in-memory copy still retries in this session */ }
  };
  Outbox.prototype.add = function (item) {
    if (item.slot) this.items = this.items.filter(function (i) { return i.slot !== item.slot; });
    item.applied = false; item.n = null; item.done = 0;
    this.items.push(item);
    this.persist();
  };
  Outbox.prototype.slot = function (name) {
    for (var i = 0; i < this.items.length; i++) if (this.items[i].slot === name) return this.items[i];
    return null;
  };
  Outbox.prototype.dropApplied = function () {
    this.items = this.items.filter(function (i) { return !i.applied; });
    this.persist();
  };

  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }

  /** SCORM 1.2 CMITimespan HH:MM:SS.SS with 2–4 hour digits (MUST 16). */
  function timespan12(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10));
    var h = Math.min(9999, Math.floor(cs / 360000));
    var m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
    if (h === 9999) { m = 59; s = 59; c = 99; }
    return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(c, 2);
  }

  /** SCORM 1.2 CMITime (local clock time HH:MM:SS). */
  function time12(when) {
    var d = toDate(when);
    return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2);
  }

  /** SCORM 2004 timeinterval (ISO 8601 duration, at most 2 decimals on seconds: MUST 16). */
  function duration2004(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    var out = "PT";
    if (h) out += h + "H";
    if (m) out += m + "M";
    return out + (Math.round(s * 100) / 100) + "S";
  }

  /** SCORM 2004 CMITime in UTC; the zone designator is only valid after fractional seconds. */
  function time2004(when) {
    var d = toDate(when);
    var year = Math.min(2038, Math.max(1970, d.getUTCFullYear())); // Moodle accepts 1970–2038 only
    return year + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) + "T" +
      pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2) + "." +
      pad(Math.floor(d.getUTCMilliseconds() / 10), 2) + "Z";
  }

  function toDate(when) {
    var d = when instanceof Date ? when : new Date(when == null ? Date.now() : when);
    return isNaN(d.getTime()) ? new Date() : d;
  }

  /** A decimal string both LMSs accept: few decimals, no exponent, no leading dot. */
  function decimal(x, places) {
    var f = Math.pow(10, places == null ? 2 : places);
    var r = Math.round(Number(x) * f) / f;
    return String(isFinite(r) ? r : 0);
  }

  /** Cut text to `max` UTF-16 units without leaving half a surrogate pair. */
  function cut(text, max) {
    var s = String(text == null ? "" : text);
    if (s.length <= max) return s;
    s = s.slice(0, max);
    var last = s.charCodeAt(s.length - 1);
    return last >= 0xd800 && last <= 0xdbff ? s.slice(0, -1) : s;
  }

  /** One line of text: both LMSs validate CMIFeedback / localized strings with a regex `.` (no newlines). */
  function oneLine(text) {
    return String(text == null ? "" : text).replace(/\s*(\r\n|\r|\n|\u2028|\u2029)+\s*/g, " ¶ ").trim();
  }

  /** Map an LMS language preference ("fr-CA", "fra", "French"…) onto one of the course languages. */
  function language(pref, languages) { return ECE.i18n.match(pref, languages); }

  function text(map, lang, fallback) {
    if (!map) return "";
    if (typeof map === "string") return map;
    return map[lang] || map[fallback] || map.en || map[Object.keys(map)[0]] || "";
  }

  // What the learner is told; both official languages (the core shows `message`).
  var MESSAGES = {
    "init-failed": {
      en: "Your learning platform (LMS) refused to start this session ({detail}). Your progress is kept in this browser only.",
      fr: "Votre plateforme d’apprentissage (LMS) a refusé d’ouvrir cette session ({detail}). Votre progression est conservée dans ce navigateur seulement.",
    },
    "commit-failed": {
      en: "Your progress could not be saved to your learning platform ({detail}). It is kept in this browser and will be sent again; items waiting:",
      fr: "Votre progression n’a pas pu être enregistrée dans votre plateforme d’apprentissage ({detail}). Elle est conservée dans ce navigateur et sera envoyée de nouveau\u00a0; éléments en attente\u00a0:",
    },
    "set-failed": {
      en: "Your learning platform refused to record {element} ({detail}). Your answer is kept in this browser and will be sent again; items waiting:",
      fr: "Votre plateforme d’apprentissage a refusé d’enregistrer {element} ({detail}). Votre réponse est conservée dans ce navigateur et sera envoyée de nouveau\u00a0; éléments en attente\u00a0:",
    },
    "saved": {
      en: "Your progress is saved to your learning platform again.",
      fr: "Votre progression est de nouveau enregistrée dans votre plateforme d’apprentissage.",
    },
    "replayed": {
      en: "Answers kept in this browser from an earlier session were sent to your learning platform.",
      fr: "Les réponses conservées dans ce navigateur lors d’une session précédente ont été envoyées à votre plateforme d’apprentissage.",
    },
    "finish-failed": {
      en: "Your learning platform did not confirm the end of this session ({detail}). Your answers are kept in this browser and will be sent at your next visit.",
      fr: "Votre plateforme d’apprentissage n’a pas confirmé la fin de cette session ({detail}). Vos réponses sont conservées dans ce navigateur et seront envoyées à votre prochaine visite.",
    },
    "not-kept": {
      en: "Your learning platform does not keep {element}; the rest of your progress is saved.",
      fr: "Votre plateforme d’apprentissage ne conserve pas {element}\u00a0; le reste de votre progression est enregistré.",
    },
    "session-ended": {
      en: "This session with your learning platform has ended. Your answers are kept in this browser and will be sent when you open the module again.",
      fr: "Cette session avec votre plateforme d’apprentissage est terminée. Vos réponses sont conservées dans ce navigateur et seront envoyées lorsque vous rouvrirez le module.",
    },
    "comment-cut": {
      en: "Your reflection is longer than your learning platform can keep in its comments; the beginning was saved there and the full text stays in this module.",
      fr: "Votre réflexion dépasse ce que votre plateforme d’apprentissage peut conserver dans ses commentaires\u00a0; le début y a été enregistré et le texte complet reste dans ce module.",
    },
    "state-too-long": {
      en: "Your place in this module is too large for your learning platform to keep ({detail}).",
      fr: "Votre position dans ce module est trop volumineuse pour que votre plateforme d’apprentissage la conserve ({detail}).",
    },
  };

  /** Return {code, message: {en, fr}}; the core shows message in the learner's current language. */
  function message(code, vars) {
    var out = {};
    ["en", "fr"].forEach(function (l) {
      out[l] = MESSAGES[code][l].replace(/\{(\w+)\}/g, function (m, k) {
        var v = vars && vars[k];
        if (v != null && typeof v === "object") v = v[l];
        return v != null ? String(v) : m;
      });
    });
    return { code: code, message: out };
  }

  /** The LMS's error code and text, e.g. {en: "error 101: General Exception", fr: "erreur 101\u00a0: …"}. */
  function errorDetail(r) {
    var d = (r.text || "").trim();
    if (r.code === "false") return { en: "the LMS answered false", fr: "la plateforme a répondu «\u00a0false\u00a0»" };
    if (r.code === "terminated") return { en: "the session is already closed", fr: "la session est déjà fermée" };
    if (r.code === "exception") return { en: d, fr: d };
    return { en: "error " + r.code + (d ? ": " + d : ""), fr: "erreur " + r.code + (d ? "\u00a0: " + d : "") };
  }

  ECE.scorm = {
    findAPI: findAPI,
    searchAPI: searchAPI,
    Channel: Channel,
    Outbox: Outbox,
    timespan12: timespan12,
    time12: time12,
    duration2004: duration2004,
    time2004: time2004,
    decimal: decimal,
    cut: cut,
    oneLine: oneLine,
    language: language,
    text: text,
    message: message,
    errorDetail: errorDetail,
  };
})(typeof window !== "undefined" ? window : this);

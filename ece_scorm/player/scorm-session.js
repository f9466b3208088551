/* The SCORM session engine shared by the scorm12 and scorm2004 adapters (ECE.scorm.session): the adapter
 * interface of docs/ARCHITECTURE.md §5 on top of a "dialect" that knows one standard's data model.
 * Every write goes through a localStorage outbox and stays there until the LMS confirms a commit, so an LMS
 * that refuses a value or a commit loses nothing: the learner is told, and it is sent again later.
 * Load after scorm-api.js and before adapters/scorm12.js and adapters/scorm2004.js. */
(function (root) {
  "use strict";
  var ECE = (root.ECE = root.ECE || {});
  var S = ECE.scorm;

  function localStore(win) {
    try {
      var s = win.localStorage;
      var probe = "ece-scorm:probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) {
      return null; // blocked (sandboxed frame, privacy mode): keep pending writes in memory only
    }
  }

  /** Build an adapter for `data` (window.ECE_DATA) speaking the standard described by `dialect`. */
  function session(data, dialect, options) {
    var opts = options || {};
    var win = opts.win || root;
    var storage = opts.storage !== undefined ? opts.storage : localStore(win);
    var d = dialect;
    var listeners = [];
    var ch = null;
    var outbox = new S.Outbox(null, "");
    var mode = "normal";
    var lang = data.defaultLanguage || (data.languages && data.languages[0]) || "en";
    var startedAt = Date.now();
    var lastResult = null;
    var inError = false;
    var memo = {}; // per-session facts a dialect learns about the LMS (e.g. how it treats cmi.comments)
    var stateLimit = dialect.stateLimit; // MUST 20; raised at start() where the LMS keeps more
    var dismissing = false; // the page is being unloaded (pagehide)
    var endedTold = false;
    var scheduled = null; // the commit queued for the end of the current task
    var pendingDirect = []; // values written with that commit but not kept in the outbox (session time)

    var chosenLang = null; // set by the core through setLanguage() when the learner switches

    function currentLang() {
      if (chosenLang) return chosenLang;
      var docLang = null;
      try { docLang = win.document.documentElement.getAttribute("lang"); } catch (e) { docLang = null; }
      return S.language(docLang, data.languages) || lang;
    }

    function emit(level, code, vars) {
      var m = S.message(code, vars);
      var status = { level: level, code: m.code, message: m.message, pending: outbox.items.length };
      listeners.forEach(function (fn) {
        try { fn(status); } catch (e) { /* a broken listener must not stop tracking */ }
      });
      return status;
    }

    function apply(item) {
      if (item.kind === "comment") return d.applyComment(ch, item, engine);
      // A record from an earlier launch may have reached the LMS after all (LMSFinish's beacon): where the
      // standard lets us read interactions back (2004), do not add it twice.
      if (item.indexed && item.replay && d.recorded && d.recorded(ch, item.ops)) return { ok: true };
      if (item.indexed && item.n == null) {
        var count = ch.get(item.indexed + "._count");
        var n = parseInt(count.value, 10);
        if (!count.ok || !(n >= 0)) { count.element = item.indexed + "._count"; return count; }
        item.n = n; // later retries in this session complete the same record instead of starting another
      }
      for (var i = item.done || 0; i < item.ops.length; i++) {
        var el = item.indexed ? item.indexed + "." + item.n + "." + item.ops[i][0] : item.ops[i][0];
        var r = ch.set(el, item.ops[i][1]);
        if (!r.ok) { r.element = el; return r; }
        item.done = i + 1;
      }
      return { ok: true };
    }

    function applyPending(failures) {
      outbox.items.forEach(function (item) {
        if (item.applied) return;
        var r = apply(item);
        if (r.ok) item.applied = true;
        else if (r.code === d.unimplemented) skip(item, r);
        else failures.push(r);
      });
      outbox.persist();
    }

    // SCORM 1.2 makes cmi.comments, cmi.interactions and cmi.student_preference optional: an LMS without
    // them answers "not implemented" every time, so retrying would only repeat an error. Say so once.
    function skip(item, r) {
      item.applied = true;
      var family = String(r.element || "").split(".").slice(0, 2).join(".");
      if (memo["skip:" + family]) return;
      memo["skip:" + family] = true;
      emit("warn", "not-kept", { element: family });
    }

    function applyDirect(ops, failures) {
      (ops || []).forEach(function (op) {
        var r = ch.set(op[0], op[1]);
        if (!r.ok) { r.element = op[0]; failures.push(r); }
      });
    }

    /** Write everything pending, then commit (MUST 21); report failures to the learner. */
    function sync(directOps, quiet) {
      if (!ch || ch.terminated || mode === "review") return true;
      var failures = [];
      applyPending(failures);
      applyDirect(directOps, failures);
      if (dismissing) return !failures.length; // LMSFinish (a beacon) carries these values
      var c = ch.commit();
      if (c.ok) outbox.dropApplied();
      // A hidden page may be unloading, when browsers refuse the LMS's synchronous request: say nothing
      // then; whatever is unconfirmed stays in the outbox and the next visible commit reports it.
      if (quiet && (!c.ok || failures.length)) return false;
      if (!c.ok) {
        inError = true;
        emit("error", "commit-failed", { detail: S.errorDetail(c) });
        return false;
      }
      if (failures.length) {
        inError = true;
        emit("error", "set-failed", { element: failures[0].element, detail: S.errorDetail(failures[0]) });
        return false;
      }
      if (inError) { inError = false; emit("ok", "saved", {}); }
      return true;
    }

    function write(items, directOps) {
      if (!ch || mode === "review") return true; // review mode: the LMS keeps nothing new
      items.forEach(function (item) { outbox.add(item); });
      // After LMSFinish the API is closed (MUST 22): the outbox keeps this for the next launch.
      if (ch.terminated) {
        if (!endedTold && !dismissing) { endedTold = true; emit("warn", "session-ended", {}); }
        return false;
      }
      pendingDirect = pendingDirect.concat(directOps || []);
      // One commit for what the core writes in one go (an answer and the state after it): each commit
      // is a blocking request to the LMS, and MUST 21 asks for one after each change, not each value.
      if (!scheduled) {
        scheduled = Promise.resolve().then(function () {
          var ops = pendingDirect;
          pendingDirect = [];
          scheduled = null;
          return sync(ops);
        });
      }
      return scheduled;
    }

    function onVisibility() {
      try {
        if (win.document.visibilityState === "hidden") sync(d.sessionTimeOps(Date.now() - startedAt), true);
      } catch (e) { /* never let a page event throw */ }
    }

    // Added before the core's pagehide handler, whose last saves must not try a synchronous commit
    // (browsers block it during page dismissal) but ride on LMSFinish's beacon.
    function onDismiss() { dismissing = true; }

    function onPageHide() { adapter.exit(); }

    // A failed attempt with attempts left is not a grade yet: with adlcp:masteryscore in the manifest,
    // Moodle would turn a stored raw score into lesson_status "failed" at LMSFinish (docs/LMS-RULES.md SHOULD 3).
    function finalResult(ev) {
      if (ev.passed) return true;
      var quiz = (data.quizzes || []).filter(function (q) { return q.id === ev.quizId; })[0];
      return !!quiz && quiz.attempts > 0 && ev.attempt >= quiz.attempts;
    }

    var engine = { emit: emit, memo: memo, lang: currentLang };

    var adapter = {
      name: d.name,

      start: function () {
        return S.findAPI(win, d.apiName, d.check, opts.findTimeoutMs).then(function (api) {
          // No LMS: resolve null, the core's signal to fall back to the standalone adapter. The core's notice
          // tells the learner; a second message here would show the same news twice.
          if (!api) return null;
          ch = new S.Channel(api, d.fn);
          var init = ch.init();
          if (!init.ok) {
            ch.terminated = true;
            emit("error", "init-failed", { detail: S.errorDetail(init) });
            return null;
          }
          startedAt = Date.now();
          var info = d.readStart(ch);
          mode = info.mode === "browse" || info.mode === "review" ? info.mode : "normal";
          var budget = data.stateBudget || {};
          // What this LMS keeps, found by writing and reading back (scorm12.js); the strict budget otherwise.
          memo.roomy = mode !== "review" && d.probe ? d.probe(ch, info, budget) : null;
          stateLimit = memo.roomy ? memo.roomy.limit : d.stateLimit;
          var preferred = S.language(info.languagePref, data.languages);
          if (preferred) lang = preferred;
          var activity = (data.module && data.module.activityId) || (data.module && data.module.id) || "";
          outbox = new S.Outbox(storage, "ece-scorm:" + d.name + ":" + activity + ":" + (info.learnerId || "-"));
          var earlier = outbox.fromEarlier;
          var pendingState = outbox.slot("state");
          // Moodle's SCORM 2004 runtime hands suspend_data back with CRLF for every LF the SCO wrote, which
          // would shift the length-prefixed texts of state.js; a textarea's value never holds a CR.
          var state = pendingState ? pendingState.state : (info.state || "").replace(/\r\n/g, "\n") || null;
          if (mode !== "review" && d.notStarted(info.status) && !outbox.slot("status")) {
            outbox.add({ slot: "status", ops: d.startStatusOps(mode) }); // MUST 18: explicit status
          }
          win.document.addEventListener("visibilitychange", onVisibility); // fired at the document
          win.addEventListener("pagehide", onDismiss, true);
          // Finish after the core's own pagehide handler (added once start() resolves) has saved its last
          // state: listeners run in the order they were added.
          setTimeout(function () { if (!ch.terminated) win.addEventListener("pagehide", onPageHide); }, 0);
          if (mode !== "review") {
            var ok = sync();
            if (ok && earlier) emit("ok", "replayed", {});
          }
          var started = {
            state: state,
            language: preferred,
            learnerName: info.learnerName || null,
            mode: mode,
            resumed: !!state,
            location: info.location || null,
          };
          if (memo.roomy) started.textMax = memo.roomy.textMax; // more than the build's strict cap
          return started;
        });
      },

      record: function (event) {
        if (!event || !event.type) return true;
        var items = [];
        if (event.type === "page") {
          items.push({ slot: "location", ops: d.locationOps(event.pageId) });
        } else if (event.type === "answer" || event.type === "team-code") {
          var ev = event.type === "team-code"
            ? { kind: "text", interactionId: "sa.team-code", response: event.code || "", timestamp: Date.now() }
            : event;
          items.push({ kind: "interaction", indexed: d.interactions,
            ops: d.interaction(ev, currentLang(), data) });
          if (ev.kind === "text" && event.type === "answer") {
            items.push({ kind: "comment", id: ev.interactionId, text: String(ev.response || ""),
              lang: currentLang(), timestamp: ev.timestamp || Date.now() });
          }
        } else if (event.type === "quiz-result" && event.scoreRaw != null && finalResult(event)) {
          items.push({ slot: "score", ops: d.scoreOps(clampScore(event.scoreRaw)) });
        } else {
          return true;
        }
        return write(items);
      },

      saveState: function (state) {
        var s = String(state == null ? "" : state);
        if (s.length > stateLimit) {
          // MUST 20: the build keeps states under the limit; say so if one still grows past it.
          emit("warn", "state-too-long", { detail: s.length + " > " + stateLimit });
        }
        return write([{ slot: "state", state: s, ops: [[d.suspendData, s]] }]);
      },

      complete: function (result) {
        lastResult = result || {};
        var items = [];
        if (lastResult.scoreRaw != null) {
          items.push({ slot: "score", ops: d.scoreOps(clampScore(lastResult.scoreRaw)) });
        }
        items.push({ slot: "status", ops: d.statusOps(lastResult) });
        return write(items, d.sessionTimeOps(Date.now() - startedAt));
      },

      exit: function (finished) {
        if (!ch || ch.terminated) return true; // MUST 22: finish once, then never call the API again
        win.document.removeEventListener("visibilitychange", onVisibility);
        win.removeEventListener("pagehide", onPageHide);
        win.removeEventListener("pagehide", onDismiss, true);
        var done = finished === undefined || finished === null ? !!(lastResult && lastResult.completed) : !!finished;
        var failures = [];
        if (mode !== "review") {
          applyPending(failures);
          // MUST 19: suspend while unfinished so the LMS hands the state back; normal/'' when done.
          applyDirect(d.exitOps(done, Date.now() - startedAt), failures);
        }
        var r = ch.finish();
        // A page kept in the back/forward cache may show again after pagehide: writes then go to the outbox.
        win.addEventListener("pageshow", function (e) { if (e.persisted) dismissing = false; });
        // LMSs send the final commit with sendBeacon and report success blindly (Moodle, scorm-again), so
        // after a refused commit nothing is taken as saved: the next launch sends it again (comments,
        // location, state and status are idempotent; a 1.2 interaction may then appear twice, never zero).
        if (r.ok && !inError) outbox.dropApplied();
        if (r.ok && !failures.length) return true;
        emit("error", "finish-failed", { detail: S.errorDetail(r.ok ? failures[0] : r) });
        return false;
      },

      setLanguage: function (code) {
        chosenLang = S.language(code, data.languages);
      },

      onStatus: function (fn) {
        if (typeof fn === "function") listeners.push(fn);
      },
    };
    return adapter;
  }

  function clampScore(x) {
    var n = Number(x);
    if (!isFinite(n)) return 0;
    return Math.min(100, Math.max(0, n)); // MUST 17: raw on a 0–100 scale
  }

  S.session = session;
})(typeof window !== "undefined" ? window : this);

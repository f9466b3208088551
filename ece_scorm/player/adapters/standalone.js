/* ECE player — standalone adapter: no LMS, progress kept in this browser's localStorage. */
(function (ECE) {
  "use strict";
  ECE.adapters = ECE.adapters || {};

  /** Create the standalone adapter for a module (the key separates courses and modules). */
  ECE.adapters.standalone = function (data) {
    var key = "ece:" + data.course.id + ":" + data.module.id, listeners = [], store = null;
    try { store = window.localStorage; store.getItem(key); } catch (e) { store = null; }
    function status(level, stringKey) {
      var message = {};
      data.languages.forEach(function (l) { message[l] = ECE.i18n.tl(l, stringKey); });
      listeners.forEach(function (fn) { fn({ level: level, message: message }); });
    }
    function write(suffix, value) {
      if (!store) return;
      try { store.setItem(key + suffix, value); } catch (e) { store = null; status("warn", "storageUnavailable"); }
    }
    return {
      name: "standalone",
      start: function () {
        var state = store ? store.getItem(key) : null;
        if (!store) setTimeout(function () { status("warn", "storageUnavailable"); }, 0);
        return { state: state, language: null, learnerName: null, mode: "normal", resumed: state != null };
      },
      record: function () { /* nothing to report to: answers live in the resume state */ },
      saveState: function (state) { write("", state); },
      complete: function (result) { write(":result", JSON.stringify(result)); },
      exit: function () { /* localStorage writes are synchronous: nothing left to flush */ },
      onStatus: function (fn) { listeners.push(fn); }
    };
  };
})(window.ECE = window.ECE || {});

/* ECE player — core: adapter choice, navigation, quizzes, reflections, self-assessment, completion, i18n.
 * Reads only window.ECE_DATA and the server-rendered index.html (docs/ARCHITECTURE.md §4-5). */
(function (ECE) {
  "use strict";
  var D, S, adapter, review = false, lastSaved = null, saveTimer = 0, exited = false, closed = false;
  var i18n = ECE.i18n, t = i18n.t, tl = i18n.tl, pick = i18n.pick;
  var startedAt = Date.now(), pageShownAt = Date.now(), steps = [], saPage = -1, items = [];
  var quizIdx = {}, recordedText = {}, recordedTeam = "", lastStatus = null, noticeKey = null, said = [], pickedLang = null;
  var fullText = {};  // key -> a text longer than the cap: the state keeps its beginning, the answer all of it
  var view = "start", loading = {}, returning = false;
  ECE.adapters = ECE.adapters || {};

  function $(sel, ctx) { return (ctx || document).querySelector(sel); }
  function $$(sel, ctx) { return Array.prototype.slice.call((ctx || document).querySelectorAll(sel)); }
  function setText(sel, text) { var el = $(sel); if (el) el.textContent = text; }
  function langOf(el) { var s = el.closest("[lang]"); return s ? s.getAttribute("lang") : i18n.lang; }
  function base() { return D.course.id.replace(/\/+$/, ""); }
  function now() { return new Date().toISOString(); }
  function fail(e) { showStatus({ level: "error", message: String(e && e.message || e) }); }
  function call(fn) { try { return Promise.resolve(fn()).catch(fail); } catch (e) { fail(e); return Promise.resolve(); } }

  function pagesOf(lang) { return (window.ECE_PAGES || {})[lang]; }

  /** Load pages.<lang>.js once (a script element: it works from file:// and in an LMS frame, unlike fetch). */
  function load(lang) {
    if (pagesOf(lang)) return Promise.resolve();
    if (!loading[lang]) loading[lang] = new Promise(function (ok, ko) {
      var el = document.createElement("script");
      el.src = "pages." + lang + ".js";
      el.onload = ok;
      el.onerror = function () { delete loading[lang]; ko(new Error("pages." + lang + ".js could not be loaded")); };
      document.head.appendChild(el);
    });
    return loading[lang];
  }

  /** Return a screen ("start" or a page id) in a language, made from its HTML the first time it is shown. */
  function section(lang, key) {
    var el = $(key === "start" ? ".ece-start[lang='" + lang + "']" : "#" + lang + "-p-" + key), html = pagesOf(lang);
    if (el || !html) return el;
    var tpl = document.createElement("template"), at = $("[data-verdict-line]");
    tpl.innerHTML = html[key];
    el = tpl.content.firstElementChild;
    el.hidden = true;
    at.parentNode.insertBefore(el, at);
    $$("[data-step] > h2", el).forEach(function (h) { h.tabIndex = -1; });
    $$("track", el).forEach(function (tr) {
      // Chromium refuses a .vtt file from file://; the same cues as a data: URL are allowed (issue 13.7).
      var vtt = html["vtt:" + tr.getAttribute("src")];
      if (location.protocol === "file:" && vtt) tr.src = "data:text/vtt;charset=utf-8," + encodeURIComponent(vtt);
    });
    if (S) paint();
    if (closed) $$("input, textarea, select", el).forEach(function (c) { c.disabled = true; });  // after Exit
    return el;
  }

  /** Show one screen (a language's landing, a page, or the end) and hide the others. */
  function display(el, name) {
    view = name;
    $("main").setAttribute("data-view", name);
    $$(".ece-page, .ece-screen").forEach(function (sec) { sec.hidden = sec !== el; });
    $(".ece-pager").hidden = name === "start";
    $("#ece-prev").disabled = false;
    $("#ece-next").hidden = name === "end";
  }

  function resolveAdapter(name) {
    var a = ECE.adapters[name];
    return typeof a === "function" ? a(D) : a || null;
  }

  /** Start the format's adapter, or the standalone one when it finds no LMS (start() -> null). */
  function boot() {
    D = window.ECE_DATA;
    if (!D) return;
    document.body.classList.remove("ece-nojs");
    document.body.classList.add("ece-js");
    var sel = $("#ece-lang");
    // A language picked while the adapter still looks for its LMS is the learner's choice: run() keeps it.
    if (sel) sel.addEventListener("change", function () { if (!S) pickedLang = sel.value; });
    // The other language is fetched when the learner reaches for the picker, so switching feels instant.
    if (sel) sel.addEventListener("focus", function () { D.languages.forEach(function (l) { load(l).catch(fail); }); });
    i18n.table = D.strings || i18n.table;
    i18n.lang = D.defaultLanguage;
    D.quizzes.forEach(function (q, i) { quizIdx[q.id] = i; });
    steps = ECE.state.saSteps(D);
    D.pages.forEach(function (p, i) { if (p.sa) saPage = i; });
    if (D.selfAssessment) D.selfAssessment.pillars.forEach(function (p) {
      p.items.forEach(function (it) { items.push({ pillar: p, item: it }); });
    });
    // The pages arrive while the adapter looks for its LMS (up to a few seconds, MUST 15).
    load(D.defaultLanguage).catch(fail);
    var primary = D.format === "standalone" ? null : resolveAdapter(D.format);
    if (primary && primary.onStatus) primary.onStatus(showStatus);
    Promise.resolve()
      .then(function () { return primary ? primary.start() : null; })
      .catch(function (e) { fail(e); return null; })
      .then(function (info) {
        if (info && !info.noLms) return [primary, info];
        var sa = resolveAdapter("standalone");
        sa.onStatus(showStatus);
        noticeKey = "standalone";
        return Promise.resolve(sa.start()).then(function (i) { return [sa, i]; });
      })
      .then(function (pair) { adapter = pair[0]; run(pair[1] || {}); })
      .catch(fail);
  }

  function matchLang(pref) { return i18n.match(pref, D.languages); }

  function run(info) {
    // The adapter may have found at launch that its LMS keeps more than the strict budget (scorm12.js probe).
    if (info.textMax > 0) D.stateBudget.textMax = info.textMax;
    S = ECE.state.decode(info.state, D);
    review = info.mode === "review";
    var lang = S.lang >= 0 ? D.languages[S.lang] : matchLang(info.language);
    (navigator.languages || [navigator.language]).forEach(function (l) { lang = lang || matchLang(l); });
    Object.keys(S.texts).forEach(function (k) { recordedText[k] = S.texts[k]; });
    if (S.sa) recordedTeam = S.sa.team.trim();
    returning = S.visited.some(Boolean);
    bind();
    document.body.classList.add("ece-ready");
    $(".ece-progress").hidden = false;
    var exit = $("#ece-exit");
    if (exit) exit.hidden = review;  // in review nothing is tracked: there is no session to end
    var toc = $("#ece-toc details");
    if (toc && !narrow()) toc.open = true;  // small screens: content first, contents on demand
    var link = deepLink();
    setLang(pickedLang || lang || D.defaultLanguage, !!pickedLang);
    paint();
    if (link) open(link, false);
    else showStart(false);
    document.documentElement.classList.remove("ece-deep");  // index.html.j2: the landing may show again
    evaluate();
    // benchmarks/browser_bench.py: the first page is shown and its controls answer from here on.
    if (window.performance && performance.mark) performance.mark("ece-ready");
  }

  /** Read a link to one screen (#fr-p-<page id>, #en-end): bookmarks, the contents, page reviews. */
  function deepLink() {
    var h = decodeURIComponent(location.hash.slice(1)), out = null;
    D.languages.forEach(function (l) {
      if (h.indexOf(l + "-") !== 0) return;
      var rest = h.slice(l.length + 1), page = -1;
      D.pages.forEach(function (p, i) { if (rest === "p-" + p.id) page = i; });
      if (page >= 0 || rest === "end" || rest === "start") out = { lang: l, page: page, end: rest === "end" };
    });
    return out;
  }

  function open(link, focus) {
    if (link.lang !== i18n.lang) setLang(link.lang, false);
    if (link.page >= 0) show(link.page, link.page === saPage ? S.step : 0, focus);
    else if (link.end) showEnd(focus);
    else showStart(focus);
  }

  /** The landing screen; on a return visit it offers to continue where the learner left off. */
  function showStart(focus) {
    var lang = i18n.lang, el = section(lang, "start");
    if (!el) return load(lang).then(function () { showStart(focus); }, fail);
    display(el, "start");
    var back = returning && !review;
    $("[data-action='start']", el).hidden = back;
    $("[data-action='resume']", el).hidden = !back;
    $("[data-action='restart']", el).hidden = !back;
    var welcome = $("[data-welcome]", el);
    welcome.hidden = !back;
    welcome.textContent = back ? t("welcomeBack", { title: pick(D.pages[S.page].title), n: S.page + 1, total: D.pages.length }) : "";
    $("[data-kept]", el).textContent = t(review ? "keptReview" : noticeKey === "standalone" ? "keptBrowser" : "keptLms");
    document.title = pick(D.module.title) + " – " + pick(D.course.title);
    if (focus) $("h1", el).focus();
  }

  /** The closing screen: the outcome, what was recorded, and the next module of the series. */
  function showEnd(focus) {
    display($("#ece-end"), "end");
    $$("[data-goto]").forEach(function (a) { a.removeAttribute("aria-current"); });
    document.title = t("endTitle") + " – " + pick(D.module.title);
    evaluate();
    if (focus) $("#ece-end-h").focus();
  }

  function paintNotice() {
    var notice = $("#ece-notice");
    if (!notice) return;
    notice.hidden = !noticeKey;
    notice.textContent = noticeKey ? t(noticeKey) : "";
  }

  function setLang(lang, user) {
    i18n.lang = lang;
    document.documentElement.lang = lang;
    if (user) S.lang = D.languages.indexOf(lang);
    var sel = $("#ece-lang");
    if (sel) sel.value = lang;
    $$("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    setText("[data-i18n-course]", pick(D.course.title));
    setText("[data-i18n-module]", pick(D.module.title));
    $$("#ece-toc [data-goto]").forEach(function (a) {
      var p = D.pages[+a.getAttribute("data-goto")];
      a.textContent = pick(p.title);
      a.setAttribute("href", "#" + lang + "-p-" + p.id);
      setText("[data-toc='" + a.getAttribute("data-goto") + "'] [data-min]", t("minutes", { n: p.minutes[lang] }));
    });
    paintNotice();
    if (lastStatus) showStatus(lastStatus);
  }

  function showStatus(st) {
    lastStatus = st;
    var el = $("#ece-status");
    if (!el) return;
    el.className = "ece-status ece-status-" + (st.level || "ok");
    // The waiting count is added unless the message already states it ("2 records are waiting…").
    var text = pick(st.message), n = st.pending;
    if (n && !new RegExp("(^|\\D)" + n + "(\\D|$)").test(text)) {
      text += /:\s*$/.test(text) ? " " + n : " (" + n + ")";
    }
    el.textContent = text;
  }

  /** Say something through the live region; what is said in the same moment is read as one message. */
  function announce(text) {
    var live = $("#ece-live");
    if (!said.length) {
      live.textContent = "";
      setTimeout(function () { live.textContent = said.join(" "); said = []; }, 60);
    }
    said.push(text);
  }

  /* ---------- navigation ---------- */

  function stepAllowed(si) {
    var s = steps[si];
    if (!s || s.indexOf("p:") !== 0) return true;
    var chosen = S.sa.primary >= 0 || S.sa.others > 0, pi = si - 1;
    return !chosen || S.sa.primary === pi || !!(S.sa.others & (1 << pi));
  }

  function nextStep(from, dir) {
    for (var si = from + dir; si >= 0 && si < steps.length; si += dir) if (stepAllowed(si)) return si;
    return -1;
  }

  function show(index, step, focus) {
    var P = D.pages.length;
    index = Math.max(0, Math.min(P - 1, index));
    var changed = index !== S.page || !S.visited[index], el = section(i18n.lang, D.pages[index].id);
    if (!el) return load(i18n.lang).then(function () { show(index, step, focus); }, fail);
    S.page = index;
    if (index === saPage) S.step = Math.max(0, Math.min(steps.length - 1, step));
    display(el, "page");
    $$(".ece-sa-step").forEach(function (el) { el.hidden = +el.getAttribute("data-step") !== S.step; });
    // After its first step the flow fills the page: the page's introduction would be scrolled past each time.
    $$(".ece-sa").forEach(function (el) { el.closest(".ece-page").classList.toggle("ece-sa-later", S.step > 0); });
    S.visited[index] = true;
    $$("[data-goto]").forEach(function (a) {
      if (+a.getAttribute("data-goto") === index) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    var seen = S.visited.filter(Boolean).length, pct = Math.round(100 * seen / P);
    var onSa = index === saPage, text = t("progressText", { n: index + 1, total: P, pct: pct });
    if (onSa) {
      // Count only the steps of the pillars the learner chose, so "Step 6 of 6" really is the last one.
      var mine = steps.map(function (s, si) { return si; }).filter(stepAllowed);
      var at = mine.filter(function (si) { return si < S.step; }).length + 1;
      var stepText = t("stepOf", { n: at, total: mine.length });
      // A module that is only the self-assessment has one page: its steps are the whole progress.
      text = P === 1 ? stepText : text + " · " + stepText;
      if (P === 1) pct = Math.round(100 * at / mine.length);
    }
    setText("#ece-progress-text", text);
    var bar = $("#ece-progress-bar");
    if (bar) bar.value = pct;
    var page = D.pages[index];
    document.title = pick(page.title) + " – " + pick(D.module.title);
    if (onSa && steps[S.step] === "summary") {
      renderSummary();
      S.flags |= 1;
    }
    if (focus) {
      var target = onSa && S.step > 0 ? $(".ece-page:not([hidden]) [data-step='" + S.step + "'] > h2")
        : $("#" + i18n.lang + "-h-" + page.id);
      if (target) target.focus();
    }
    if (changed) {
      pageShownAt = Date.now();
      record({ type: "page", pageId: page.id, index: index, total: P, title: page.title });
    }
    save();
    evaluate();
  }

  /** Previous / Next: through the self-assessment's steps, the pages, then the landing or the end. */
  function go(dir) {
    var P = D.pages.length;
    if (view === "end") return dir < 0 && show(P - 1, P - 1 === saPage ? steps.length - 1 : 0, true);
    if (view === "start") return dir > 0 && show(0, 0, true);
    if (S.page === saPage) {
      var si = nextStep(S.step, dir);
      if (si >= 0) return show(S.page, si, true);
    }
    var target = S.page + dir;
    if (target < 0) return showStart(true);
    if (target >= P) return showEnd(true);
    show(target, target === saPage && dir < 0 ? steps.length - 1 : 0, true);
  }

  /** A page is done once seen with its knowledge checks finished, its texts written and the SA summed up. */
  function pageDone(i) {
    var p = D.pages[i];
    return !!S.visited[i] && p.quizzes.every(function (qi) { return S.quizzes[qi].status !== 0; }) &&
      p.texts.every(function (k) { return !!(S.texts[k] || "").trim(); }) && (!p.sa || (S.flags & 1) === 1);
  }

  function paintToc() {
    $$("[data-toc]").forEach(function (li) {
      var i = +li.getAttribute("data-toc"), done = pageDone(i), seen = !!S.visited[i];
      li.className = done ? "ece-done" : seen ? "ece-seen" : "";
      setText("[data-toc='" + i + "'] [data-mark]", done ? t("tocDone") : seen ? t("tocVisited") : "");
    });
  }

  /* ---------- state, events ---------- */

  function record(ev) {
    if (!review && adapter) call(function () { return adapter.record(ev); });
  }

  function save() {
    if (review || !adapter) return;
    clearTimeout(saveTimer);
    var s = ECE.state.encode(S, D);
    if (s === lastSaved) return;
    lastSaved = s;
    call(function () { return adapter.saveState(s); });
  }

  function saveSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 800);
  }

  function narrow() { return !!(window.matchMedia && window.matchMedia("(max-width: 46rem)").matches); }

  function finished() { return (S.flags & 2) === 2; }

  /** Report completion when the module's rule holds and the outcome differs from what was reported. */
  function evaluate() {
    var c = D.module.completion, qs = S.quizzes;
    var done = qs.every(function (q) { return q.status !== 0; });
    var ok = (!c.allPages || S.visited.every(Boolean)) && (!c.quizPassed || done) &&
      (!c.selfAssessmentDone || (S.flags & 1) === 1);
    var passed = qs.length && done ? qs.every(function (q) { return q.status === 1; }) : null;
    var scored = qs.length && qs.every(function (q) { return q.score >= 0; });
    var scoreRaw = scored ? Math.round(qs.reduce(function (a, q) { return a + q.score; }, 0) / qs.length) : null;
    var result = { completed: true, passed: passed, scoreRaw: scoreRaw, durationMs: Date.now() - startedAt };
    paintToc();
    ECE.completion.paint(ok, result);
    if (!ok) return;
    var sig = 2 | (passed === true ? 4 : passed === false ? 8 : 0);
    if ((S.flags & 14) === sig) return;
    S.flags = (S.flags & 1) | sig;
    if (!review) call(function () { return adapter.complete(result); });
    announce(ECE.completion.verdict(result));
    save();
  }

  /** Record free texts typed but never blurred (tab closed mid-sentence), so no answer is lost. */
  function flushTexts() {
    Object.keys(S.texts).forEach(function (key) {
      if (recordedText[key] === whole(key)) return;
      recordedText[key] = whole(key);
      ECE.sa.recordText(key);
    });
    if (S.sa && S.sa.team.trim() !== recordedTeam) {
      recordedTeam = S.sa.team.trim();
      record({ type: "team-code", code: recordedTeam });
    }
  }

  /** End the session for good (Exit): last saves, adapter.exit once, then no tracking call (MUST 22). */
  function leave() {
    if (closed) return Promise.resolve();
    if (S && !review) flushTexts();
    save();
    clearTimeout(saveTimer);
    var first = !exited && !review && adapter;
    closed = exited = review = true;
    var done = first ? call(function () { return adapter.exit(finished()); }) : Promise.resolve();
    return done.then(function () { noticeKey = "closed"; paintNotice(); });
  }

  function onPageHide() {
    if (S && !review) flushTexts();
    save();
    if (exited || review || !adapter) return;
    exited = true;
    call(function () { return adapter.exit(finished()); });
  }

  ECE.player = { data: function () { return D; }, state: function () { return S; }, go: go, show: show,
    view: function () { return view; } };
  ECE._core = { leave: leave, get closed() { return closed; }, $: $, $$: $$, langOf: langOf, base: base, now: now, record: record, save: save,
    saveSoon: saveSoon, announce: announce, evaluate: evaluate, quizIdx: quizIdx, items: items, load: load,
    get review() { return review; }, get noticeKey() { return noticeKey; },
    recordedText: recordedText, whole: whole, get S() { return S; }, get D() { return D; }, get pageShownAt() { return pageShownAt; } };

  function bind() {
    document.addEventListener("click", onClick);
    document.addEventListener("input", onInput);
    document.addEventListener("change", onChange);
    document.addEventListener("paste", onPaste);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") save(); });
    window.addEventListener("pagehide", onPageHide);
    // Pages are made when first shown: media errors and transcript toggles (neither bubbles) are caught here.
    document.addEventListener("error", videoFailed, true);
    document.addEventListener("toggle", function (e) { if (e.target.matches(".ece-transcript")) syncTranscript(e); }, true);
    window.addEventListener("hashchange", function () { var l = deepLink(); if (l) open(l, true); });
    var sel = $("#ece-lang");
    if (sel) sel.addEventListener("change", function () {
      setLang(sel.value, true);
      paint();
      if (view === "start") showStart(false);
      else if (view === "end") showEnd(false);
      else show(S.page, S.step, false);
    });
  }

  function onClick(e) {
    var el = e.target.closest("button, a[data-goto]");
    if (!el) return;
    if (el.id === "ece-prev") return go(-1);
    if (el.id === "ece-next") return go(1);
    if (el.id === "ece-exit") return ECE.completion.exit();
    var action = el.getAttribute("data-action");
    if (action === "start" || action === "restart") return show(0, 0, true);
    if (action === "resume") return show(S.page, S.step, true);
    if (el.hasAttribute("data-goto")) {
      e.preventDefault();
      var i = +el.getAttribute("data-goto");
      var toc = $("#ece-toc details");
      if (toc && narrow()) toc.open = false;
      return show(i, i === saPage ? S.step : 0, true);
    }
    if (closed && (action === "check" || action === "retry")) return;  // nothing may be recorded any more
    if (action === "check") ECE.quiz.check(el.closest("fieldset"));
    else if (action === "retry") ECE.quiz.retry(el.closest(".ece-quiz"));
    else if (action === "print") window.print();
    else if (action === "transcript") {
      var d = document.getElementById(el.getAttribute("aria-controls"));
      d.open = !d.open;
    }
  }

  function onInput(e) {
    var el = e.target, key = el.getAttribute("data-text");
    if (key) {
      S.texts[key] = el.value.slice(0, D.stateBudget.textMax);
      // A pasted or dropped text may exceed the cap: the whole of it goes with the answer (LMS comments,
      // statement) and the learner is told that the resume state keeps only its beginning.
      if (el.value.length > S.texts[key].length) fullText[key] = el.value;
      else delete fullText[key];
      paintTexts(el);
      paintToc();  // a written reflection can make its page "done"
      saveSoon();
    } else if (el.hasAttribute("data-team")) {
      S.sa.team = el.value.slice(0, ECE.state.TEAM_MAX);
      paintTexts(el);
      saveSoon();
    }
  }

  /** The learner's whole text, also where it is longer than the resume state keeps. */
  function whole(key) { return fullText[key] || S.texts[key] || ""; }

  // The browser would cut a pasted text at maxlength without a word: paste it whole instead; onInput then
  // keeps the cap in the state, the whole text for the answer, and the counter says so.
  function onPaste(e) {
    var el = e.target;
    if (!el.hasAttribute || !el.hasAttribute("data-text") || !e.clipboardData || el.maxLength < 0) return;
    var add = e.clipboardData.getData("text/plain");
    var caret = el.selectionStart + add.length;
    var next = el.value.slice(0, el.selectionStart) + add + el.value.slice(el.selectionEnd);
    if (next.length <= el.maxLength) return;
    e.preventDefault();
    el.value = next;
    el.setSelectionRange(caret, caret);
    onInput({ target: el });
    onChange({ target: el }); // a value set by script fires no change event on blur: record it now
  }

  function onChange(e) {
    var el = e.target, key = el.getAttribute("data-text");
    if (key) {
      if (recordedText[key] !== whole(key)) {
        recordedText[key] = whole(key);
        ECE.sa.recordText(key);
      }
      return save();
    }
    if (el.hasAttribute("data-team")) {
      if (S.sa.team.trim() !== recordedTeam) {
        recordedTeam = S.sa.team.trim();
        record({ type: "team-code", code: recordedTeam });
      }
      return save();
    }
    if (el.hasAttribute("data-c")) return ECE.quiz.select(el.closest("fieldset"));
    if (el.hasAttribute("data-primary") || el.hasAttribute("data-other") || el.hasAttribute("data-item")) {
      ECE.sa.change(el);
      paint();
      show(S.page, S.step, false);
    }
  }

  function videoFailed(e) {
    // Captions that fail also fire "error" (captured here): only the media itself counts.
    var box = e.target.tagName === "VIDEO" && e.target.closest("[data-video]");
    if (!box) return;
    $("[data-video-error]", box).hidden = false;
    $("details", box).open = true;
  }

  function syncTranscript(e) {
    var d = e.target, btn = $("[aria-controls='" + d.id + "']");
    btn.setAttribute("aria-expanded", String(d.open));
    btn.textContent = tl(langOf(d), d.open ? "hideTranscript" : "showTranscript");
  }

  /* ---------- painting answers into every language copy ---------- */

  function paintTexts(src) {
    var max = D.stateBudget.textMax;
    $$("[data-text]").forEach(function (el) {
      var key = el.getAttribute("data-text"), v = fullText[key] || S.texts[key] || "";
      if (el.maxLength !== max) el.maxLength = max;
      if (el !== src && el.value !== v) el.value = v;
    });
    $$("[data-counter]").forEach(function (el) {
      var key = el.getAttribute("data-counter"), n = (fullText[key] || S.texts[key] || "").length;
      el.textContent = tl(langOf(el), n > max ? "counterOver" : "counter", { n: n, max: max });
    });
    $$("[data-team]").forEach(function (el) { if (el !== src && el.value !== S.sa.team) el.value = S.sa.team; });
  }

  function paint() {
    paintTexts(null);
    D.quizzes.forEach(function (q, qi) { ECE.quiz.paint(qi); });
    if (S.sa) ECE.sa.paint();
    if (ECE.blocks) ECE.blocks.paint();
  }

  function renderSummary() { if (S.sa) ECE.sa.summary(); }
  ECE._core.paint = paint;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})(window.ECE = window.ECE || {});

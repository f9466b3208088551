// Unit tests of the xapi and cmi5 adapters against a scripted LMS (fake window, fetch and storage), run with
// `node --test`. Browser behaviour against the real LRS is in tests/player/test_xapi_*.py / test_cmi5_*.py;
// these cover what a browser test cannot reach directly: returnURL on a learner-initiated exit and the
// exact order of launch requests.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const RT = path.resolve(__dirname, "..", "..", "ece_scorm", "player");
["i18n.js", "xapi-statements.js", "outbox.js", "adapters/xapi.js", "adapters/cmi5.js"].forEach((f) => require(path.join(RT, f)));
const ECE = globalThis.ECE;

class Store {
  constructor() { this.m = new Map(); }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  setItem(k, v) { this.m.set(k, String(v)); }
  removeItem(k) { this.m.delete(k); }
}

const DATA = {course: {id: "https://example.org/c", title: {en: "C", fr: "C"}},
  module: {id: "m", activityId: "https://example.org/c/m", kind: "module", title: {en: "M", fr: "M"}},
  languages: ["en", "fr"], defaultLanguage: "en"};
const ACTOR = {objectType: "Agent", name: "Marie Claire", account: {homePage: "https://lms", name: "mc"}};

/** A scripted cmi5 LMS: answers fetch once, serves LaunchData and preferences, records every request. */
function lms(launchData, prefs) {
  const log = [], statements = [];
  let fetched = 0;
  const fetchFn = async (url, init) => {
    const u = new URL(url), method = (init && init.method) || "GET";
    log.push(`${method} ${u.pathname}${u.searchParams.get("stateId") ? " " + u.searchParams.get("stateId") : ""}`);
    const reply = (status, body) => ({status, json: async () => body, text: async () => JSON.stringify(body)});
    if (u.pathname === "/fetch") {
      fetched += 1;
      return reply(200, fetched === 1 ? {"auth-token": "dG9rZW4="} : {"error-code": "1", "error-text": "Already in Use"});
    }
    assert.equal(init.headers.Authorization, "Basic dG9rZW4=");
    assert.equal(init.headers["X-Experience-API-Version"], "1.0.3");
    if (u.pathname === "/lrs/statements") { statements.push(...JSON.parse(init.body)); return reply(200, []); }
    if (u.pathname === "/lrs/activities/state" && u.searchParams.get("stateId") === "LMS.LaunchData") {
      return reply(200, launchData);
    }
    if (u.pathname === "/lrs/agents/profile") return prefs ? reply(200, prefs) : reply(404, {});
    if (method === "PUT") return reply(204, {});
    return reply(404, {});
  };
  return {fetchFn, log, statements, fetched: () => fetched};
}

function fakeWindow(search, session, local) {
  const listeners = {};
  const win = {
    location: {search, assigned: null, assign(u) { this.assigned = u; }},
    sessionStorage: session || new Store(), localStorage: local || new Store(),
    addEventListener(t, fn) { (listeners[t] = listeners[t] || []).push(fn); },
    document: {visibilityState: "visible", addEventListener() {}},
  };
  return win;
}

function cmi5Search() {
  const q = new URLSearchParams({endpoint: "https://lms/lrs/", fetch: "https://lms/fetch",
    actor: JSON.stringify(ACTOR), registration: "4e6e7c43-0a3e-4b7f-9a59-8d4f0d1a2b3c", activityId: "https://lms/au/1"});
  return "?" + q.toString();  // URLSearchParams writes '+' for spaces, like a form-encoding LMS
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const LAUNCH = {launchMode: "Normal", moveOn: "CompletedAndPassed", masteryScore: 0.8,
  returnURL: "https://lms/return?x=1", contextTemplate: {extensions: {
    "https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s1"}}};

test("xapi readLaunch decodes '+' and reduces 0.95-style actor arrays", () => {
  const q = "?endpoint=https%3A%2F%2Flrs%2F&auth=Basic+abc&actor=" +
    encodeURIComponent(JSON.stringify({name: ["Jo Doe"], mbox: ["mailto:jo@x.org"]})).replace(/%20/g, "+") +
    "&registration=r&activity_id=https%3A%2F%2Fx.org%2Fa";
  const l = ECE.adapters.xapi.readLaunch(q);
  assert.equal(l.auth, "Basic abc");
  assert.deepEqual(l.actor, {name: "Jo Doe", mbox: "mailto:jo@x.org"});
  assert.equal(ECE.adapters.xapi.readLaunch("?lang=fr"), null);
  assert.deepEqual(ECE.adapters.xapi.readLaunch("?endpoint=ftp%3A%2F%2Fx&actor=%7B%7D"), {error: "endpoint"});
});

test("cmi5 start: token fetched once, launch data and preferences read before initialized", async () => {
  const L = lms(LAUNCH, {languagePreference: "fr-CA,en-US"});
  const win = fakeWindow(cmi5Search());
  const a = ECE.adapters.cmi5(DATA, {window: win, fetch: L.fetchFn});
  const info = await a.start();
  await settle();
  assert.equal(L.fetched(), 1);
  assert.equal(info.language, "fr");
  assert.equal(info.mode, "normal");
  assert.equal(info.learnerName, "Marie Claire");
  const firstPost = L.log.indexOf("POST /lrs/statements");
  assert.ok(L.log.indexOf("GET /lrs/activities/state LMS.LaunchData") < firstPost);
  assert.ok(L.log.indexOf("GET /lrs/agents/profile") < firstPost);
  assert.equal(L.statements[0].verb.id, "http://adlnet.gov/expapi/verbs/initialized");
  assert.deepEqual(L.statements[0].actor, ACTOR);  // '+' decoded back to spaces

  // A reload in the same tab: same sessionStorage, no second fetch and no second initialized.
  const again = ECE.adapters.cmi5(DATA, {window: fakeWindow(cmi5Search(), win.sessionStorage, win.localStorage),
    fetch: L.fetchFn});
  await again.start();
  await settle();
  assert.equal(L.fetched(), 1);
  assert.equal(L.statements.filter((s) => s.verb.id.endsWith("/initialized")).length, 1);
});

test("cmi5 passed is sent once per registration and a learner exit returns to the LMS", async () => {
  const L = lms(LAUNCH, null);
  const win = fakeWindow(cmi5Search());
  const a = ECE.adapters.cmi5(DATA, {window: win, fetch: L.fetchFn});
  await a.start();
  await a.complete({completed: true, passed: true, scoreRaw: 90, durationMs: 1000});
  await a.complete({completed: true, passed: true, scoreRaw: 95, durationMs: 2000});
  await a.exit(true);
  await settle();
  const verbs = L.statements.map((s) => s.verb.id.split("/").pop());
  assert.deepEqual(verbs, ["initialized", "passed", "completed", "terminated"]);
  assert.equal(win.location.assigned, "https://lms/return?x=1");
  await a.exit(true);  // safe to call twice
  assert.equal(L.statements.filter((s) => s.verb.id.endsWith("/terminated")).length, 1);
});

test("cmi5 Browse mode: completion is not reported; exit during pagehide does not navigate", async () => {
  const L = lms(Object.assign({}, LAUNCH, {launchMode: "Browse"}), null);
  const win = fakeWindow(cmi5Search());
  const a = ECE.adapters.cmi5(DATA, {window: win, fetch: L.fetchFn});
  const info = await a.start();
  assert.equal(info.mode, "browse");
  await a.complete({completed: true, passed: true, scoreRaw: 100, durationMs: 1000});
  win.document.visibilityState = "hidden";  // what pagehide looks like
  await a.exit(false);
  await settle();
  assert.deepEqual(L.statements.map((s) => s.verb.id.split("/").pop()), ["initialized", "terminated"]);
  assert.equal(win.location.assigned, null);
});

test("cmi5 without a usable fetch answer reports the error and sends nothing", async () => {
  const L = lms(LAUNCH, null);
  await L.fetchFn("https://lms/fetch", {method: "POST"});  // someone used the URL already
  const win = fakeWindow(cmi5Search());
  const a = ECE.adapters.cmi5(DATA, {window: win, fetch: L.fetchFn});
  const seen = [];
  a.onStatus((s) => seen.push(s));
  assert.equal(await a.start(), null);
  assert.equal(L.statements.length, 0);
  assert.match(seen[0].message.en, /Already in Use/);
  assert.match(seen[0].message.fr, /Already in Use/);
});

/**
 * A strict cmi5 LMS over several sessions: each launch has its own sessionid and token; a batch holding a
 * statement of another session is rejected whole (CATAPULT 10.2.1.0-6); `online` false fails every request.
 */
function sessionLms() {
  const SID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
  const held = new Map(), posted = [], states = new Map(), asked = [];
  const lmsState = {online: true, session: "s1", rejected: 0};
  const fetchFn = async (url, init) => {
    if (!lmsState.online) throw new TypeError("Failed to fetch");
    const u = new URL(url), method = (init && init.method) || "GET";
    const reply = (status, body) => ({status, json: async () => body,
      text: async () => (typeof body === "string" ? body : JSON.stringify(body))});
    if (u.pathname === "/fetch") return reply(200, {"auth-token": "dG9rZW4="});
    if (u.pathname === "/lrs/statements" && method === "GET") {
      asked.push(u.searchParams.get("statementId"));
      return held.has(u.searchParams.get("statementId")) ? reply(200, held.get(u.searchParams.get("statementId")))
        : reply(404, {});
    }
    if (u.pathname === "/lrs/statements") {
      const batch = JSON.parse(init.body);
      if (batch.some((st) => st.context.extensions[SID] !== lmsState.session)) {
        lmsState.rejected += 1;
        return reply(403, "10.2.1.0-6 - statement of another session");
      }
      batch.forEach((st) => { held.set(st.id, st); posted.push(st); });
      return reply(200, batch.map((st) => st.id));
    }
    const stateId = u.searchParams.get("stateId");
    if (stateId === "LMS.LaunchData") {
      return reply(200, Object.assign({}, LAUNCH, {contextTemplate: {extensions: {[SID]: lmsState.session}}}));
    }
    if (u.pathname === "/lrs/agents/profile") return reply(404, {});
    if (method === "PUT") { states.set(stateId, init.body); return reply(204, ""); }
    return states.has(stateId) ? reply(200, states.get(stateId)) : reply(404, {});
  };
  // A closed window's timers die with it; here its retries meet the revoked token of its session.
  const closable = () => {
    const page = {closed: false};
    page.fetch = (url, init) => (page.closed ? Promise.resolve({status: 401, json: async () => ({}),
      text: async () => ""}) : fetchFn(url, init));
    return page;
  };
  return {fetchFn, closable, held, posted, states, asked, lms: lmsState, SID};
}

test("cmi5: a new session never sends an earlier session's statement; what never arrived is told", async () => {
  const L = sessionLms(), local = new Store();
  const win1 = fakeWindow(cmi5Search(), new Store(), local), page1 = L.closable();
  const a = ECE.adapters.cmi5(DATA, {window: win1, fetch: page1.fetch});
  await a.start();
  await settle();
  await a.saveState("page-1");
  L.lms.online = false;  // the connection drops midway
  await a.saveState("page-3|answers|reflection");
  await a.complete({completed: true, passed: true, scoreRaw: 90, durationMs: 1000});
  win1.document.visibilityState = "hidden";  // the learner closes the window without Exit
  await a.exit(false);
  await settle();
  page1.closed = true;
  const queued = JSON.parse(local.getItem("ece-cmi5-outbox:" + "4e6e7c43-0a3e-4b7f-9a59-8d4f0d1a2b3c|" +
    "https://lms/au/1|s1"));
  assert.deepEqual(queued.map((st) => st.verb.id.split("/").pop()), ["passed", "completed", "terminated"]);

  // Relaunched later, online, as a new session.
  L.lms.online = true;
  L.lms.session = "s2";
  L.held.set(queued[2].id, queued[2]);  // the keepalive request reached the LRS after all: it holds terminated
  const win2 = fakeWindow(cmi5Search(), new Store(), local);
  const b = ECE.adapters.cmi5(DATA, {window: win2, fetch: L.fetchFn});
  const seen = [];
  b.onStatus((st) => seen.push(st));
  const info = await b.start();
  await settle();
  assert.deepEqual(L.asked.sort(), queued.map((st) => st.id).sort());  // each asked for by id first
  assert.equal(L.lms.rejected, 0);
  const second = L.posted.filter((st) => st.context.extensions[L.SID] === "s2");
  assert.equal(second[0].verb.id, "http://adlnet.gov/expapi/verbs/initialized");
  assert.ok(queued.every((st) => !second.some((p) => p.id === st.id)));
  // The outcome that never arrived is reported again in this session, with its score.
  assert.deepEqual(second.map((st) => st.verb.id.split("/").pop()), ["initialized", "passed", "completed"]);
  assert.deepEqual(second[1].result.score, {scaled: 0.9, raw: 90, min: 0, max: 100});
  // The answers typed offline come back from this device and reach the LRS.
  assert.equal(info.state, "page-3|answers|reflection");
  assert.equal(info.resumed, true);
  assert.equal(L.states.get("https://example.org/c/xapi/state/resume"), "page-3|answers|reflection");
  const last = seen[seen.length - 1];
  assert.equal(last.level, "warn");
  assert.match(last.message.en, /2 records of your previous session never reached/);
  assert.match(last.message.fr, /2\u00a0enregistrements de votre session précédente/);
  assert.equal(local.getItem("ece-cmi5-outbox:4e6e7c43-0a3e-4b7f-9a59-8d4f0d1a2b3c|https://lms/au/1|s1"), null);
  // The earlier outcome counts: the same result in this session is not reported twice.
  await b.complete({completed: true, passed: true, scoreRaw: 90, durationMs: 1000});
  await settle();
  assert.equal(L.posted.filter((st) => st.verb.id.endsWith("/passed")).length, 1);
});

test("cmi5: an earlier statement the LRS cannot be asked about stays queued and is never sent", async () => {
  const L = sessionLms(), local = new Store();
  const win1 = fakeWindow(cmi5Search(), new Store(), local), page1 = L.closable();
  const a = ECE.adapters.cmi5(DATA, {window: win1, fetch: page1.fetch});
  await a.start();
  await settle();
  L.lms.online = false;
  win1.document.visibilityState = "hidden";
  await a.exit(false);
  page1.closed = true;
  // Relaunched in Browse while the statements GET fails: nothing is discarded, nothing of s1 is sent.
  L.lms.online = true;
  L.lms.session = "s2";
  const real = L.fetchFn;
  const flaky = async (url, init) => {
    if (new URL(url).searchParams.get("statementId")) throw new TypeError("Failed to fetch");
    return real(url, init);
  };
  const b = ECE.adapters.cmi5(DATA, {window: fakeWindow(cmi5Search(), new Store(), local), fetch: flaky});
  await b.start();
  await settle();
  assert.equal(L.lms.rejected, 0);
  assert.ok(local.getItem("ece-cmi5-outbox:4e6e7c43-0a3e-4b7f-9a59-8d4f0d1a2b3c|https://lms/au/1|s1"));
  // Third launch, the LRS answers: terminated of s1 never arrived and is dropped (1 record told).
  L.lms.session = "s3";
  const c = ECE.adapters.cmi5(DATA, {window: fakeWindow(cmi5Search(), new Store(), local), fetch: L.fetchFn});
  const seen = [];
  c.onStatus((st) => seen.push(st));
  await c.start();
  await settle();
  assert.equal(local.getItem("ece-cmi5-outbox:4e6e7c43-0a3e-4b7f-9a59-8d4f0d1a2b3c|https://lms/au/1|s1"), null);
  assert.match(seen[seen.length - 1].message.en, /^1 record of your previous session/);
  assert.equal(L.lms.rejected, 0);
});

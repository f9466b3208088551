// Unit tests of the durable outbox (ece_scorm/runtime/outbox.js), run with `node --test`.
// The LRS side here is a small in-memory fake with real xAPI semantics (ids stored once, atomic batches);
// end-to-end behaviour against Learning Locker is covered by tests/player/test_xapi_*.py.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

require(path.resolve(__dirname, "..", "..", "ece_scorm", "player", "outbox.js"));
const Outbox = globalThis.ECE.outbox;

class Store {  // localStorage semantics: strings only, optional quota failure
  constructor() { this.m = new Map(); this.full = false; }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  setItem(k, v) { if (this.full) throw new Error("QuotaExceededError"); this.m.set(k, String(v)); }
  removeItem(k) { this.m.delete(k); }
}

class Timers {  // manual clock: nothing runs until the test advances it
  constructor() { this.q = []; this.now = 0; this.seq = 0; }
  setTimeout(fn, ms) { const id = ++this.seq; this.q.push({id, at: this.now + ms, fn}); return id; }
  clearTimeout(id) { this.q = this.q.filter((t) => t.id !== id); }
  delays() { return this.q.map((t) => t.at - this.now); }
  async run(ms) {
    this.now += ms;
    for (;;) {
      const due = this.q.filter((t) => t.at <= this.now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.clearTimeout(due.id);
      due.fn();
      await settle();
    }
    await settle();
  }
}

async function settle() { for (let i = 0; i < 50; i++) await Promise.resolve(); }

class Lrs {  // stores ids once; a batch is atomic; `mode` simulates outages
  constructor() { this.stored = new Map(); this.mode = "ok"; this.calls = []; this.invalid = new Set(); }
  send(batch, o) {
    this.calls.push({ids: batch.map((s) => s.id), keepalive: o.keepalive});
    if (this.mode === "offline") return Promise.reject(new TypeError("Failed to fetch"));
    if (this.mode === "503") return Promise.resolve(503);
    if (this.mode === "401") return Promise.resolve(401);
    if (batch.some((s) => this.invalid.has(s.id))) return Promise.resolve(400);
    if (batch.some((s) => this.stored.has(s.id) && this.stored.get(s.id) !== JSON.stringify(s))) {
      return Promise.resolve(409);
    }
    batch.forEach((s) => this.stored.set(s.id, JSON.stringify(s)));
    return Promise.resolve(200);
  }
}

let counter = 0;
const st = (extra) => Object.assign({id: `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`,
  verb: {id: "http://adlnet.gov/expapi/verbs/experienced"}}, extra || {});

function make(opts) {
  const storage = (opts && opts.storage) || new Store(), lrs = (opts && opts.lrs) || new Lrs();
  const timers = (opts && opts.timers) || new Timers(), statuses = [];
  const box = Outbox.create(Object.assign({key: "ece-outbox:test", storage, timers, random: () => 1,
    send: (b, o) => lrs.send(b, o)}, (opts && opts.extra) || {}));
  box.onStatus((s) => statuses.push(s));
  return {box, storage, lrs, timers, statuses};
}

test("a statement is persisted before anything is sent", async () => {
  const {box, storage, lrs} = make();
  const s = st();
  box.add(s);
  assert.equal(lrs.calls.length, 0);
  assert.deepEqual(JSON.parse(storage.getItem("ece-outbox:test")), [s]);
  assert.equal(box.pending(), 1);
});

test("statements go out as one batch and leave storage once acknowledged", async () => {
  const {box, storage, lrs, timers, statuses} = make();
  const a = st(), b = st(), c = st();
  [a, b, c].forEach((s) => box.add(s));
  await timers.run(0);
  assert.deepEqual(lrs.calls.map((c) => c.ids), [[a.id, b.id, c.id]]);
  assert.equal(storage.getItem("ece-outbox:test"), null);
  const last = statuses[statuses.length - 1];
  assert.deepEqual([last.level, last.pending, last.message.en], ["ok", 0, "All your progress is saved."]);
  assert.equal(last.message.fr, "Toute votre progression est enregistrée.");
});

test("batches respect maxBatch", async () => {
  const {box, lrs, timers} = make({extra: {maxBatch: 2}});
  for (let i = 0; i < 5; i++) box.add(st());
  await timers.run(0);
  assert.deepEqual(lrs.calls.map((c) => c.ids.length), [2, 2, 1]);
  assert.equal(lrs.stored.size, 5);
});

test("network errors back off exponentially, keep everything, and report what is waiting", async () => {
  const {box, lrs, timers, statuses} = make({extra: {baseDelayMs: 1000, maxDelayMs: 8000}});
  lrs.mode = "offline";
  box.add(st()); box.add(st());
  await timers.run(0);
  assert.deepEqual(timers.delays(), [1000]);
  await timers.run(1000);
  assert.deepEqual(timers.delays(), [2000]);
  await timers.run(2000);
  await timers.run(4000);
  await timers.run(8000);
  assert.deepEqual(timers.delays(), [8000], "capped at maxDelayMs");
  const last = statuses[statuses.length - 1];
  assert.equal(last.level, "warn");
  assert.equal(last.pending, 2);
  assert.match(last.message.en, /2 records are waiting/);
  assert.match(last.message.fr, /2 enregistrements attendent/);
  // a statement added during the outage waits for the backoff instead of hammering the LRS
  const before = lrs.calls.length;
  box.add(st());
  await settle();
  assert.equal(lrs.calls.length, before);
  lrs.mode = "ok";
  await box.retryNow();
  assert.equal(box.pending(), 0);
  assert.equal(lrs.stored.size, 3);
});

test("5xx is retried like a network error", async () => {
  const {box, lrs, timers} = make();
  lrs.mode = "503";
  box.add(st());
  await timers.run(0);
  assert.equal(box.pending(), 1);
  lrs.mode = "ok";
  await timers.run(1000);
  assert.equal(box.pending(), 0);
});

test("401/403 stop retries and are shown as an error in the learner's language", async () => {
  const {box, lrs, timers, statuses} = make();
  lrs.mode = "401";
  box.add(st());
  await timers.run(0);
  const calls = lrs.calls.length;
  await timers.run(600000);
  assert.equal(lrs.calls.length, calls, "no retry after 401");
  assert.equal(timers.delays().length, 0);
  const last = statuses[statuses.length - 1];
  assert.equal(last.level, "error");
  assert.equal(last.pending, 1);
  assert.match(last.message.fr, /a refusé l’authentification \(401\)/);
  box.add(st());
  assert.equal(box.pending(), 2, "later statements are still kept for the next launch");
});

test("replay on the next launch: a new outbox over the same storage sends what was left", async () => {
  const storage = new Store(), lrs = new Lrs();
  const first = make({storage, lrs});
  lrs.mode = "offline";
  first.box.add(st()); first.box.add(st());
  await first.timers.run(0);
  first.box.stop();
  lrs.mode = "ok";
  const second = make({storage, lrs});
  assert.equal(second.box.pending(), 2);
  await second.box.flush();
  assert.equal(lrs.stored.size, 2);
  assert.equal(second.box.pending(), 0);
});

test("duplicates are safe: an already stored id in a batch does not block the new ones", async () => {
  const {box, lrs, timers} = make();
  const a = st(), b = st();
  lrs.stored.set(a.id, JSON.stringify(Object.assign({}, a, {changed: 1})));  // same id, other content -> 409
  box.add(a); box.add(b);
  await timers.run(0);
  assert.equal(box.pending(), 0);
  assert.ok(lrs.stored.has(b.id), "b delivered after the batch was split");
  assert.equal(box.rejected().length, 0);
});

test("adding the same statement twice keeps one copy", () => {
  const {box} = make();
  const a = st();
  box.add(a); box.add(a);
  assert.equal(box.pending(), 1);
});

test("a 400 batch is split; only the invalid statement is set aside", async () => {
  const {box, lrs, timers, statuses} = make();
  const list = [st(), st(), st(), st(), st()];
  lrs.invalid.add(list[3].id);
  list.forEach((s) => box.add(s));
  await timers.run(0);
  assert.equal(box.pending(), 0);
  assert.deepEqual([...lrs.stored.keys()].sort(), [0, 1, 2, 4].map((i) => list[i].id).sort());
  assert.deepEqual(box.rejected().map((s) => s.id), [list[3].id]);
  const last = statuses[statuses.length - 1];
  assert.equal(last.level, "warn");
  assert.equal(last.rejected, 1);
});

test("keepalive flush sends one request with keepalive and removes what was acknowledged", async () => {
  const {box, lrs} = make();
  box.add(st()); box.add(st());
  await box.flushKeepalive();
  assert.deepEqual(lrs.calls.map((c) => c.keepalive), [true]);
  assert.equal(box.pending(), 0);
});

test("keepalive body stays under the 64 KiB browser limit; the rest waits for the next launch", async () => {
  const {box, lrs} = make();
  for (let i = 0; i < 10; i++) box.add(st({result: {response: "x".repeat(10000)}}));
  await box.flushKeepalive();
  assert.equal(lrs.calls.length, 1);
  const sent = lrs.calls[0].ids.length;
  assert.ok(sent >= 1 && sent < 10);
  assert.equal(box.pending(), 10 - sent);
});

test("without usable storage statements stay in memory and the learner is told", async () => {
  const storage = new Store();
  storage.full = true;
  const {box, lrs, timers, statuses} = make({storage});
  lrs.mode = "offline";
  box.add(st());
  assert.equal(box.pending(), 1);
  assert.equal(box.persistent(), false);
  await timers.run(0);
  assert.match(statuses[statuses.length - 1].message.en, /only while this page stays open/);
  lrs.mode = "ok";
  await box.retryNow();
  assert.equal(lrs.stored.size, 1);
});

test("a statement added while the LRS keeps failing updates the waiting count, still as a warning", async () => {
  const {box, lrs, timers, statuses} = make();
  lrs.mode = "offline";
  box.add(st());
  await timers.run(0);
  box.add(st());
  const last = statuses[statuses.length - 1];
  assert.deepEqual([last.level, last.pending, last.code], ["warn", 2, "waiting"]);
});

test("authFailed (e.g. from the State API) stops sending and reports the error", async () => {
  const {box, lrs, timers, statuses} = make();
  box.add(st());
  box.authFailed(403);
  await timers.run(60000);
  assert.equal(lrs.calls.length, 0);
  assert.equal(statuses[statuses.length - 1].level, "error");
  assert.match(statuses[statuses.length - 1].message.en, /\(403\)/);
});

test("keepalive resends in order what a normal request carries; the loop never duplicates", async () => {
  const storage = new Store(), lrs = new Lrs(), timers = new Timers();
  let release;
  const send = (b, o) => (o.keepalive ? lrs.send(b, o) : new Promise((r) => { release = () => r(lrs.send(b, o)); }));
  const box = Outbox.create({key: "k", storage, timers, random: () => 1, send});
  const a = st(), b = st();
  box.add(a);
  await timers.run(0);  // a is now in a normal request that has not answered (and may be cancelled)
  box.add(b);
  await timers.run(0);  // the loop is busy with a: b waits
  await box.flushKeepalive();
  // The keepalive request carries a then b (a cmi5 LMS refuses what arrives after `terminated`).
  assert.deepEqual(lrs.calls.map((c) => [c.keepalive, c.ids]), [[true, [a.id, b.id]]]);
  release();
  await settle();
  await timers.run(0);
  assert.equal(box.pending(), 0);
  // a twice (normal + keepalive, stored once by id), b once: the loop did not send b again.
  assert.deepEqual(lrs.calls.flatMap((c) => c.ids).sort(), [a.id, a.id, b.id].sort());
  assert.equal(lrs.stored.size, 2);
});

test("statements set aside as invalid are bounded (the newest 100 kept)", async () => {
  const {box, lrs, timers} = make({extra: {maxBatch: 1}});
  const list = Array.from({length: 105}, () => st());
  list.forEach((s) => { lrs.invalid.add(s.id); box.add(s); });
  await timers.run(0);
  await box.flush();  // the running loop: 105 one-statement requests
  assert.equal(box.pending(), 0);
  assert.deepEqual(box.rejected().map((s) => s.id), list.slice(5).map((s) => s.id));
});

// Unit tests of the shared statement builder (ece_scorm/runtime/xapi-statements.js), run with `node --test`.
// Every statement built here is also checked with Learning Locker's validator (@learninglocker/xapi-validation).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
require(path.join(ROOT, "ece_scorm", "player", "xapi-statements.js"));
const validate = require(path.join(ROOT, "node_modules", "@learninglocker", "xapi-validation")).default;
const X = globalThis.ECE.xapiStatements;

const COURSE = "https://learn.example.org/ece";
const DATA = {
  format: "xapi", course: {id: COURSE + "/", slug: "ece", title: {en: "ECE series", fr: "Série ECE"}},
  module: {id: "introduction", activityId: COURSE + "/introduction", kind: "module",
    title: {en: "Introduction", fr: "Introduction"}},
  languages: ["en", "fr"], defaultLanguage: "en", masteryScore: 80,
};
const ACTOR = {name: "Jo Doe", account: {homePage: "https://lms.example.org", name: "jdoe"}};
const REG = "9f2a1c3e-5b7d-4e8f-a0b1-c2d3e4f5a6b7";

function builder(extra) {
  return X.createBuilder(Object.assign({data: DATA, actor: ACTOR, registration: REG,
    activityId: COURSE + "/introduction", now: () => new Date(Date.UTC(2026, 10, 23, 17, 0, 0))}, extra || {}));
}

function valid(s) {
  assert.deepEqual(validate(s), [], JSON.stringify(s));
  return s;
}

test("uuid is a random version 4 UUID", () => {
  const seen = new Set();
  for (let i = 0; i < 200; i++) {
    const u = X.uuid();
    assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(u);
  }
  assert.equal(seen.size, 200);
});

test("iso durations", () => {
  assert.equal(X.isoDuration(0), "PT0S");
  assert.equal(X.isoDuration(1500), "PT1.5S");
  assert.equal(X.isoDuration(90000), "PT1M30S");
  assert.equal(X.isoDuration(3723456), "PT1H2M3.46S");
  assert.equal(X.isoDuration(3600000), "PT1H");
});

test("page -> experienced with parent module, course grouping, language", () => {
  const [s] = builder().forEvent({type: "page", pageId: "welcome", index: 0, total: 3,
    title: {en: "Welcome", fr: "Bienvenue"}});
  valid(s);
  assert.equal(s.verb.id, "http://adlnet.gov/expapi/verbs/experienced");
  assert.deepEqual(s.verb.display, {en: "experienced", fr: "a vécu"});
  assert.equal(s.object.id, COURSE + "/introduction/page/welcome");
  assert.deepEqual(s.object.definition.name, {en: "Welcome", fr: "Bienvenue"});
  assert.deepEqual(s.actor, ACTOR);
  assert.equal(s.context.registration, REG);
  assert.equal(s.context.language, "en");
  assert.deepEqual(s.context.contextActivities.parent, [{objectType: "Activity", id: COURSE + "/introduction"}]);
  assert.equal(s.context.contextActivities.grouping[0].id, COURSE);
  assert.equal(s.context.contextActivities.grouping[0].definition.type, "http://adlnet.gov/expapi/activities/course");
  assert.equal(s.timestamp, "2026-11-23T17:00:00.000Z");
});

test("multiple-choice answer: choices, ordered pattern and response, success, attempt", () => {
  const choices = [{id: "a", text: {en: "A", fr: "A fr"}}, {id: "b", text: {en: "B", fr: "B fr"}},
    {id: "c", text: {en: "C", fr: "C fr"}}];
  const [s] = builder().forEvent({type: "answer", kind: "choice", quizId: "q", questionId: "who",
    interactionId: "q.q.who", activityId: COURSE + "/quiz/q/who", prompt: {en: "Who?", fr: "Qui ?"},
    choices, response: ["c", "a"], correct: ["c", "a"], success: true, attempt: 2, latencyMs: 4200});
  valid(s);
  const d = s.object.definition;
  assert.equal(d.type, "http://adlnet.gov/expapi/activities/cmi.interaction");
  assert.equal(d.interactionType, "choice");
  assert.deepEqual(d.name, {en: "Who?", fr: "Qui ?"});
  assert.deepEqual(d.choices, [{id: "a", description: {en: "A", fr: "A fr"}},
    {id: "b", description: {en: "B", fr: "B fr"}}, {id: "c", description: {en: "C", fr: "C fr"}}]);
  assert.deepEqual(d.correctResponsesPattern, ["a[,]c"]);
  assert.equal(s.result.response, "a[,]c");
  assert.equal(s.result.success, true);
  assert.equal(s.result.duration, "PT4.2S");
  assert.deepEqual(s.result.extensions, {[COURSE + "/xapi/extensions/attempt"]: 2});
});

test("scenario choice (never scored): answered with the choice; no pattern or success unless one is best", () => {
  const choices = [{id: "volunteer", text: {en: "Volunteer", fr: "Bénévolat"}},
    {id: "rescope", text: {en: "Rescope", fr: "Recadrer"}}];
  const ev = {type: "answer", kind: "choice", scored: false, interactionId: "s.budget",
    activityId: COURSE + "/scenario/budget", prompt: {en: "What now?", fr: "Et maintenant?"}, choices,
    response: ["volunteer"], correct: [], success: null, attempt: 1, latencyMs: 1000};
  const [open] = builder().forEvent(ev);
  valid(open);
  assert.equal(open.verb.id, "http://adlnet.gov/expapi/verbs/answered");
  assert.equal(open.object.id, COURSE + "/scenario/budget");
  assert.equal(open.object.definition.interactionType, "choice");
  assert.equal(open.object.definition.correctResponsesPattern, undefined);
  assert.equal(open.result.response, "volunteer");
  assert.equal("success" in open.result, false);
  const [keyed] = builder().forEvent(Object.assign({}, ev, {correct: ["rescope"], success: false}));
  valid(keyed);
  assert.deepEqual(keyed.object.definition.correctResponsesPattern, ["rescope"]);
  assert.equal(keyed.result.success, false);
});

test("true-false answer has no choices", () => {
  const [s] = builder().forEvent({type: "answer", kind: "true-false", activityId: COURSE + "/quiz/q/tf",
    prompt: {en: "T?", fr: "V ?"}, choices: [{id: "true", text: {en: "True", fr: "Vrai"}},
      {id: "false", text: {en: "False", fr: "Faux"}}], response: ["false"], correct: ["true"], success: false,
    attempt: 1});
  valid(s);
  assert.equal(s.object.definition.interactionType, "true-false");
  assert.equal(s.object.definition.choices, undefined);
  assert.deepEqual(s.object.definition.correctResponsesPattern, ["true"]);
  assert.equal(s.result.response, "false");
  assert.equal(s.result.success, false);
});

test("likert answer carries the scale and no success; team code extension after it is entered", () => {
  const b = builder();
  assert.deepEqual(b.forEvent({type: "team-code", code: "TEAM-42"}), []);
  const scale = ["yes", "somewhat", "no", "unknown"].map((id) => ({id, label: {en: id, fr: id + "-fr"}}));
  const [s] = b.forEvent({type: "answer", kind: "likert", pillarId: "leadership", itemId: "l01",
    interactionId: "sa.leadership.l01", activityId: COURSE + "/self-assessment/leadership/l01",
    prompt: {en: "We lead.", fr: "Nous menons."}, scale, response: "somewhat"});
  valid(s);
  assert.equal(s.object.definition.interactionType, "likert");
  assert.deepEqual(s.object.definition.scale[1], {id: "somewhat", description: {en: "somewhat", fr: "somewhat-fr"}});
  assert.equal(s.result.response, "somewhat");
  assert.equal(s.result.success, undefined);
  assert.equal(s.context.extensions[COURSE + "/xapi/extensions/team-code"], "TEAM-42");
});

test("text answer is long-fill-in with the full text", () => {
  const long = "é".repeat(5000);
  const [s] = builder().forEvent({type: "answer", kind: "text", promptId: "r1", interactionId: "r.r1",
    activityId: COURSE + "/reflection/r1", prompt: {en: "Why?", fr: "Pourquoi ?"}, response: long});
  valid(s);
  assert.equal(s.object.definition.interactionType, "long-fill-in");
  assert.equal(s.result.response, long);
  assert.equal(s.context.extensions, undefined);
});

test("xapi completion: passed then completed on the launch activity with score and duration", () => {
  const out = builder().completion({completed: true, passed: true, scoreRaw: 85, durationMs: 61000});
  out.forEach(valid);
  assert.deepEqual(out.map((s) => s.verb.id.split("/").pop()), ["passed", "completed"]);
  assert.equal(out[0].object.id, COURSE + "/introduction");
  assert.equal(out[0].object.definition.type, "http://adlnet.gov/expapi/activities/module");
  assert.deepEqual(out[0].result, {score: {scaled: 0.85, raw: 85, min: 0, max: 100}, success: true,
    duration: "PT1M1S", completion: true});
  // MUST 28: mod_tincanlaunch takes the grade from result.score.scaled of `completed` only.
  assert.deepEqual(out[1].result, {score: {scaled: 0.85, raw: 85, min: 0, max: 100}, completion: true,
    duration: "PT1M1S"});
  assert.equal(out[0].context.contextActivities.parent, undefined);
});

test("xapi: a failed module still reports completed with the score it got (MUST 28)", () => {
  const out = builder().completion({completed: true, passed: false, scoreRaw: 40, durationMs: 1000});
  out.forEach(valid);
  assert.deepEqual(out.map((s) => s.verb.id.split("/").pop()), ["failed", "completed"]);
  assert.deepEqual(out[1].result.score, {scaled: 0.4, raw: 40, min: 0, max: 100});
});

test("xapi: completed without a quiz carries no score", () => {
  const out = builder().completion({completed: true, passed: null, scoreRaw: null, durationMs: 1000});
  assert.deepEqual(out.map((s) => s.verb.id.split("/").pop()), ["completed"]);
  assert.deepEqual(out[0].result, {completion: true, duration: "PT1S"});
});

test("failed carries success false; self-assessment uses the assessment type", () => {
  const data = Object.assign({}, DATA, {module: Object.assign({}, DATA.module, {kind: "self_assessment"})});
  const out = builder({data}).completion({completed: false, passed: false, scoreRaw: 40, durationMs: 1000});
  out.forEach(valid);
  assert.equal(out.length, 1);
  assert.equal(out[0].verb.id, "http://adlnet.gov/expapi/verbs/failed");
  assert.equal(out[0].result.success, false);
  assert.equal(out[0].object.definition.type, "http://adlnet.gov/expapi/activities/assessment");
});

test("cmi5: template merged, categories, masteryscore echoed, pass judged on the launched mastery", () => {
  const template = {contextActivities: {grouping: [{id: "https://lms.example.org/au/7"}]},
    extensions: {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1"}};
  const b = builder({cmi5: true, contextTemplate: template, masteryScore: 0.9, activityId: "https://lms/au/7"});
  const init = valid(b.lifecycle("initialized"));
  assert.deepEqual(init.context.contextActivities.category,
    [{id: "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]);
  assert.equal(init.context.extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"], "s-1");
  assert.deepEqual(init.context.contextActivities.grouping.map((g) => g.id), ["https://lms.example.org/au/7", COURSE]);
  assert.equal(init.object.id, "https://lms/au/7");
  // core says passed at 85 %, the LMS launched 0.9: the AU must report failed.
  const out = b.completion({completed: true, passed: true, scoreRaw: 85, durationMs: 2000});
  out.forEach(valid);
  assert.deepEqual(out.map((s) => s.verb.id.split("/").pop()), ["failed", "completed"]);
  assert.equal(out[0].result.success, false);
  assert.equal(out[0].result.completion, undefined);
  assert.equal(out[0].context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"], 0.9);
  assert.deepEqual(out[0].context.contextActivities.category.map((c) => c.id), [
    "https://w3id.org/xapi/cmi5/context/categories/cmi5", "https://w3id.org/xapi/cmi5/context/categories/moveon"]);
  assert.equal(out[1].context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"], undefined);
  assert.deepEqual(out[1].result, {completion: true, duration: "PT2S"});
  // cmi5-allowed statements keep the template but never the cmi5 category
  const [page] = b.forEvent({type: "page", pageId: "p", title: {en: "P", fr: "P"}});
  valid(page);
  assert.equal(page.object.id, COURSE + "/introduction/page/p");  // the course's IRI, not the LMS AU id
  assert.deepEqual(page.context.contextActivities.parent, [{objectType: "Activity", id: "https://lms/au/7"}]);
  assert.equal(page.context.contextActivities.category, undefined);
  assert.equal(page.context.extensions["https://w3id.org/xapi/cmi5/context/extensions/sessionid"], "s-1");
  // the template object itself is not mutated between statements
  assert.equal(template.contextActivities.grouping.length, 1);
  const term = valid(b.lifecycle("terminated", 5000));
  assert.equal(term.result.duration, "PT5S");
});

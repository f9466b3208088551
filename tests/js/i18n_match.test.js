// Unit tests of the player's one language matcher, ECE.i18n.match (ece_scorm/player/i18n.js), run with
// `node --test`. Every adapter (SCORM learner preference, xAPI / cmi5 languagePreference) and the core's
// browser-language fallback go through it.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

require(path.resolve(__dirname, "..", "..", "ece_scorm", "player", "i18n.js"));
const match = globalThis.ECE.i18n.match;

test("a course declaring fr-CA matches fr-ca, fr and fr-FR preferences, spelled as the course declares it", () => {
  for (const pref of ["fr-CA", "fr-ca", "FR_ca", "fr", "fr-FR", "fra", "French", "français"]) {
    assert.equal(match(pref, ["en", "fr-CA"]), "fr-CA", pref);
  }
});

test("the closest course language wins: the same tag, then a prefix either way, then another region", () => {
  assert.equal(match("fr-CA", ["fr-FR", "fr", "fr-CA"]), "fr-CA");
  assert.equal(match("fr", ["fr-FR", "fr"]), "fr");
  assert.equal(match("fr", ["fr-FR", "fr-CA"]), "fr-FR"); // equally close: the course's order decides
  assert.equal(match("fr-FR", ["fr-CA", "fr"]), "fr");
  assert.equal(match("fr-FR", ["en", "fr-CA"]), "fr-CA");
  assert.equal(match("fr-CA", ["en", "fr"]), "fr"); // what courses declaring plain "fr" always got
});

test("preferences count in their order, with q-values and spaces ignored", () => {
  assert.equal(match("fr-CA,en-US", ["en", "fr"]), "fr");
  assert.equal(match("de-DE, en-US;q=0.8, fr;q=0.5", ["fr-CA", "en"]), "en");
  assert.equal(match("fr-FR,en", ["en", "fr-CA"]), "fr-CA"); // French first, even from another region
  assert.equal(match(" eng ", ["en", "fr"]), "en");
});

test("nothing matches: null", () => {
  for (const pref of ["", null, undefined, "de", "de-CH,es", "*", "f", "en-", ";q=1"]) {
    assert.equal(match(pref, ["en", "fr-CA"]), null, String(pref));
  }
  assert.equal(match("en", []), null);
  assert.equal(match("en", undefined), null);
});

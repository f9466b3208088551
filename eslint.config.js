// ESLint 9 flat config for the player runtime (ece_scorm/player): ES5 scripts, as the shipped code is
// written (no bundler, no transpiler), so a browser that runs ES5 runs the player. `npx eslint` from scripts/test.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    files: ["ece_scorm/player/**/*.js"],
    languageOptions: {
      ecmaVersion: 5,
      sourceType: "script",
      // ES5 syntax; the built-ins the player feature-tests or needs (Promise, fetch, Uint8Array) are globals.
      globals: { ...globals.es2015, ...globals.browser, globalThis: "readonly" },
    },
    rules: {
      ...js.configs.recommended.rules,
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }], // ES5 catch needs its (e)
      eqeqeq: ["error", "smart"],
      "no-implicit-globals": "error",
      "no-var": "off",
    },
  },
];

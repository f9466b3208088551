// Validate xAPI statements with Learning Locker's validator (@learninglocker/xapi-validation).
// Reads a JSON array of statements on stdin; prints a JSON array of {index, id, warnings} for invalid ones.
"use strict";
const path = require("path");
const validate = require(path.join(__dirname, "..", "..", "node_modules", "@learninglocker", "xapi-validation"))
  .default;

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const statements = JSON.parse(input);
  const problems = [];
  statements.forEach((s, index) => {
    const warnings = validate(s);
    if (warnings.length) {
      problems.push({index, id: s.id, warnings: warnings.map((w) => `${(w.path || []).join(".")}: ${w.typeName || w.name} ${w.message}`),
      });
    }
  });
  process.stdout.write(JSON.stringify(problems));
});

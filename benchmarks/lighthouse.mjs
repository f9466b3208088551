// Run Lighthouse (npm lighthouse 12.2.3) on several URLs with one Chromium; print one JSON array on stdout.
// Usage: node benchmarks/lighthouse.mjs desktop|mobile accessibility,best-practices URL...
// CHROME_PATH names the browser (default /usr/bin/chromium). Used by tests/player/test_lighthouse.py and
// benchmarks/lighthouse_bench.py, so both measure the same way.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const [preset, categories, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update"],
});
const results = [];
try {
  for (const url of urls) {
    const flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories.split(",") };
    const { lhr } = await lighthouse(url, flags, preset === "desktop" ? desktopConfig : undefined);
    const audit = (id) => lhr.audits[id] || {};
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && ["binary", "numeric", "metricSavings"].includes(a.scoreDisplayMode))
      .map((a) => ({ id: a.id, title: a.title, score: a.score, items: ((a.details || {}).items || []).slice(0, 5) }));
    const requests = ((audit("network-requests").details || {}).items || []).map((r) => ({
      url: r.url, type: r.resourceType, bytes: r.transferSize || 0, start: r.networkRequestTime,
    }));
    results.push({
      url,
      runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
      scores: Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, c.score])),
      failing,
      metrics: {
        lcp: audit("largest-contentful-paint").numericValue,
        tti: audit("interactive").numericValue,
        tbt: audit("total-blocking-time").numericValue,
        cls: audit("cumulative-layout-shift").numericValue,
        fcp: audit("first-contentful-paint").numericValue,
        bytes: audit("total-byte-weight").numericValue,
        dom: audit("dom-size").numericValue,
      },
      requests,
    });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results));

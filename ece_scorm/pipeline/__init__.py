"""One pipeline for build and preview: plan, state budget, render, formats, package, fingerprint."""

"""Reproducible measurements of ece-scorm: `scripts/bench` runs them and writes benchmarks/RESULTS.md."""

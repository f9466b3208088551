"""LRS administrator side: xAPI client, statement flattening and report aggregation."""

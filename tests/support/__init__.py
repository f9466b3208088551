"""Shared test helpers and fixtures (one module per concern)."""

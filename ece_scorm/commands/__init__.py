"""Plain functions behind each CLI command."""

"""Analyst-editable rules (YAML) and the loader that validates them (DESIGN §4.4)."""

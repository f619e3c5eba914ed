"""Analyst-editable rules (YAML) and the loader that validates them (DESIGN §4.4), and the
listing record they are written against (`rules.record`, the bottom of the import graph).

Loads nothing on import: `rules.record` must stay importable without the loader or the
detectors."""

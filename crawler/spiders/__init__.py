"""Spiders: they navigate, the extractors read (DESIGN §6)."""

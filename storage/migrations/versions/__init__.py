"""Alembic revisions (loaded by Alembic, not imported)."""

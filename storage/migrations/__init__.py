"""Alembic migrations of the listingwatch schema."""

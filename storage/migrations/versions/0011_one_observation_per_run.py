"""one listing observation per (listing, scan run): merge the duplicates, then a partial
unique index that the crawl's upsert (storage.bulk.OBSERVATIONS) merges into

A scan run could observe one listing twice (its search crawl and a watched shop's crawl both
return it), and each copy was a row: two points of price history for one night.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = 'uq_listing_observations_listing_id_scan_run_id'
# Spelled out here: a migration must not change when the models do.
WITH_RUN = 'scan_run_id IS NOT NULL'
#: Observed values, merged as the upsert merges them: the latest copy's non-null value wins.
VALUES = ('price', 'list_price', 'sold', 'rating', 'title')

_SAME_GROUP = (
    'd.listing_id = listing_observations.listing_id '
    'AND d.scan_run_id = listing_observations.scan_run_id'
)


def upgrade() -> None:
    _merge_duplicates()
    op.create_index(INDEX, 'listing_observations', ['listing_id', 'scan_run_id'], unique=True,
                    sqlite_where=sa.text(WITH_RUN), postgresql_where=sa.text(WITH_RUN))


def downgrade() -> None:
    # The merged rows stay merged: the history they held is in the one row kept.
    op.drop_index(INDEX, table_name='listing_observations')


def _merge_duplicates() -> None:
    """Keep the first row (lowest id) of each (listing, run) with more than one, holding the
    merged values (the latest non-null of each, by observed_at then id; observed_at the
    latest), and delete the others. Plain SQL that SQLite and PostgreSQL both run; it touches
    only the duplicated groups."""
    latest = ', '.join(
        f'{column} = (SELECT d.{column} FROM listing_observations d WHERE {_SAME_GROUP} '
        f'AND d.{column} IS NOT NULL ORDER BY d.observed_at DESC, d.id DESC LIMIT 1)'
        for column in VALUES
    )
    op.execute(
        f'UPDATE listing_observations SET {latest}, '
        f'observed_at = (SELECT max(d.observed_at) FROM listing_observations d WHERE {_SAME_GROUP}) '
        f'WHERE id IN (SELECT min(id) FROM listing_observations WHERE {WITH_RUN} '
        f'GROUP BY listing_id, scan_run_id HAVING count(*) > 1)'
    )
    op.execute(
        f'DELETE FROM listing_observations WHERE {WITH_RUN} AND EXISTS ('
        f'SELECT 1 FROM listing_observations d WHERE {_SAME_GROUP} '
        f'AND d.id < listing_observations.id)'
    )

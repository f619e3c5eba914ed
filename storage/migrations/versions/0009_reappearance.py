"""case events of kind 'reappeared': a removed listing, or the same product at a linked shop, is
back online (issue 16 part 3)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out here: a migration must not change when the models do.
OLD_KINDS = "kind IN ('opened', 'rescored', 'assigned', 'status', 'note', 'takedown')"
NEW_KINDS = "kind IN ('opened', 'rescored', 'assigned', 'status', 'note', 'takedown', 'reappeared')"


def upgrade() -> None:
    _case_event_kinds(NEW_KINDS)


def downgrade() -> None:
    # The old constraint would refuse these rows; the case's takedown events still tell the story.
    op.execute("DELETE FROM case_events WHERE kind = 'reappeared'")
    _case_event_kinds(OLD_KINDS)


def _case_event_kinds(condition: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode rebuilds the table (PostgreSQL alters it).
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_events_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_case_events_kind'), condition)

"""takedown requests and their listings; case events of kind 'takedown' (issue 16)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 17:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_T = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
# Spelled out here: a migration must not change when the models do.
OLD_KINDS = "kind IN ('opened', 'rescored', 'assigned', 'status', 'note')"
NEW_KINDS = "kind IN ('opened', 'rescored', 'assigned', 'status', 'note', 'takedown')"


def upgrade() -> None:
    op.create_table('takedown_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('authority', JSON_T, nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_by', sa.String(length=100), nullable=True),
    sa.Column('sent_via', sa.Text(), nullable=True),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('drafted', 'sent', 'verified_removed', 'still_online', 'escalated')",
                       name=op.f('ck_takedown_requests_status')),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_takedown_requests_case_id_review_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takedown_requests'))
    )
    op.create_index(op.f('ix_takedown_requests_case_id'), 'takedown_requests', ['case_id'], unique=False)
    op.create_index('ix_takedown_requests_status_deadline', 'takedown_requests', ['status', 'deadline'], unique=False)
    op.create_table('takedown_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('listing_key', sa.String(length=200), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'removed', 'still_online', 'unreachable')",
                       name=op.f('ck_takedown_listings_status')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_takedown_listings_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_takedown_listings_listing_id_listings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['takedown_requests.id'], name=op.f('fk_takedown_listings_request_id_takedown_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_takedown_listings')),
    sa.UniqueConstraint('request_id', 'listing_id', name=op.f('uq_takedown_listings_request_id_listing_id'))
    )
    op.create_index(op.f('ix_takedown_listings_listing_id'), 'takedown_listings', ['listing_id'], unique=False)
    _case_event_kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM case_events WHERE kind = 'takedown'")
    _case_event_kinds(OLD_KINDS)
    op.drop_index(op.f('ix_takedown_listings_listing_id'), table_name='takedown_listings')
    op.drop_table('takedown_listings')
    op.drop_index('ix_takedown_requests_status_deadline', table_name='takedown_requests')
    op.drop_index(op.f('ix_takedown_requests_case_id'), table_name='takedown_requests')
    op.drop_table('takedown_requests')


def _case_event_kinds(condition: str) -> None:
    # SQLite cannot alter a CHECK constraint: batch mode rebuilds the table (PostgreSQL alters it).
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_case_events_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_case_events_kind'), condition)

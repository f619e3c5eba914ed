"""evidence: capture metadata and the chain-of-custody log (issue #7)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:20:00+00:00

Adds to `evidence` the local capture time (Asia/Ho_Chi_Minh), the SHA-256 of the HTTP
body (deduplication key for WARC revisit records), the WARC record type and the HTTP
status; creates `evidence_access`, the append-only chain-of-custody log.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_T = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('captured_at_local', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('payload_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('record_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('http_status', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_evidence_payload_sha256'), ['payload_sha256'], unique=False)

    op.create_table('evidence_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('detail', JSON_T, nullable=False),
    sa.CheckConstraint("action IN ('capture', 'export', 'view', 'verify', 'purge')", name=op.f('ck_evidence_access_action')),
    sa.ForeignKeyConstraint(['case_id'], ['review_cases.id'], name=op.f('fk_evidence_access_case_id_review_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_access_evidence_id_evidence'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_access'))
    )
    op.create_index('ix_evidence_access_case_id_at', 'evidence_access', ['case_id', 'at'], unique=False)
    op.create_index(op.f('ix_evidence_access_evidence_id'), 'evidence_access', ['evidence_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_evidence_access_evidence_id'), table_name='evidence_access')
    op.drop_index('ix_evidence_access_case_id_at', table_name='evidence_access')
    op.drop_table('evidence_access')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_payload_sha256'))
        batch_op.drop_column('http_status')
        batch_op.drop_column('record_type')
        batch_op.drop_column('payload_sha256')
        batch_op.drop_column('captured_at_local')

"""learned scoring models (issue 13): the model registry, and which model set each score

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_T = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('scoring_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('card', JSON_T, nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_models')),
    sa.UniqueConstraint('version', name=op.f('uq_scoring_models_version'))
    )
    op.create_index(op.f('ix_scoring_models_sha256'), 'scoring_models', ['sha256'], unique=False)
    with op.batch_alter_table('listings') as batch:
        batch.add_column(sa.Column('model_version', sa.String(length=64), nullable=True))
    with op.batch_alter_table('listing_scores') as batch:
        batch.add_column(sa.Column('model_version', sa.String(length=64), nullable=True))
    with op.batch_alter_table('listing_signals') as batch:
        batch.add_column(sa.Column('contribution', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('listing_signals') as batch:
        batch.drop_column('contribution')
    with op.batch_alter_table('listing_scores') as batch:
        batch.drop_column('model_version')
    with op.batch_alter_table('listings') as batch:
        batch.drop_column('model_version')
    op.drop_index(op.f('ix_scoring_models_sha256'), table_name='scoring_models')
    op.drop_table('scoring_models')

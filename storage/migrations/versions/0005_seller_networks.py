"""seller networks: sellers linked by shared identifiers, with explained links (issue 16)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 16:39:51+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('seller_networks',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_networks'))
    )
    op.create_table('seller_network_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('seller_a_id', sa.Integer(), nullable=False),
    sa.Column('seller_b_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('strong', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.CheckConstraint("reason IN ('business_id', 'phone', 'email', 'address', 'bank_account', 'zalo', 'shop_name', 'listing_text')", name=op.f('ck_seller_network_links_reason')),
    sa.ForeignKeyConstraint(['network_id'], ['seller_networks.id'], name=op.f('fk_seller_network_links_network_id_seller_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_a_id'], ['sellers.id'], name=op.f('fk_seller_network_links_seller_a_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_b_id'], ['sellers.id'], name=op.f('fk_seller_network_links_seller_b_id_sellers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_network_links'))
    )
    with op.batch_alter_table('seller_network_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_network_links_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_network_links_seller_a_id'), ['seller_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_network_links_seller_b_id'), ['seller_b_id'], unique=False)

    op.create_table('seller_network_members',
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['seller_networks.id'], name=op.f('fk_seller_network_members_network_id_seller_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_seller_network_members_seller_id_sellers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seller_id', name=op.f('pk_seller_network_members'))
    )
    with op.batch_alter_table('seller_network_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_network_members_network_id'), ['network_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('seller_network_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_network_members_network_id'))

    op.drop_table('seller_network_members')
    with op.batch_alter_table('seller_network_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_network_links_seller_b_id'))
        batch_op.drop_index(batch_op.f('ix_seller_network_links_seller_a_id'))
        batch_op.drop_index(batch_op.f('ix_seller_network_links_network_id'))

    op.drop_table('seller_network_links')
    op.drop_table('seller_networks')

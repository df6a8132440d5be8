"""replicas (schema changes of issue 10; filled in by the work on replicas)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 15:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('replica_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('replica', sa.String(length=500), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('copied_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replica_copy')),
    sa.UniqueConstraint('replica', 'sha256', name='uq_replica_copy_replica_sha256')
    )
    with op.batch_alter_table('replica_copy', schema=None) as batch_op:
        batch_op.create_index('ix_replica_copy_claim', ['claim'], unique=False)
        batch_op.create_index('ix_replica_copy_due', ['state', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('replica_copy', schema=None) as batch_op:
        batch_op.drop_index('ix_replica_copy_due')
        batch_op.drop_index('ix_replica_copy_claim')

    op.drop_table('replica_copy')

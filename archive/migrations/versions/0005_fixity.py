"""fixity (schema changes of issue 10; filled in by the work on fixity)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 15:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('fixity_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('repair', sa.Boolean(), nullable=False),
    sa.Column('originals', sa.Integer(), nullable=False),
    sa.Column('bytes_read', sa.BigInteger(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('untracked', sa.Integer(), nullable=False),
    sa.Column('unreadable', sa.Integer(), nullable=False),
    sa.Column('not_replicated', sa.Integer(), nullable=False),
    sa.Column('repaired', sa.Integer(), nullable=False),
    sa.Column('unrepaired', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fixity_run'))
    )
    op.create_table('fixity_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['fixity_run.id'], name=op.f('fk_fixity_finding_run_id_fixity_run'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fixity_finding'))
    )
    with op.batch_alter_table('fixity_finding', schema=None) as batch_op:
        batch_op.create_index('ix_fixity_finding_open', ['resolved_at', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_fixity_finding_run_id'), ['run_id'], unique=False)
        batch_op.create_index('ix_fixity_finding_sha256', ['sha256'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('fixity_finding', schema=None) as batch_op:
        batch_op.drop_index('ix_fixity_finding_sha256')
        batch_op.drop_index(batch_op.f('ix_fixity_finding_run_id'))
        batch_op.drop_index('ix_fixity_finding_open')

    op.drop_table('fixity_finding')
    op.drop_table('fixity_run')

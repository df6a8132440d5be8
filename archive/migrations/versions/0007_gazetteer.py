"""gazetteer (schema changes of issue 11: place names in zh-Hans / zh-Hant / en)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:10:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'place_name',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('zh_hant', sa.String(length=200), nullable=False),
        sa.Column('en', sa.String(length=200), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_place_name')),
        sa.UniqueConstraint('kind', 'name', name=op.f('uq_place_name_kind')),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('place_name')

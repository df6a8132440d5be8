"""covering indexes for the village and condition filter counts (issue 13)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:40:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: the gallery's village and condition counts read an index, not the table."""
    with op.batch_alter_table('house', schema=None) as batch_op:
        batch_op.create_index('ix_house_visible_village', ['published', 'deleted_at', 'village', 'code'], unique=False)
        batch_op.create_index('ix_house_visible_condition', ['published', 'deleted_at', 'condition'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('house', schema=None) as batch_op:
        batch_op.drop_index('ix_house_visible_condition')
        batch_op.drop_index('ix_house_visible_village')

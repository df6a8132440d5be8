"""facet and import indexes (issue 13: reserved for the import-speed work)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:40:00

"""
from typing import Sequence, Union


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema (reserved: nothing yet)."""


def downgrade() -> None:
    """Downgrade schema (reserved: nothing yet)."""

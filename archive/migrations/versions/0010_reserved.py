"""API read indexes (issue 12: reserved for the JSON API keyset pages)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:40:00

"""
from typing import Sequence, Union


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema (reserved: nothing yet)."""


def downgrade() -> None:
    """Downgrade schema (reserved: nothing yet)."""

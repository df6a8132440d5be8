"""open data (schema changes of issue 12: OAI-PMH deletion tracking and the like; filled in by that work)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:10:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""


def downgrade() -> None:
    """Downgrade schema."""

"""gazetteer (schema changes of issue 11: place names in zh-Hans / zh-Hant / en; filled in by that work)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:10:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""


def downgrade() -> None:
    """Downgrade schema."""

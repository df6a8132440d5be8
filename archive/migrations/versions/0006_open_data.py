"""open data (issue 12): the OAI-PMH item table, with deletions kept (deletedRecord=persistent)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:10:00

Existing public houses get a row stamped with their last update and an empty digest; the first
change that touches one of them then moves its datestamp (an empty digest never counts as equal).
"""
from datetime import UTC, datetime
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('oai_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('house_id', sa.Integer(), nullable=True),
    sa.Column('set_spec', sa.String(length=120), nullable=True),
    sa.Column('set_name', sa.String(length=100), nullable=True),
    sa.Column('datestamp', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oai_item')),
    sa.UniqueConstraint('code', name=op.f('uq_oai_item_code'))
    )
    with op.batch_alter_table('oai_item', schema=None) as batch_op:
        batch_op.create_index('ix_oai_item_datestamp', ['datestamp', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oai_item_house_id'), ['house_id'], unique=False)
        batch_op.create_index('ix_oai_item_set', ['set_spec', 'datestamp', 'id'], unique=False)
    _backfill()


def _backfill() -> None:
    """A row for every house that is public now, so a first harvest after the upgrade sees them."""
    from archive.services.oai_sets import county_set  # pure function of the county name

    bind = op.get_bind()
    house = sa.table('house', sa.column('id', sa.Integer), sa.column('code', sa.String),
                     sa.column('county', sa.String), sa.column('updated_at', sa.DateTime(timezone=True)),
                     sa.column('published', sa.Boolean), sa.column('deleted_at', sa.DateTime(timezone=True)))
    item = sa.table('oai_item', sa.column('code', sa.String), sa.column('house_id', sa.Integer),
                    sa.column('set_spec', sa.String), sa.column('set_name', sa.String),
                    sa.column('datestamp', sa.DateTime(timezone=True)), sa.column('deleted', sa.Boolean),
                    sa.column('digest', sa.String))
    rows = bind.execute(sa.select(house.c.id, house.c.code, house.c.county, house.c.updated_at).where(
        house.c.published.is_(True), house.c.deleted_at.is_(None)))
    batch: list[dict[str, Any]] = []
    for house_id, code, county, updated in rows:
        stamp = (updated or datetime.now(UTC)).replace(microsecond=0)
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        spec, name = county_set(county)
        batch.append({'code': code, 'house_id': house_id, 'set_spec': spec, 'set_name': name,
                      'datestamp': stamp, 'deleted': False, 'digest': ''})
    if batch:
        op.bulk_insert(item, batch)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('oai_item', schema=None) as batch_op:
        batch_op.drop_index('ix_oai_item_set')
        batch_op.drop_index(batch_op.f('ix_oai_item_house_id'))
        batch_op.drop_index('ix_oai_item_datestamp')
    op.drop_table('oai_item')

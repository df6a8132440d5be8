"""The search queue: changes enqueue their house in the same transaction; the indexer drains it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.models import SearchQueue


def enqueue_house(db: Session, house_id: int | None) -> None:
    """Mark a house's search documents stale. Committed (or rolled back) with the change itself."""
    if house_id is not None:
        db.add(SearchQueue(house_id=house_id))
        db.info["search_dirty"] = True

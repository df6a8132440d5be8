"""The search queue: changes enqueue their house in the same transaction; the indexer drains it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import House, SearchQueue
from archive.services import gazetteer, oai_state  # noqa: F401  (commit hooks: OAI datestamps, new places)
from archive.services.bulk import insert_rows


def enqueue_house(db: Session, house: House | None) -> None:
    """Mark a house's search documents stale. Committed (or rolled back) with the change itself."""
    if house is None or house.id is None:
        return
    # Once per house and code per transaction: an import touching a house 30 times queues it once.
    queued: set[tuple[int, str]] = db.info.setdefault("queued_houses", set())
    if (house.id, house.code) in queued:
        return
    queued.add((house.id, house.code))
    db.add(SearchQueue(house_id=house.id, house_code=house.code))
    db.info["search_dirty"] = True


def enqueue_houses(db: Session, houses: Iterable[tuple[int, str]]) -> None:
    """:func:`enqueue_house` for many (id, code) pairs at once, in one INSERT (bulk imports)."""
    queued: set[tuple[int, str]] = db.info.setdefault("queued_houses", set())
    new = [pair for pair in dict.fromkeys(houses) if pair not in queued]
    if not new:
        return
    queued.update(new)
    insert_rows(db, SearchQueue, [{"house_id": house_id, "house_code": code} for house_id, code in new])
    db.info["search_dirty"] = True


def newest_queue_id(db: Session) -> int:
    """The newest search-queue id (0: none yet). Every committed change to a house, its records,
    photos or people queues the house, on any app server, so this also marks the catalogue's
    version: cached counts computed under an older one are stale. The newest row is never pruned
    (searching.prune_queue), so it never goes back."""
    return int(db.scalar(select(func.max(SearchQueue.id))) or 0)

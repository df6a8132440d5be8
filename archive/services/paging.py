"""One page of a list: the rows, how many there are in all, and which page this is.

Every list (gallery, search, staff lists, the API) pages the same way, so page numbers past the
end and the "page N of M" line mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """At least 1: an empty list still has its (empty) first page."""
        return max(1, -(-self.total // self.per_page))


def page_of(db: Session, stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Rows `per_page` at a time from an ordered select of one entity; `page` counts from 1."""
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = max(1, page)
    items = list(db.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, per_page)


@dataclass
class KeysetPage(Generic[T]):
    """Rows after a cursor: `next_after` is the cursor of the page that follows (None on the last).

    A keyset page reads `per_page + 1` rows from an index in order, starting after the last key
    seen, so the thousandth page costs what the first does; OFFSET reads and drops every row before.
    """

    items: list[T]
    per_page: int
    next_after: str | None


def keyset_page(db: Session, stmt: Select[*tuple[Any, ...]], per_page: int, cursor: Callable[[Any], str],
                *, scalars: bool = True) -> KeysetPage[Any]:
    """One page of an ordered select already limited to the rows after the cursor (`key > after`)."""
    result = db.scalars(stmt.limit(per_page + 1)) if scalars else db.execute(stmt.limit(per_page + 1))
    rows = list(result)
    items = rows[:per_page]
    return KeysetPage(items, per_page, cursor(items[-1]) if len(rows) > per_page else None)

"""One page of a list: the rows, how many there are in all, and which page this is.

Every list (gallery, search, staff lists, the API) pages the same way, so page numbers past the
end and the "page N of M" line mean the same everywhere.
"""

from __future__ import annotations

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

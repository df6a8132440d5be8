"""The typed request and result objects of the search API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Sort = Literal["relevance", "date", "date_desc"]


class IndexUnavailableError(RuntimeError):
    """The index is missing or broken: the caller should rebuild it (``SearchIndex.rebuild``)
    and meanwhile tell users that search is being rebuilt."""


@dataclass
class SearchQuery:
    """What to search for.

    ``filters`` maps a facet name (:data:`search.schema.FACETS`, or ``type``) to values:
    values of one facet are alternatives, different facets must all match. ``sort`` is
    ``relevance``, ``date`` (oldest matching item first) or ``date_desc``. ``facets`` and
    ``highlight`` can be turned off when the caller does not show them (both cost time).
    """

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: Sort = "relevance"
    facets: bool = True
    highlight: bool = True
    items_per_house: int = 3


@dataclass
class ItemHit:
    """One matching item (the house itself, a record, a person or a photo).

    ``snippet`` is HTML: the original text with matches in ``<mark>``, everything else escaped.
    """

    id: str
    type: str
    title: str
    snippet: str
    score: float
    date_year: int | None = None
    url_hint: str | None = None


@dataclass
class HouseHit:
    """A house and its best matching items; ``item_count`` counts all of its matching items."""

    house_code: str
    house_name: str
    score: float
    items: list[ItemHit]
    item_count: int


@dataclass
class SearchResults:
    """One page of houses.

    ``total`` counts houses, ``total_items`` matching items. ``facets`` maps each facet name to
    ``(value, number of houses)`` pairs, most frequent first; a facet that is filtered on counts
    as if its own filter were off, so the other values stay selectable. ``fallback_used`` is set
    when no house matched every word and houses matching any word are shown instead.
    ``query_notes`` are codes for the interface to explain: ``fallback_or``, ``truncated``,
    ``too_many_terms``, ``unbalanced_quote``, ``unknown_field:<name>``, ``empty_field:<name>``,
    ``unknown_filter:<name>``, ``empty_query``.
    """

    total: int = 0
    total_items: int = 0
    hits: list[HouseHit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    fallback_used: bool = False
    query_notes: list[str] = field(default_factory=list)
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

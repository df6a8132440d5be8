"""The contract for the document dicts the caller indexes, and their index field values.

One index document per item; the Whoosh schema of these fields is in :mod:`search.storage.schema`.
The caller (the application) builds these dicts from its models and decides which items go into
which index; this package never imports the application.

Document dict (keys not listed are an error; ``None`` or a missing optional key means "none")::

    id                     str, required, unique in the index: "house:ZS-NQ-ML-001", "record:123",
                           "person:5", "photo:77"
    type                   str, required: "house" | "record" | "person" | "photo"
    house_code             str, required: the house the item belongs to (results are grouped by it)
    house_name             str: display name of the house (shown on the group)
    title                  str: house name_zh + name_en / record title / person's names / photo title
    names                  str: aliases, builder, family, romanised names (weighted like the title)
    body                   str: summary and history, record text, caption (shown as the snippet)
    place                  str: province city county township village address, destinations
    county, township, village, style, protection_level, condition
                           str: the house's values (every item of a house carries them)
    destination_countries  list[str]: the house's overseas destinations
    decade                 int: decade the house was built (1920)
    record_kind            str: records only ("oral_history", "remittance_letter", ...)
    date_year              int: the item's own year (a house's year built), for sorting by date
    url_hint               str: opaque, returned with the hit

County, township, village and destination values are folded (simplified, lower-case Latin) so
``臺山`` and ``台山`` are one facet value; the other facet values are kept as given (vocabulary keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.text import fold_key

SCHEMA_VERSION = 3  # 2: the ``pairs`` field; 3: the archive codec's posting blocks
TYPES = frozenset({"house", "record", "person", "photo"})
TEXT_KEYS = ("house_name", "title", "names", "body", "place", "url_hint")
FOLDED_FACETS = frozenset({"county", "township", "village", "destination_country"})
# Facet name -> position in the packed per-document "meta" column.
META_FIELDS = (
    "house_code", "type", "county", "township", "village", "style", "protection_level",
    "condition", "destination_country", "decade", "record_kind", "date_year",
)  # fmt: skip
# Facets counted for every search; "type" (house, record, person, photo) can also be filtered on.
FACETS = (
    "county", "township", "village", "style", "protection_level", "condition",
    "destination_country", "decade", "record_kind",
)  # fmt: skip
FILTERS = (*FACETS, "type")
HOUSE_FACETS = FACETS[:8]
_ALLOWED = frozenset(META_FIELDS) | frozenset(TEXT_KEYS) | {"id", "destination_countries"}
_SEP = "\x1f"
_LIST_SEP = "\x1e"


class DocumentError(ValueError):
    """A document dict that does not follow the contract in this module's docstring."""


def facet_key(facet: str, value: object) -> str:
    """The stored form of a facet value (folded for place facets, trimmed otherwise)."""
    text = str(value).strip()
    if facet in FOLDED_FACETS:
        return fold_key(text).replace(",", " ")
    return text


def _text(doc: Mapping[str, Any], key: str) -> str:
    value = doc.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DocumentError(f"{doc.get('id')!r}: {key} must be a string, not {type(value).__name__}")
    return value


def _int(doc: Mapping[str, Any], key: str) -> int | None:
    value = doc.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DocumentError(f"{doc.get('id')!r}: {key} must be an int or None")
    return value


def to_whoosh(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Check a document dict against the contract and turn it into Whoosh field values."""
    unknown = set(doc) - _ALLOWED
    if unknown:
        raise DocumentError(f"{doc.get('id')!r}: unknown keys {sorted(unknown)}")
    doc_id, house_code, kind = _text(doc, "id"), _text(doc, "house_code"), _text(doc, "type")
    if not doc_id or not house_code:
        raise DocumentError(f"document {doc_id!r} needs an id and a house_code")
    if kind not in TYPES:
        raise DocumentError(f"{doc_id!r}: type must be one of {sorted(TYPES)}")
    texts = {key: _text(doc, key) for key in TEXT_KEYS}
    countries = doc.get("destination_countries") or []
    if isinstance(countries, str) or not all(isinstance(c, str) for c in countries):
        raise DocumentError(f"{doc_id!r}: destination_countries must be a list of strings")
    decade, year = _int(doc, "decade"), _int(doc, "date_year")
    values: dict[str, str] = {"house_code": house_code, "type": kind}
    for facet in ("county", "township", "village", "style", "protection_level", "condition", "record_kind"):
        values[facet] = facet_key(facet, _text(doc, facet))
    dests = sorted({facet_key("destination_country", c) for c in countries} - {""})
    values["destination_country"] = _LIST_SEP.join(dests)
    values["decade"] = "" if decade is None else str(decade)
    values["date_year"] = "" if year is None else str(year)
    out: dict[str, Any] = {
        "id": doc_id,
        "house_code": house_code,
        "type": kind,
        "house_name": texts["house_name"],
        "title": texts["title"],
        "body": texts["body"],
        "url_hint": texts["url_hint"] or None,
        "date_year": year,
        "text": [texts["title"], texts["names"], texts["body"], texts["place"]],
        "name": [texts["title"], texts["names"]],
        "meta": _SEP.join(values[name] for name in META_FIELDS).encode("utf-8"),
    }
    return out


def unpack_meta(raw: bytes) -> list[str]:
    """The packed meta column of one document, in :data:`META_FIELDS` order."""
    return raw.decode("utf-8").split(_SEP)


def split_list(value: str) -> tuple[str, ...]:
    """Split a packed list value (destinations)."""
    return tuple(value.split(_LIST_SEP)) if value else ()

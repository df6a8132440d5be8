"""Houses: create, edit, publish, soft-delete and restore, list; every change audited and enqueued."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.access import Viewer, house_filter
from archive.db import utcnow
from archive.models import AuditEvent, House
from archive.services import Actor, NotFound, ServiceError
from archive.services.audit import diff, event_values, plain, record_event, snapshot
from archive.services.indexing import enqueue_house, newest_queue_id
from archive.services.paging import Page
from archive.services.vocab import cached_key_sets
from importers.dates import parse_date

if TYPE_CHECKING:
    from archive.state import ExpiringCache, FacetCounts, FacetKey

EDITABLE_FIELDS = (
    "code", "name_zh", "name_en", "aliases", "province", "city", "county", "township", "village",
    "address", "lat", "lon", "location_precision", "built_text", "builder", "family", "destinations",
    "style", "materials", "storeys", "protection_level", "condition", "current_use", "custody", "owner",
    "owner_contact", "summary_zh", "summary_en", "history_zh", "history_en", "owner_public",
    "contact_public", "location_public", "extra",
)
AUDITED_FIELDS = (*EDITABLE_FIELDS, "built_from", "built_to", "published", "deleted_at")
VOCAB_FIELDS = {"style": "style", "protection_level": "protection_level", "condition": "condition"}
FILTER_FIELDS = ("county", "township", "village", "style", "protection_level", "condition")
# Decimals of latitude and longitude on the house page (about 1 m); a sheet giving the same
# coordinates to this precision changes nothing.
COORD_DECIMALS = 5


def get_house(db: Session, code: str, *, include_deleted: bool = False) -> House:
    house = db.scalar(select(House).where(House.code == code))
    if house is None or (house.deleted_at is not None and not include_deleted):
        raise NotFound("house", code)
    return house


def live_house_id(db: Session, code: str) -> int | None:
    """The id of the house with this code, unless there is none or it is in the trash."""
    return db.scalar(select(House.id).where(House.code == code, House.deleted_at.is_(None)))


def get_house_by_id(db: Session, house_id: int) -> House:
    house = db.get(House, house_id)
    if house is None or house.deleted_at is not None:
        raise NotFound("house", house_id)
    return house


def check_house_values(
    db: Session, values: Mapping[str, Any], *, house: House | None = None, check_duplicate: bool = True
) -> None:
    """Invariants that hold whatever the channel (form, import, API): raise ServiceError on the first."""
    code = values.get("code", house.code if house else None)
    if not code or not str(code).strip():
        raise ServiceError("required", "code")
    if "name_zh" in values and not (values["name_zh"] or "").strip():
        raise ServiceError("required", "name_zh")
    lat, lon = values.get("lat"), values.get("lon")
    if lat is not None and not -90 <= lat <= 90:
        raise ServiceError("out_of_range", "lat", min=-90, max=90)
    if lon is not None and not -180 <= lon <= 180:
        raise ServiceError("out_of_range", "lon", min=-180, max=180)
    storeys = values.get("storeys")
    if storeys is not None and not 0 <= storeys <= 200:
        raise ServiceError("out_of_range", "storeys", min=0, max=200)
    known = cached_key_sets(db)
    for name, vocab in VOCAB_FIELDS.items():
        value = values.get(name)
        if value and value not in known.get(vocab, set()):
            raise ServiceError("unknown_term", name, value=value)
    if not check_duplicate:
        return
    other = db.scalar(select(House.id).where(House.code == code))
    if other is not None and (house is None or other != house.id):
        raise ServiceError("duplicate_code", "code", code=code)


def _columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns the given values set: the values themselves and the years of `built_text`."""
    for name in values:
        if name not in EDITABLE_FIELDS and name != "published":
            raise ServiceError("unknown_field", name)
    columns = dict(values)
    if "built_text" in values:
        parsed = parse_date(values["built_text"]) if values["built_text"] else None
        columns["built_from"] = parsed.year_from if parsed else None
        columns["built_to"] = parsed.year_to if parsed else None
    return columns


def _apply(house: House, values: Mapping[str, Any]) -> None:
    for name, value in _columns(values).items():
        setattr(house, name, value)


def new_house_columns(actor: Actor, values: Mapping[str, Any]) -> dict[str, Any]:
    """The columns a new house gets from these values (the model's defaults fill in the rest)."""
    return {"created_by_id": actor.user_id, "aliases": [], "destinations": [], "extra": {}, **_columns(values)}


def new_house(actor: Actor, values: Mapping[str, Any]) -> House:
    """A house not yet added to a session."""
    return House(**new_house_columns(actor, values))


def created_house_event(actor: Actor, house: Mapping[str, Any], *, batch_id: str | None = None) -> dict[str, Any]:
    """The audit event of a house just inserted, from its stored columns (with its id)."""
    after = {name: plain(house[name]) for name in AUDITED_FIELDS}
    return event_values(actor, "create", "house", house["id"], label=house["code"], house_id=house["id"],
                        changes={k: [None, v] for k, v in after.items() if v not in (None, [], {}, False)},
                        batch_id=batch_id)


def audit_created_house(db: Session, actor: Actor, house: House, *, batch_id: str | None = None) -> None:
    """The audit event and search-queue entry of a house just inserted (it has its id)."""
    db.add(AuditEvent(**created_house_event(actor, {name: getattr(house, name) for name in ("id", *AUDITED_FIELDS)},
                                            batch_id=batch_id)))
    enqueue_house(db, house)


def create_house(db: Session, actor: Actor, values: Mapping[str, Any], *, batch_id: str | None = None) -> House:
    check_house_values(db, values)
    house = new_house(actor, values)
    db.add(house)
    db.flush()  # so house.id is available to the audit event and the search queue
    audit_created_house(db, actor, house, batch_id=batch_id)
    return house


def update_house(
    db: Session, actor: Actor, house: House, values: Mapping[str, Any], *, batch_id: str | None = None
) -> dict[str, list[Any]]:
    """Apply changed values; returns {field: [old, new]} (empty when nothing changed)."""
    check_house_values(db, values, house=house)
    before = snapshot(house, AUDITED_FIELDS)
    if values.get("code", house.code) != house.code:
        enqueue_house(db, house)  # under the old code, so its old documents are removed
    _apply(house, values)
    changes = diff(before, snapshot(house, AUDITED_FIELDS))
    if changes:
        db.flush()
        record_event(db, actor, "update", house, label=house.code, house_id=house.id,
                     changes=changes, batch_id=batch_id)
        enqueue_house(db, house)
    return changes


def _set_state(db: Session, actor: Actor, house: House, action: str, name: str, value: Any) -> None:
    old = getattr(house, name)
    if old == value:
        return
    setattr(house, name, value)
    db.flush()
    record_event(db, actor, action, house, label=house.code, house_id=house.id,
                 changes={name: [_iso(old), _iso(value)]})
    enqueue_house(db, house)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def set_published(db: Session, actor: Actor, house: House, published: bool) -> None:
    _set_state(db, actor, house, "publish" if published else "unpublish", "published", published)


def delete_house(db: Session, actor: Actor, house: House) -> None:
    """Soft delete: the house disappears from every view but can be restored with all it holds."""
    if house.deleted_at is None:
        _set_state(db, actor, house, "delete", "deleted_at", utcnow())


def restore_house(db: Session, actor: Actor, house: House) -> None:
    if house.deleted_at is not None:
        _set_state(db, actor, house, "restore", "deleted_at", None)


@dataclass
class HouseFilters:
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, args: Mapping[str, str]) -> HouseFilters:
        return cls({k: args[k] for k in FILTER_FIELDS if args.get(k)})


def list_houses(
    db: Session, viewer: Viewer, filters: HouseFilters, *, page: int = 1, per_page: int = 24,
    include_deleted: bool = False,
) -> Page[House]:
    """A page of houses in code order; the (published, deleted_at, code) index keeps deep pages cheap."""
    where = [House.deleted_at.is_not(None)] if include_deleted else [house_filter(viewer)]
    where += [getattr(House, name) == value for name, value in filters.values.items()]
    total = db.scalar(select(func.count()).select_from(House).where(*where)) or 0
    page = max(1, page)
    stmt = select(House).where(*where).order_by(House.code).limit(per_page).offset((page - 1) * per_page)
    return Page(list(db.scalars(stmt)), total, page, per_page)


# The gallery's filter bar. Counting them groups every visible house, so counts are kept per
# filter set in the app's `facet_cache` until the catalogue changes (archive.state.ExpiringCache).
GALLERY_FACETS = ("county", "township", "style", "protection_level")


def gallery_facets(db: Session, viewer: Viewer, filters: HouseFilters,
                   cache: ExpiringCache[FacetKey, FacetCounts]) -> FacetCounts:
    key = (viewer.sees_private, tuple(sorted(filters.values.items())))
    mark = newest_queue_id(db)
    hit = cache.get(key, mark)
    if hit is not None:
        return hit
    counts = {name: facet_counts(db, viewer, name, filters) for name in GALLERY_FACETS}
    cache.put(key, mark, counts)
    return counts


def facet_counts(db: Session, viewer: Viewer, name: str, filters: HouseFilters) -> list[tuple[str, int]]:
    """Values of one filter field among the houses the viewer may see, with counts, for the filter bar."""
    column = getattr(House, name)
    others = [getattr(House, k) == v for k, v in filters.values.items() if k != name]
    stmt = (
        select(column, func.count())
        .where(house_filter(viewer), column.is_not(None), *others)
        .group_by(column)
        .order_by(func.count().desc(), column)
    )
    return [(value, count) for value, count in db.execute(stmt)]

"""Search wiring: documents from the database through access rules, the queue, reindex, queries.

Two indexes: `public` holds only what the anonymous public may see (built through
`archive.access` with the public viewer), `staff` holds everything. Changes enqueue their house
in the same transaction (services.indexing); `drain_queue` runs after commit and brings both
indexes up to date. If another process holds the index writer lock, the queue is left for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from archive import access
from archive.models import House, PersonRole, Record, RomanisationAlias, SearchQueue
from archive.services.destinations import countries
from archive.services.houses import invalidate_facets
from archive.services.statistics import invalidate_statistics

if TYPE_CHECKING:
    from archive.state import ArchiveState
    from search import SearchIndex, SearchQuery, SearchResults

logger = logging.getLogger(__name__)

STAFF = access.Viewer(role="admin")
VIEWERS = {"public": access.PUBLIC, "staff": STAFF}


def _join(*parts: object) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, list | tuple):
            out.extend(str(p) for p in part if p)
        elif part:
            out.append(str(part))
    return " ".join(out)


def house_documents(db: Session, house: House, viewer: access.Viewer) -> list[dict[str, Any]]:
    """Every document for one house as this viewer may find it (nothing when it may not see it)."""
    if not access.house_visible(viewer, house):
        return []
    data = access.house_data(viewer, house)
    roles = [r for r in house.roles if access.person_visible(viewer, r.person)]
    common: dict[str, Any] = {
        "house_code": house.code, "house_name": _join(house.name_zh, house.name_en),
        "county": house.county, "township": house.township, "village": house.village, "style": house.style,
        "protection_level": house.protection_level, "condition": house.condition,
        "destination_countries": countries(house.destinations or []),
        "decade": (house.built_from // 10 * 10) if house.built_from else None,
    }
    docs = [{
        **common, "id": f"house:{house.code}", "type": "house", "title": _join(house.name_zh, house.name_en),
        "names": _join(house.aliases, house.builder, house.family, data.get("owner"),
                       [_join(r.person.name_zh, r.person.names_romanised) for r in roles]),
        "body": _join(house.summary_zh, house.summary_en, house.history_zh, house.history_en, house.materials,
                      house.current_use, house.custody, data.get("owner_contact")),
        "place": _join(house.province, house.city, house.county, house.township, house.village,
                       data.get("address"), house.destinations),
        "date_year": house.built_from,
    }]
    for record in house.records:
        if access.record_visible(viewer, record):
            docs.append({**common, "id": f"record:{record.id}", "type": "record", "title": record.title,
                         "names": _join(record.source, record.contributor if viewer.sees_private else None),
                         "body": record.body or "", "record_kind": record.kind, "date_year": record.date_from})
    for role in roles:
        person = role.person
        docs.append({**common, "id": f"person:{person.id}:{house.code}", "type": "person",
                     "title": _join(person.name_zh, person.names_romanised), "names": person.names_romanised or "",
                     "body": _join(person.dates_text, person.notes if viewer.sees_private else None,
                                   person.destinations)})
    for photo in house.photos:
        if access.photo_visible(viewer, photo) and (photo.caption_zh or photo.caption_en or viewer.sees_private):
            docs.append({**common, "id": f"photo:{photo.id}", "type": "photo",
                         "title": _join(photo.caption_zh, photo.caption_en) or photo.original_name,
                         "body": _join(photo.caption_en, photo.photographer),
                         "date_year": photo.taken_at.year if photo.taken_at else None})
    return docs


def _houses(db: Session) -> Iterator[House]:
    stmt = (select(House).where(House.deleted_at.is_(None)).order_by(House.id)
            .options(selectinload(House.records).selectinload(Record.houses), selectinload(House.photos),
                     selectinload(House.roles).selectinload(PersonRole.person)))
    yield from db.scalars(stmt.execution_options(yield_per=200))


def all_documents(state: ArchiveState, name: str) -> Iterator[dict[str, Any]]:
    with state.db.session(write=False) as db:
        for house in _houses(db):
            yield from house_documents(db, house, VIEWERS[name])


def reindex(
    state: ArchiveState, *, echo: Callable[[str], None] = lambda _: None, procs: int | None = None
) -> dict[str, int]:
    """Rebuild both indexes from the database; queued changes are covered by the rebuild."""
    with state.db.session(write=False) as db:
        last = db.scalar(select(SearchQueue.id).order_by(SearchQueue.id.desc()).limit(1))
    counts = {}
    for name in VIEWERS:
        index = state.search_index(name)
        done = [0]

        def tick(n: int, label: str = name, done: list[int] = done) -> None:
            done[0] = n
            if n % 1000 == 0:
                echo(f"  {label}: {n} documents")

        counts[name] = index.rebuild(all_documents(state, name), progress=tick, procs=procs)
        echo(f"  {name}: {counts[name]} documents indexed")
    if last is not None:
        with state.transaction() as db:
            db.execute(delete(SearchQueue).where(SearchQueue.id <= last))
    return counts


# Above this many queued houses a full rebuild (parallel, one commit) beats one commit per house.
REBUILD_THRESHOLD = 200


def drain_queue(state: ArchiveState, *, limit: int = 500, allow_rebuild: bool = False) -> int:
    """Bring the indexes up to date with queued changes; returns how many houses were refreshed.

    With `allow_rebuild` (commands, not web workers) a long queue, as a bulk import leaves,
    is covered by rebuilding both indexes instead.
    """
    invalidate_facets()  # a change was committed: the gallery's counts may be stale
    invalidate_statistics()  # and so may the statistics page's
    with state.db.session(write=False) as db:
        pending = db.scalar(select(func.count(func.distinct(SearchQueue.house_id)))) or 0
    if pending > REBUILD_THRESHOLD:
        if allow_rebuild:
            reindex(state)
        else:
            start_rebuild(state, "all")
        return pending
    with state.db.session(write=False) as db:
        entries = list(db.scalars(select(SearchQueue).order_by(SearchQueue.id).limit(limit)))
        if not entries:
            return 0
        last = entries[-1].id
        codes: dict[int, set[str]] = {}
        for entry in entries:
            codes.setdefault(entry.house_id, set()).add(entry.house_code)
        updates: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in VIEWERS}
        removals: set[str] = set()
        for house_id, queued in codes.items():
            house = db.get(House, house_id)
            current = house.code if house is not None else None
            removals.update(code for code in queued if code != current)
            if house is not None:
                for name, viewer in VIEWERS.items():
                    updates[name][house.code] = house_documents(db, house, viewer)
    for name in VIEWERS:
        if not _apply(state, name, updates[name], removals):
            return 0  # another process holds the writer, or a rebuild will cover the queue
    with state.transaction() as db:
        db.execute(delete(SearchQueue).where(SearchQueue.id <= last, SearchQueue.house_id.in_(list(codes))))
    return len(codes)


def _apply(state: ArchiveState, name: str, updates: dict[str, list[dict[str, Any]]], removals: set[str]) -> bool:
    """Write one index's changes; False leaves the queue for whoever holds the lock or rebuilds."""
    from search import IndexUnavailableError

    index = state.search_index(name)
    try:
        # Houses gone (or renamed away from a code) lose their documents; one commit for all.
        if not index.replace_houses({**{code: [] for code in removals}, **updates}):
            return False
    except IndexUnavailableError:
        if index.health() == "missing":
            # Never built (a new data folder): building it now from the database covers the queue.
            index.rebuild(all_documents(state, name), procs=1)
            return True
        start_rebuild(state, name)
        return False
    return True


# Queries ------------------------------------------------------------------------------------

_rebuilding: set[str] = set()
_rebuild_lock = threading.Lock()


def _alias_signature(db: Session) -> tuple[int, int]:
    row = db.execute(select(func.count(RomanisationAlias.id), func.max(RomanisationAlias.id))).one()
    return int(row[0] or 0), int(row[1] or 0)


def refresh_aliases(state: ArchiveState, index: SearchIndex) -> None:
    """Researchers edit the alias table in the database; pick up edits without a reindex."""
    from archive.services.search_aliases import alias_rows
    from search import load_aliases

    with state.db.session(write=False) as db:
        signature = _alias_signature(db)
        if getattr(index, "alias_signature", None) == signature:
            return
        index.set_aliases(load_aliases(alias_rows(db)))
    index.alias_signature = signature  # type: ignore[attr-defined]


def index_name(viewer: access.Viewer) -> str:
    """The public sees the public index, which holds public data only; staff the full one."""
    return "staff" if viewer.sees_private else "public"


def run_search(state: ArchiveState, viewer: access.Viewer, query: SearchQuery) -> SearchResults | None:
    """Search in the viewer's index; None while the index is missing or broken (being rebuilt)."""
    from search import IndexUnavailableError

    name = index_name(viewer)
    index = state.search_index(name)
    if name in _rebuilding or ("all" in _rebuilding and index.health() != "ok"):
        return None
    try:
        refresh_aliases(state, index)
        return index.search(query)
    except IndexUnavailableError:
        start_rebuild(state, name)
        return None


def start_rebuild(state: ArchiveState, name: str) -> None:
    """Rebuild one index in a background thread (one per process), e.g. after its files were lost."""
    with _rebuild_lock:
        if name in _rebuilding:
            return
        _rebuilding.add(name)

    def work() -> None:
        try:
            # procs=1: forking worker processes from a threaded web server is unsafe.
            if name == "all":
                reindex(state, procs=1)
            else:
                state.search_index(name).rebuild(all_documents(state, name), procs=1)
        except Exception:
            logger.exception("rebuilding the %s search index failed", name)
        finally:
            _rebuilding.discard(name)

    threading.Thread(target=work, name=f"rebuild-{name}", daemon=True).start()



class BackgroundDrainer:
    """One thread per process that brings the indexes up to date after commits.

    Requests only wake it, so an upload never waits for Whoosh's writer; changes that arrive
    while it works are drained together on its next pass (one index commit per house, however
    many photos it got). It also wakes every few seconds, to pick up a queue that another
    process could not drain because this one held the lock.
    """

    POLL_SECONDS = 5.0

    def __init__(self, state: ArchiveState) -> None:
        self.state = state
        self._wake = threading.Event()
        self._started = False
        self._lock = threading.Lock()

    def notify(self) -> None:
        with self._lock:
            if not self._started:
                threading.Thread(target=self._run, name="search-drainer", daemon=True).start()
                self._started = True
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.POLL_SECONDS)
            self._wake.clear()
            try:
                while drain_queue(self.state):
                    pass
            except Exception:
                logger.exception("updating the search index failed; the queue keeps the changes")

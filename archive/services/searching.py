"""Search wiring: documents from the database through access rules, the queue, reindex, queries.

Two indexes: `public` holds only what the anonymous public may see (built through
`archive.access` with the public viewer), `staff` holds everything. Changes enqueue their house
in the same transaction (services.indexing); `drain_queue` runs after commit and brings both
indexes up to date. If another process holds the index writer lock, the queue is left for it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from archive import access
from archive.models import House, PersonRole, RomanisationAlias, SearchQueue
from archive.services import queue_marks
from archive.services.background import PollingThread
from archive.services.destinations import countries
from archive.services.indexing import newest_queue_id

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
        if access.record_visible_under(viewer, record, house):
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


def _houses(db: Session, ids: list[int] | None = None) -> Iterator[House]:
    stmt = (select(House).where(House.deleted_at.is_(None)).order_by(House.id)
            .options(selectinload(House.records), selectinload(House.photos),
                     selectinload(House.roles).selectinload(PersonRole.person)))
    if ids is not None:
        stmt = stmt.where(House.id.in_(ids))
    yield from db.scalars(stmt.execution_options(yield_per=200))


def all_documents(state: ArchiveState, name: str) -> Iterator[dict[str, Any]]:
    with state.db.session(write=False) as db:
        for house in _houses(db):
            yield from house_documents(db, house, VIEWERS[name])


# Houses per job of a full rebuild (each worker process reads its jobs' houses itself).
REINDEX_JOB = 100


def reindex(
    state: ArchiveState, *, echo: Callable[[str], None] = lambda _: None, procs: int | None = None
) -> dict[str, int]:
    """Rebuild both indexes from the database in one pass and set their queue marks.

    The houses are handed out in jobs of :data:`REINDEX_JOB` to the index build's worker
    processes, which read them and write both indexes (`search.rebuild_indexes`). Both folders'
    queue locks are held meanwhile; every queue row committed before the documents were read is
    covered, so each mark moves to the last of them (late commits below it are rechecked).
    """
    with contextlib.ExitStack() as locks:
        for name in VIEWERS:
            locks.enter_context(queue_marks.folder_lock(state.index_dir, name, wait=None))
        return _reindex_locked(state, echo=echo, procs=procs)


def _reindex_locked(state: ArchiveState, *, echo: Callable[[str], None], procs: int | None) -> dict[str, int]:
    """:func:`reindex` with both folders' queue locks held by the caller."""
    from search import rebuild_indexes

    started = queue_marks.now()
    with state.db.session(write=False) as db:
        top = newest_queue_id(db)
        present = set(db.scalars(select(SearchQueue.id).where(SearchQueue.id > top - REBUILD_RECHECK_WINDOW)))
        ids = list(db.scalars(select(House.id).where(House.deleted_at.is_(None)).order_by(House.id)))

    def load(house_ids: list[int]) -> Iterator[tuple[str, dict[str, Any]]]:
        with state.db.session(write=False) as db:
            for house in _houses(db, house_ids):
                for name, viewer in VIEWERS.items():
                    for doc in house_documents(db, house, viewer):
                        yield name, doc

    reported = 0

    def tick(n: int) -> None:
        nonlocal reported
        if n // 1000 > reported // 1000:
            echo(f"  {n} documents")
        reported = n

    jobs = [ids[start:start + REINDEX_JOB] for start in range(0, len(ids), REINDEX_JOB)]
    counts = rebuild_indexes({name: state.search_index(name) for name in VIEWERS}, jobs, load, progress=tick,
                             procs=procs, worker_init=lambda: state.db.engine.dispose(close=False))
    missing = set(range(max(1, top - REBUILD_RECHECK_WINDOW + 1), top + 1)) - present
    for name in VIEWERS:
        queue_marks.save_mark(state.index_dir, name, queue_marks.QueueMark(
            through=top, recheck=dict.fromkeys(missing, started), synced_at=started))
    for name in VIEWERS:
        echo(f"  {name}: {counts[name]} documents indexed")
    return counts


# Queue rows just below the newest one when a rebuild starts: any of them not yet committed is
# looked for afterwards (a transaction that took its id before the rebuild read the data).
REBUILD_RECHECK_WINDOW = 1000


def rebuild_index(state: ArchiveState, name: str, *, progress: Callable[[int], None] | None = None,
                  procs: int | None = None) -> int:
    """Rebuild one index (waiting for its folder's queue lock) and set its queue mark."""
    with queue_marks.folder_lock(state.index_dir, name, wait=None):
        return _rebuild_locked(state, name, progress=progress, procs=procs)


def _rebuild_locked(state: ArchiveState, name: str, *, progress: Callable[[int], None] | None = None,
                    procs: int | None = None) -> int:
    started = queue_marks.now()
    with state.db.session(write=False) as db:
        # Read before the documents: every row up to `top` that is committed is in the rebuild.
        top = newest_queue_id(db)
        present = set(db.scalars(select(SearchQueue.id).where(SearchQueue.id > top - REBUILD_RECHECK_WINDOW)))
    count: int = state.search_index(name).rebuild(all_documents(state, name), progress=progress, procs=procs)
    missing = set(range(max(1, top - REBUILD_RECHECK_WINDOW + 1), top + 1)) - present
    queue_marks.save_mark(state.index_dir, name, queue_marks.QueueMark(
        through=top, recheck=dict.fromkeys(missing, started), synced_at=started))
    return count


# Above this many queued houses a full rebuild (parallel, one commit) beats one commit per house.
REBUILD_THRESHOLD = 200
# Queue rows are deleted when older than the retention (queue_marks.RETENTION_SECONDS); looked
# for at most this often per process.
PRUNE_EVERY_SECONDS = 3600.0


def drain_queue(state: ArchiveState, *, limit: int = 500, allow_rebuild: bool = False) -> int:
    """Bring this server's indexes up to date with the queue; returns how many houses were refreshed.

    Every app server on the database applies every row to its own index folder: a row is not
    deleted once applied (see archive/services/queue_marks.py). With `allow_rebuild` (commands,
    not web workers) a long queue, as a bulk import leaves, is covered by rebuilding instead.
    """
    refreshed = _rebuild_all_if_behind(state) if allow_rebuild else None
    if refreshed is None:
        refreshed = 0
        for name in VIEWERS:
            refreshed = max(refreshed, _drain_index(state, name, limit=limit, allow_rebuild=allow_rebuild))
    if queue_marks.now() - state.search_upkeep.last_prune > PRUNE_EVERY_SECONDS:
        prune_queue(state)
    return refreshed


def prune_queue(state: ArchiveState, *, older_than: float = queue_marks.RETENTION_SECONDS) -> int:
    """Delete queue rows older than the retention, except the newest row: ids must never go back
    (SQLite would hand out a deleted top id again, and an index mark above it would skip rows)."""
    state.search_upkeep.last_prune = queue_marks.now()
    horizon = datetime.fromtimestamp(queue_marks.now() - older_than, UTC)
    with state.transaction() as db:
        top = newest_queue_id(db)
        result = db.execute(delete(SearchQueue).where(SearchQueue.enqueued_at < horizon, SearchQueue.id < top))
    return int(getattr(result, "rowcount", 0) or 0)


def _position(state: ArchiveState, db: Session, name: str, top: int,
              now: float) -> tuple[queue_marks.QueueMark | None, int]:
    """One index's queue mark (None: never built here) and how many houses are queued above it."""
    mark = queue_marks.load_mark(state.index_dir, name)
    if mark is None and state.search_index(name).health() == "ok":
        # An index from before queue marks: the queue holds exactly what it lacks.
        first = db.scalar(select(func.min(SearchQueue.id)))
        mark = queue_marks.QueueMark(through=(first or top + 1) - 1, synced_at=now)
    pending = db.scalar(select(func.count(func.distinct(SearchQueue.house_id)))
                        .where(SearchQueue.id > (mark.through if mark else 0))) or 0
    return mark, int(pending)


def _rebuild_all_if_behind(state: ArchiveState) -> int | None:
    """When every index would be rebuilt (a bulk import queued more than `REBUILD_THRESHOLD`
    houses, or the indexes were never built here), rebuild them all in one pass, the documents
    read and analysed once for both (:func:`reindex`). Returns how many houses were queued, or
    None when the indexes are drained one by one (or another process holds a folder's lock)."""
    with contextlib.ExitStack() as locks:
        for name in VIEWERS:
            if not locks.enter_context(queue_marks.folder_lock(state.index_dir, name, wait=2.0)):
                return None
        now = queue_marks.now()
        queued = 0
        with state.db.session(write=False) as db:
            top = newest_queue_id(db)
            for name in VIEWERS:
                mark, pending = _position(state, db, name, top, now)
                if not (mark is None or mark.stale(now) or mark.through > top or pending > REBUILD_THRESHOLD):
                    return None
                queued = max(queued, pending)
        _reindex_locked(state, echo=lambda _: None, procs=None)
        return queued


def _drain_index(state: ArchiveState, name: str, *, limit: int, allow_rebuild: bool) -> int:
    """Apply the rows above this index's mark (and late ones it still watches for)."""
    with queue_marks.folder_lock(state.index_dir, name, wait=2.0) as held:
        if not held:
            return 0  # another worker of this server is at it; the drainers' poll catches up
        now = queue_marks.now()
        index = state.search_index(name)
        with state.db.session(write=False) as db:
            top = newest_queue_id(db)
            mark, pending = _position(state, db, name, top, now)
        if mark is None or mark.stale(now) or mark.through > top:
            # Never built here, not read for longer than the queue keeps rows, or made against
            # another database (restored or replaced): only a rebuild is sure to be complete.
            if allow_rebuild or index.health() == "missing":
                _rebuild_locked(state, name, procs=None if allow_rebuild else 1)
                return int(pending)
            start_rebuild(state, name)
            return 0
        if pending > REBUILD_THRESHOLD:
            if allow_rebuild:
                _rebuild_locked(state, name)
            else:
                start_rebuild(state, name)
            return int(pending)
        watched = list(mark.recheck)
        with state.db.session(write=False) as db:
            newer = SearchQueue.id > mark.through
            rows = db.execute(select(SearchQueue.id, SearchQueue.house_id, SearchQueue.house_code)
                              .where(or_(newer, SearchQueue.id.in_(watched)) if watched else newer)
                              .order_by(SearchQueue.id).limit(limit + len(mark.applied))).all()
            rows = [row for row in rows if row.id not in mark.applied][:limit]
            codes: dict[int, set[str]] = {}
            for row in rows:
                codes.setdefault(row.house_id, set()).add(row.house_code)
            updates: dict[str, list[dict[str, Any]]] = {}
            removals: set[str] = set()
            for house_id, queued in codes.items():
                house = db.get(House, house_id)
                current = house.code if house is not None else None
                removals.update(code for code in queued if code != current)
                if house is not None:
                    updates[house.code] = house_documents(db, house, VIEWERS[name])
        if codes:
            outcome = _apply(state, name, updates, removals)
            if outcome == "rebuilt":
                return len(codes)
            if outcome == "busy":
                return 0  # another process holds the writer, or a rebuild will cover the queue
        before = mark.to_json()
        mark.advance({row.id for row in rows}, now)
        mark.forget_old_rechecks(now)
        if codes or mark.to_json() != before or now - mark.synced_at > 60:
            mark.synced_at = now
            queue_marks.save_mark(state.index_dir, name, mark)
        return len(codes)


def _apply(state: ArchiveState, name: str, updates: dict[str, list[dict[str, Any]]], removals: set[str]) -> str:
    """Write one index's changes: "applied", "busy" (leave the rows for whoever holds the lock or
    rebuilds), or "rebuilt" (a missing index built now from the database, its mark set)."""
    from search import IndexUnavailableError

    index = state.search_index(name)
    try:
        # Houses gone (or renamed away from a code) lose their documents; one commit for all.
        if not index.replace_houses({**{code: [] for code in removals}, **updates}):
            return "busy"
    except IndexUnavailableError:
        if index.health() == "missing":
            # Never built (a new data folder): building it now from the database covers the queue.
            _rebuild_locked(state, name, procs=1)
            return "rebuilt"
        start_rebuild(state, name)
        return "busy"
    return "applied"


# Queries ------------------------------------------------------------------------------------


def _alias_signature(db: Session) -> tuple[int, int]:
    row = db.execute(select(func.count(RomanisationAlias.id), func.max(RomanisationAlias.id))).one()
    return int(row[0] or 0), int(row[1] or 0)


def refresh_aliases(state: ArchiveState, index: SearchIndex) -> None:
    """Researchers edit the alias table in the database; pick up edits without a reindex."""
    from archive.services.search_aliases import alias_rows
    from search import load_aliases

    with state.db.session(write=False) as db:
        index.refresh_aliases(_alias_signature(db), lambda: load_aliases(alias_rows(db)))


def index_name(viewer: access.Viewer) -> str:
    """The public sees the public index, which holds public data only; staff the full one."""
    return "staff" if viewer.sees_private else "public"


def run_search(state: ArchiveState, viewer: access.Viewer, query: SearchQuery) -> SearchResults | None:
    """Search in the viewer's index; None while the index is missing or broken (being rebuilt)."""
    from search import IndexUnavailableError

    name = index_name(viewer)
    index = state.search_index(name)
    if not state.config.get("SEARCH_SYNC", False):
        state.drainer.start()  # polls for changes other app servers committed
    rebuilding = state.search_upkeep.rebuilding
    if name in rebuilding or ("all" in rebuilding and index.health() != "ok"):
        return None
    try:
        refresh_aliases(state, index)
        return index.search(query)
    except IndexUnavailableError:
        start_rebuild(state, name)
        return None


def start_rebuild(state: ArchiveState, name: str) -> None:
    """Rebuild one index in a background thread (one per process), e.g. after its files were lost."""
    upkeep = state.search_upkeep
    with upkeep.lock:
        if name in upkeep.rebuilding:
            return
        upkeep.rebuilding.add(name)

    def work() -> None:
        try:
            # procs=1: forking worker processes from a threaded web server is unsafe.
            if name == "all":
                reindex(state, procs=1)
            else:
                rebuild_index(state, name, procs=1)
        except Exception:
            logger.exception("rebuilding the %s search index failed", name)
        finally:
            upkeep.rebuilding.discard(name)

    threading.Thread(target=work, name=f"rebuild-{name}", daemon=True).start()



class BackgroundDrainer(PollingThread):
    """One thread per process that brings the indexes up to date after commits.

    Requests only wake it, so an upload never waits for Whoosh's writer; changes that arrive
    while it works are drained together on its next pass (one index commit per house, however
    many photos it got). It also wakes every few seconds, to pick up a queue that another
    process could not drain because this one held the lock, and the changes other app servers
    committed (each server applies every queue row to its own index folder). A server that takes
    no writes still applies other servers': searches start it.
    """

    NAME = "search-drainer"
    POLL_SECONDS = 5.0

    def __init__(self, state: ArchiveState) -> None:
        super().__init__()
        self.state = state

    def _run(self) -> None:
        while True:
            self._wake.wait(self.POLL_SECONDS)
            self._wake.clear()
            if self.stopped:
                return
            try:
                while drain_queue(self.state):
                    pass
            except Exception:
                logger.exception("updating the search index failed; the queue keeps the changes")

"""Per-application state: the database, the media store, the search indexes and the background
workers, built from config by `archive.build_state` (which `create_app` uses)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from flask import current_app
from sqlalchemy.orm import Session

from archive.db import Database
from media import LocalStore, Replica, S3Settings, open_replica, parse_targets
from search import SearchIndex

if TYPE_CHECKING:
    from archive.services.statistics import Statistics

# The two search indexes: what the anonymous public may find, and everything (see services.searching).
INDEX_NAMES = ("public", "staff")

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# The gallery's filter counts (services.houses.gallery_facets): counting them groups every visible
# house (1 s at 100,000 houses on SQLite, benchmarks/gallery.py), so they are kept per filter set;
# and the statistics page (services.statistics.cached_statistics), which groups every visible house
# seven ways (benchmarks/statistics.py). Either is missed as soon as the catalogue changes, on any
# app server (ExpiringCache): the time limit only bounds how long an idle entry holds memory.
FACET_TTL_SECONDS = 300.0
STATISTICS_TTL_SECONDS = 300.0
FacetKey = tuple[bool, tuple[tuple[str, str], ...]]  # (staff?, sorted filters)
FacetCounts = dict[str, list[tuple[str, int]]]
StatisticsKey = tuple[bool, str | None, int | None]  # (staff?, county, townships)


class Drainer(Protocol):
    """The background updater of the search indexes (services.searching.BackgroundDrainer)."""

    def start(self) -> None: ...

    def notify(self) -> None: ...

    def stop(self) -> None: ...


class Replicator(Protocol):
    """The background copier to the replicas (services.replication.BackgroundReplicator)."""

    def notify(self) -> None: ...

    def stop(self) -> None: ...


class ExpiringCache(Generic[K, V]):
    """Values kept at most ``ttl`` seconds and only while the catalogue is unchanged: each is stored
    with the change mark it was computed under (``services.indexing.newest_queue_id``, which
    every committed change to a house moves, on any app server) and is
    missed once the mark has moved. All are dropped at once when there are more than ``limit``
    (many different keys asked for: start afresh rather than grow)."""

    def __init__(self, ttl: float, limit: int) -> None:
        self.ttl = ttl
        self.limit = limit
        self._items: dict[K, tuple[float, int, V]] = {}

    def get(self, key: K, mark: int) -> V | None:
        hit = self._items.get(key)
        return hit[2] if hit is not None and hit[1] == mark and hit[0] > time.monotonic() else None

    def put(self, key: K, mark: int, value: V) -> None:
        """Keep ``value``, computed after ``mark`` was read (never before: it could then be newer
        than the value, which would be served until the next change)."""
        if len(self._items) > self.limit:
            self._items.clear()
        self._items[key] = (time.monotonic() + self.ttl, mark, value)


@dataclass
class SearchUpkeep:
    """Which indexes the app is rebuilding in a background thread ("public", "staff" or "all";
    searches answer "being rebuilt" meanwhile), and when it last pruned the search queue."""

    rebuilding: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_prune: float = 0.0


@dataclass
class ArchiveState:
    db: Database
    store: LocalStore
    derivatives_dir: Path
    index_dir: Path
    config: Mapping[str, Any]
    # The long-lived search index objects by name (INDEX_NAMES); their searchers are reused.
    indexes: Mapping[str, SearchIndex]
    # Makers of the background workers, called with the state itself once it is built.
    make_drainer: InitVar[Callable[[ArchiveState], Drainer]]
    make_replicator: InitVar[Callable[[ArchiveState], Replicator]]
    # Second copies of the originals (QIAOFANG_REPLICAS); empty when none is configured.
    replicas: list[Replica] = field(default_factory=list)
    # The process's background index updater (its thread starts on first use).
    drainer: Drainer = field(init=False)
    # The process's background copier to the replicas (its thread starts on first notify).
    replicator: Replicator = field(init=False)
    search_upkeep: SearchUpkeep = field(default_factory=SearchUpkeep)
    facet_cache: ExpiringCache[FacetKey, FacetCounts] = field(
        default_factory=lambda: ExpiringCache(FACET_TTL_SECONDS, limit=2000))
    statistics_cache: ExpiringCache[StatisticsKey, Statistics] = field(
        default_factory=lambda: ExpiringCache(STATISTICS_TTL_SECONDS, limit=500))

    def __post_init__(self, make_drainer: Callable[[ArchiveState], Drainer],
                      make_replicator: Callable[[ArchiveState], Replicator]) -> None:
        self.drainer = make_drainer(self)
        self.replicator = make_replicator(self)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, drainer: Callable[[ArchiveState], Drainer],
                    replicator: Callable[[ArchiveState], Replicator]) -> ArchiveState:
        store = LocalStore(Path(config["MEDIA_DIR"]))
        index_dir = Path(config["INDEX_DIR"])
        return cls(
            db=Database(config["DATABASE_URL"], busy_timeout_ms=int(config["SQLITE_BUSY_TIMEOUT_MS"])),
            store=store,
            derivatives_dir=Path(config["DERIVATIVES_DIR"]),
            index_dir=index_dir,
            config=config,
            indexes={name: SearchIndex(index_dir / name) for name in INDEX_NAMES},
            make_drainer=drainer,
            make_replicator=replicator,
            replicas=configured_replicas(config, store),
        )

    def search_index(self, name: str) -> SearchIndex:
        """The process's long-lived index object ("public" or "staff"); its searcher is reused."""
        return self.indexes[name]

    def close(self) -> None:
        """Stop the index updater and the replica copier, close every thread's searchers and the
        database pool (tests, and commands that end)."""
        self.drainer.stop()
        self.replicator.stop()
        for index in self.indexes.values():
            index.close()
        self.db.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session for commands: commit on success, roll back on any error."""
        session = self.db.session(write=True)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def configured_replicas(config: Mapping[str, Any], store: LocalStore) -> list[Replica]:
    """The replicas named in REPLICAS (folders and s3:// URLs); ValueError for an unusable one."""
    s3 = S3Settings(endpoint_url=config.get("S3_ENDPOINT_URL") or None,
                    addressing_style=config.get("S3_ADDRESSING_STYLE") or None,
                    temporary_dir=store.root / ".tmp")
    replicas = [open_replica(target, s3) for target in parse_targets(config.get("REPLICAS"))]
    primary = store.root.resolve()
    for replica in replicas:
        folder = Path(replica.name)
        if folder.is_absolute() and (folder == primary or primary in folder.parents or folder in primary.parents):
            raise ValueError(f"replica {replica.name}: a replica must not be inside the media store or hold it")
    return replicas


def get_state() -> ArchiveState:
    state: ArchiveState = current_app.extensions["qiaofang"]
    return state

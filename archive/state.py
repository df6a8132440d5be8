"""Per-application state: the database, the media store and the search service, built from config."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from archive.db import Database
from media import LocalStore, Replica, S3Settings, open_replica, parse_targets


@dataclass
class ArchiveState:
    db: Database
    store: LocalStore
    derivatives_dir: Path
    index_dir: Path
    config: Mapping[str, Any]
    # Second copies of the originals (QIAOFANG_REPLICAS); empty when none is configured.
    replicas: list[Replica] = field(default_factory=list)
    _indexes: dict[str, Any] = field(default_factory=dict)
    _replicator: Any = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ArchiveState:
        store = LocalStore(Path(config["MEDIA_DIR"]))
        return cls(
            db=Database(config["DATABASE_URL"], busy_timeout_ms=int(config["SQLITE_BUSY_TIMEOUT_MS"])),
            store=store,
            derivatives_dir=Path(config["DERIVATIVES_DIR"]),
            index_dir=Path(config["INDEX_DIR"]),
            config=config,
            replicas=configured_replicas(config, store),
        )

    def search_index(self, name: str) -> Any:
        """The process's long-lived index object ("public" or "staff"); its searcher is reused."""
        if name not in self._indexes:
            from search import SearchIndex

            self._indexes[name] = SearchIndex(self.index_dir / name)
        return self._indexes[name]

    def search_drainer(self) -> Any:
        """The process's background index updater (started on first use)."""
        if "drainer" not in self._indexes:
            from archive.services.searching import BackgroundDrainer

            self._indexes["drainer"] = BackgroundDrainer(self)
        return self._indexes["drainer"]

    def replicator(self) -> Any:
        """The process's background copier to the replicas (its thread starts on first notify)."""
        if self._replicator is None:
            from archive.services.replication import BackgroundReplicator

            self._replicator = BackgroundReplicator(self)
        return self._replicator

    def close(self) -> None:
        """Close this thread's searchers and the database pool (tests, and commands that end)."""
        for name, index in self._indexes.items():
            if name != "drainer":
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

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
from media import LocalStore


@dataclass
class ArchiveState:
    db: Database
    store: LocalStore
    derivatives_dir: Path
    index_dir: Path
    config: Mapping[str, Any]
    _indexes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ArchiveState:
        return cls(
            db=Database(config["DATABASE_URL"], busy_timeout_ms=int(config["SQLITE_BUSY_TIMEOUT_MS"])),
            store=LocalStore(Path(config["MEDIA_DIR"])),
            derivatives_dir=Path(config["DERIVATIVES_DIR"]),
            index_dir=Path(config["INDEX_DIR"]),
            config=config,
        )

    def search_index(self, name: str) -> Any:
        """The process's long-lived index object ("public" or "staff"); its searcher is reused."""
        if name not in self._indexes:
            from archive.search import SearchIndex

            self._indexes[name] = SearchIndex(self.index_dir / name)
        return self._indexes[name]

    def search_drainer(self) -> Any:
        """The process's background index updater (started on first use)."""
        if "drainer" not in self._indexes:
            from archive.services.searching import BackgroundDrainer

            self._indexes["drainer"] = BackgroundDrainer(self)
        return self._indexes["drainer"]

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


def get_state() -> ArchiveState:
    state: ArchiveState = current_app.extensions["qiaofang"]
    return state

"""Bringing a data folder to life: folders, schema (Alembic upgrade to head), seed vocabularies."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

if TYPE_CHECKING:
    from archive.state import ArchiveState


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(state: ArchiveState) -> str | None:
    with state.db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def is_current(state: ArchiveState) -> bool:
    return current_revision(state) == head_revision(state.db.url)


def initialise(state: ArchiveState) -> str:
    from archive.services.vocab import seed_vocabularies

    for folder in (state.store.root, state.derivatives_dir, state.index_dir):
        Path(folder).mkdir(parents=True, exist_ok=True)
    before = current_revision(state)
    config = alembic_config(state.db.url)
    with state.db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with state.transaction() as db:
        added = seed_vocabularies(db)
        from archive.services.search_aliases import seed_aliases

        aliases = seed_aliases(db)
        from archive.services.gazetteer import refresh

        places = refresh(db).added  # an upgraded archive gets entries for the places it already holds
    after = current_revision(state)
    built = _build_missing_indexes(state)
    return (f"database at {after} (was {before or 'empty'}); {added} vocabulary terms and "
            f"{aliases} romanisation aliases, {places} gazetteer entries added{built}")


def _build_missing_indexes(state: ArchiveState) -> str:
    """A new data folder gets its (empty or small) search indexes now, not on the first search."""
    from archive.services.searching import VIEWERS, all_documents

    built = [name for name in VIEWERS if state.search_index(name).health() == "missing"]
    for name in built:
        state.search_index(name).rebuild(all_documents(state, name), procs=1)
    return f"; search indexes built: {', '.join(built)}" if built else ""

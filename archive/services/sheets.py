"""Glue between the importers (files -> rows) and the archive (vocabularies, known codes, batches)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import House, ImportChange
from archive.services import Actor
from archive.services.houses import get_house
from archive.services.imports import ImportOutcome, RowPlan, new_batch
from archive.services.records import create_record
from archive.services.vocab import label_index
from importers.rows import SurveyResult
from importers.survey import read_survey_files
from importers.text import read_text_article
from importers.workbook import SheetLimits

if TYPE_CHECKING:
    from archive.state import ArchiveState

# Archive vocabulary name -> the sheet field that uses it.
SHEET_VOCABS = {"style": "style", "protection_level": "protection_level", "condition": "condition",
                "record_kind": "kind"}


def sheet_vocab(db: Session) -> dict[str, dict[str, str]]:
    index = label_index(db)
    return {field: index.get(vocab, {}) for vocab, field in SHEET_VOCABS.items()}


def read_survey_for_archive(state: ArchiveState, paths: Sequence[Path], *,
                            encoding: str | None = None) -> SurveyResult:
    """Parse survey files as one import (one workbook, or houses.csv with records.csv) against the
    archive's vocabularies and existing house codes (reads only)."""
    with state.db.session(write=False) as db:
        vocab = sheet_vocab(db)
        codes = list(db.scalars(select(House.code)))
    return read_survey_files(paths, vocab=vocab, known_house_codes=codes, encoding=encoding,
                             limits=sheet_limits(state))


def sheet_limits(state: ArchiveState) -> SheetLimits:
    config = state.config
    return SheetLimits(max_inflated_bytes=int(config["SHEET_MAX_INFLATED_MB"]) * 1024 * 1024,
                       max_rows=int(config["SHEET_MAX_ROWS"]), max_columns=int(config["SHEET_MAX_COLUMNS"]))


def import_article(
    db: Session, actor: Actor, path: Path, house_code: str, *, kind: str = "news", public: bool = False,
    encoding: str | None = None,
) -> tuple[ImportOutcome, list[str]]:
    """One text file -> one record on the house, cleaned, in its own undoable batch."""
    house = get_house(db, house_code)
    article = read_text_article(path, encoding=encoding)
    batch = new_batch(db, actor, "text", str(path))
    record = create_record(db, actor, [house], {"kind": kind, "title": article.title[:500], "body": article.body,
                                                "source": path.name, "public": public}, batch_id=batch.id)
    db.add(ImportChange(batch=batch, entity_type="record", entity_id=record.id, action="created"))
    batch.summary = {"created": 1}
    db.flush()
    cleanups = [f"{change.kind} x{change.count}" for change in article.changes]
    return ImportOutcome([RowPlan("record", None, f"{house.code} / {record.title}", "created")], batch.id), cleanups

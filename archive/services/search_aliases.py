"""The romanisation alias table (黄 = Wong, 台山 = Toishan): seeded from shipped data, edited by researchers."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import RomanisationAlias

SEED_FILE = Path(__file__).resolve().parent.parent / "search" / "data" / "romanisation.tsv"


def read_seed(path: Path = SEED_FILE) -> list[tuple[str, str, str, str | None]]:
    """Rows (chinese, spelling, kind, note) of the shipped table; '#' lines are comments."""
    rows: list[tuple[str, str, str, str | None]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        for record in csv.DictReader(lines, delimiter="\t"):
            chinese, spelling = (record.get("chinese") or "").strip(), (record.get("spelling") or "").strip()
            if chinese and spelling:
                rows.append((chinese, spelling, (record.get("kind") or "surname").strip(),
                             (record.get("note") or "").strip() or None))
    return rows


def seed_aliases(db: Session, path: Path = SEED_FILE) -> int:
    """Add shipped aliases that are missing; researchers' edits and deletions of others are kept."""
    existing = {(a.chinese, a.spelling) for a in db.scalars(select(RomanisationAlias))}
    added = 0
    for chinese, spelling, kind, note in read_seed(path):
        if (chinese, spelling) not in existing:
            db.add(RomanisationAlias(chinese=chinese, spelling=spelling, kind=kind, note=note))
            existing.add((chinese, spelling))
            added += 1
    db.flush()
    return added


def alias_rows(db: Session) -> list[tuple[str, str, str]]:
    """(chinese, spelling, kind) for the query expander."""
    return [(a.chinese, a.spelling, a.kind) for a in db.scalars(select(RomanisationAlias))]

"""The romanisation alias table (黄 = Wong, 台山 = Toishan): seeded from shipped data, edited by researchers."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import RomanisationAlias
from archive.services import Actor, NotFound, ServiceError
from archive.services.audit import record_event

ALIAS_KINDS = ("surname", "place", "term")
# The search package's own table (search.aliases.DEFAULT_TABLE), found by path so that importing this
# module does not import the search stack; `search` is installed next to `archive`.
SEED_FILE = Path(__file__).resolve().parents[2] / "search" / "data" / "romanisation.tsv"


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


def list_aliases(db: Session, text: str = "", limit: int = 500) -> list[RomanisationAlias]:
    stmt = select(RomanisationAlias).order_by(RomanisationAlias.chinese, RomanisationAlias.spelling)
    if text:
        like = f"%{text.strip()}%"
        stmt = stmt.where(RomanisationAlias.chinese.like(like) | RomanisationAlias.spelling.ilike(like))
    return list(db.scalars(stmt.limit(limit)))


def add_alias(db: Session, actor: Actor, chinese: str, spelling: str, kind: str, note: str | None) -> RomanisationAlias:
    """A new spelling for a Chinese name; searches use it from the next query on, no reindex."""
    chinese, spelling = chinese.strip(), " ".join(spelling.split())
    if not chinese or not any("\u3400" <= ch <= "\u9fff" for ch in chinese):
        raise ServiceError("alias_chinese", "chinese")
    if not spelling or not all(ch.isascii() or ch.isalpha() for ch in spelling):
        raise ServiceError("alias_spelling", "spelling")
    if kind not in ALIAS_KINDS:
        raise ServiceError("unknown_term", "kind", value=kind)
    if db.scalar(select(RomanisationAlias.id).where(RomanisationAlias.chinese == chinese,
                                                    RomanisationAlias.spelling == spelling)):
        raise ServiceError("alias_exists", "spelling", chinese=chinese, spelling=spelling)
    alias = RomanisationAlias(chinese=chinese[:40], spelling=spelling[:80], kind=kind, note=(note or None))
    db.add(alias)
    db.flush()
    record_event(db, actor, "create", alias, label=f"{chinese} = {spelling}", house_id=None,
                 changes={"alias": [None, f"{chinese} = {spelling} ({kind})"]})
    return alias


def delete_alias(db: Session, actor: Actor, alias_id: int) -> None:
    alias = db.get(RomanisationAlias, alias_id)
    if alias is None:
        raise NotFound("alias", alias_id)
    record_event(db, actor, "delete", alias, label=f"{alias.chinese} = {alias.spelling}", house_id=None,
                 changes={"alias": [f"{alias.chinese} = {alias.spelling} ({alias.kind})", None]})
    db.delete(alias)
    db.flush()

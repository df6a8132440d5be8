"""Controlled vocabularies: the seed terms, look-ups by key and by any label, and labels per locale."""

from __future__ import annotations

from collections.abc import Mapping

from opencc import OpenCC
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import VocabTerm

# (key, 简体, 繁體, English); the order is the display order.
SEED: dict[str, list[tuple[str, str, str, str]]] = {
    "style": [
        ("diaolou", "碉楼", "碉樓", "Diaolou (watchtower)"),
        ("lu", "庐", "廬", "Lu (villa)"),
        ("qilou", "骑楼", "騎樓", "Qilou (arcade shophouse)"),
        ("yanglou", "洋楼", "洋樓", "Western-style house"),
        ("zhongxi", "中西合璧", "中西合璧", "Sino-Western"),
        ("sanjian", "三间两廊", "三間兩廊", "Three bays, two corridors"),
        ("citang", "祠堂", "祠堂", "Ancestral hall"),
        ("shushi", "书室", "書室", "Study hall"),
        ("other", "其他", "其他", "Other"),
    ],
    "protection_level": [
        ("national", "全国重点文物保护单位", "全國重點文物保護單位", "Major national heritage site"),
        ("provincial", "省级文物保护单位", "省級文物保護單位", "Provincial heritage site"),
        ("municipal", "市县级文物保护单位", "市縣級文物保護單位", "City/county heritage site"),
        ("historic_building", "历史建筑", "歷史建築", "Historic building"),
        ("immovable", "不可移动文物", "不可移動文物", "Registered immovable heritage"),
        ("unlisted", "未定级", "未定級", "Not graded"),
    ],
    "condition": [
        ("A", "A 级（安全）", "A 級（安全）", "A (sound)"),
        ("B", "B 级（基本安全）", "B 級（基本安全）", "B (minor damage)"),
        ("C", "C 级（局部危险）", "C 級（局部危險）", "C (partly dangerous)"),
        ("D", "D 级（整体危险）", "D 級（整體危險）", "D (dangerous)"),
    ],
    "record_kind": [
        ("oral_history", "口述", "口述", "Oral history"),
        ("document", "文书", "文書", "Document"),
        ("letter", "侨批", "僑批", "Remittance letter (qiaopi)"),
        ("genealogy", "族谱", "族譜", "Genealogy"),
        ("inscription", "碑刻", "碑刻", "Inscription"),
        ("survey_note", "调查记录", "調查記錄", "Survey note"),
        ("news", "报道", "報道", "News report"),
        ("other", "其他", "其他", "Other"),
    ],
    "person_role": [
        ("builder", "建造者", "建造者", "Builder"),
        ("emigrant", "华侨", "華僑", "Emigrant"),
        ("owner", "产权人", "產權人", "Owner"),
        ("heir", "继承人", "繼承人", "Heir"),
        ("informant", "口述人", "口述人", "Informant"),
    ],
}

_t2s = OpenCC("t2s")


def seed_vocabularies(db: Session) -> int:
    """Insert seed terms that are missing; existing terms (possibly edited) are left alone."""
    existing = {(t.vocab, t.key) for t in db.scalars(select(VocabTerm))}
    added = 0
    for vocab, terms in SEED.items():
        for position, (key, hans, hant, en) in enumerate(terms):
            if (vocab, key) in existing:
                continue
            db.add(VocabTerm(vocab=vocab, key=key, label_zh_hans=hans, label_zh_hant=hant,
                             label_en=en, position=position))
            added += 1
    db.flush()
    return added


def terms(db: Session, vocab: str) -> list[VocabTerm]:
    stmt = select(VocabTerm).where(VocabTerm.vocab == vocab).order_by(VocabTerm.position, VocabTerm.key)
    return list(db.scalars(stmt))


def vocabularies(db: Session) -> dict[str, list[VocabTerm]]:
    """{vocab: its terms in display order}, the vocabularies in the seed's order, then any others."""
    out: dict[str, list[VocabTerm]] = {name: [] for name in SEED}
    for term in db.scalars(select(VocabTerm).order_by(VocabTerm.vocab, VocabTerm.position, VocabTerm.key)):
        out.setdefault(term.vocab, []).append(term)
    return {name: found for name, found in out.items() if found}


def labels(db: Session, locale: str) -> dict[str, dict[str, str]]:
    """{vocab: {key: label in locale}} for templates and JSON."""
    out: dict[str, dict[str, str]] = {}
    for term in db.scalars(select(VocabTerm).order_by(VocabTerm.position)):
        out.setdefault(term.vocab, {})[term.key] = term.label(locale)
    return out


def normalise_label(text: str) -> str:
    """Fold case, spaces and script so 碉樓, 碉楼 and ' Diaolou ' meet."""
    return _t2s.convert(text.strip().casefold())


def label_index(db: Session) -> dict[str, dict[str, str]]:
    """{vocab: {normalised key or label: key}}, as importers need it to read sheet values."""
    index: dict[str, dict[str, str]] = {}
    for term in db.scalars(select(VocabTerm)):
        entry = index.setdefault(term.vocab, {})
        for label in (term.key, term.label_zh_hans, term.label_zh_hant, term.label_en):
            entry[normalise_label(label)] = term.key
        # "A 级（安全）" is a display label; in a sheet people type the bare grade or "A级".
        if term.vocab == "condition":
            entry[normalise_label(term.key + "级")] = term.key
    return index


def is_term(db: Session, vocab: str, key: str) -> bool:
    return db.scalar(select(VocabTerm.id).where(VocabTerm.vocab == vocab, VocabTerm.key == key)) is not None


def key_sets(db: Session) -> Mapping[str, set[str]]:
    out: dict[str, set[str]] = {}
    for vocab, key in db.execute(select(VocabTerm.vocab, VocabTerm.key)):
        out.setdefault(vocab, set()).add(key)
    return out


def cached_key_sets(db: Session) -> Mapping[str, set[str]]:
    """key_sets, read once per session: a bulk import checks tens of thousands of rows against them."""
    if "vocab_keys" not in db.info:
        db.info["vocab_keys"] = key_sets(db)
    keys: Mapping[str, set[str]] = db.info["vocab_keys"]
    return keys

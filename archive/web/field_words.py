"""Field names and stored values as a person reads them, for the import preview and the history page.

Labels come from one catalogue: the importer's FIELD_LABELS (the survey sheet's columns, in 简体, 繁體
and English), with the archive's own columns that no sheet has added here in the same three forms.
Values: yes/no for booleans, lists joined as written (、 in Chinese, ", " in English), vocabulary keys
as their labels in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from importers.messages import FIELD_LABELS, Texts
from importers.problems import resolve_lang

_INDEX = {"zh-Hans": 0, "zh-Hant": 1, "en": 2}

# Columns of the archive that are not survey-sheet columns (same order: 简体, 繁體, English).
ARCHIVE_LABELS: dict[str, Texts] = {
    "built_text": FIELD_LABELS["built"],
    "date_text": FIELD_LABELS["date"],
    "built_from": ("建造年份（起）", "建造年份（起）", "built from (year)"),
    "built_to": ("建造年份（止）", "建造年份（止）", "built to (year)"),
    "date_from": ("年份（起）", "年份（起）", "year from"),
    "date_to": ("年份（止）", "年份（止）", "year to"),
    "published": ("公开", "公開", "published"),
    "deleted": ("已删除", "已刪除", "deleted"),
    "extra": ("其他栏目", "其他欄目", "other columns"),
    "location_precision": ("位置精度", "位置精度", "location precision"),
    "owner_public": ("公开产权人", "公開產權人", "owner public"),
    "contact_public": ("公开联系电话", "公開聯繫電話", "contact public"),
    "history_zh": ("历史", "歷史", "history (Chinese)"),
    "history_en": ("英文历史", "英文歷史", "history (English)"),
    "caption_zh": ("说明", "說明", "caption (Chinese)"),
    "caption_en": ("英文说明", "英文說明", "caption (English)"),
    "photographer": ("摄影者", "攝影者", "photographer"),
    "rights": ("版权", "版權", "rights"),
    "position": ("排序", "排序", "position"),
    "taken_at": ("拍摄时间", "拍攝時間", "taken"),
    "names_romanised": ("外文名", "外文名", "romanised names"),
    "dates_text": ("生卒", "生卒", "dates"),
    "notes": ("备注", "備註", "notes"),
    "role": ("身份", "身份", "role"),
    "note": ("备注", "備註", "note"),
    "damaged": ("损坏", "損壞", "damaged"),
}

# Which vocabulary a field's keys belong to.
VOCAB_OF = {"style": "style", "protection_level": "protection_level", "condition": "condition",
            "kind": "record_kind", "role": "person_role"}

_YES_NO = (("是", "否"), ("是", "否"), ("Yes", "No"))
_PRECISION = {"approximate": ("大致", "大致", "approximate"), "exact": ("精确", "精確", "exact")}


def _which(lang: str) -> int:
    return _INDEX[resolve_lang(lang)]


def field_label(name: str, lang: str) -> str:
    """The field's name in the reader's language; an unknown (e.g. an extra sheet column) as it is."""
    texts = FIELD_LABELS.get(name) or ARCHIVE_LABELS.get(name)
    return texts[_which(lang)] if texts else name


def field_value(name: str, value: Any, lang: str, vocab: Mapping[str, Mapping[str, str]]) -> str:
    """A stored value as a person writes it; None is empty."""
    which = _which(lang)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _YES_NO[which][0 if value else 1]
    if isinstance(value, list | tuple):
        separator = ", " if which == 2 else "、"
        return separator.join(field_value(name, item, lang, vocab) for item in value)
    if isinstance(value, dict):
        separator = "; " if which == 2 else "；"
        colon = ": " if which == 2 else "："
        return separator.join(f"{key}{colon}{field_value(str(key), item, lang, vocab)}"
                              for key, item in value.items())
    if name in VOCAB_OF and isinstance(value, str):
        return vocab.get(VOCAB_OF[name], {}).get(value, value)
    if name == "location_precision" and value in _PRECISION:
        return _PRECISION[value][which]
    return str(value)

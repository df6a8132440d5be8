"""Controlled vocabularies (styles, protection levels, condition grades, record kinds, roles)."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base


class VocabTerm(Base):
    __tablename__ = "vocab_term"
    __table_args__ = (UniqueConstraint("vocab", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocab: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))
    label_zh_hans: Mapped[str] = mapped_column(String(100))
    label_zh_hant: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str) -> str:
        if locale.startswith("zh_Hant") or locale in ("zh_TW", "zh_HK"):
            return self.label_zh_hant
        if locale.startswith("zh"):
            return self.label_zh_hans
        return self.label_en

"""Places in the reader's language (Jinja globals) and the staff gazetteer page.

``place(name, kind)`` gives a stored place or destination name in the page's language: the English
form in English, the 繁體 form in 繁體, the name as stored in 简体. Values in links and filters stay
the stored names, so URLs are the same in every language; only the labels change. ``zh(text)``
shows descriptive Chinese text (summaries, captions of vocabulary, places) in traditional script on
繁體 pages; names of houses and people are catalogue text and are never passed through it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from archive.messages import service_message
from archive.models.gazetteer import PLACE_KINDS
from archive.services import ServiceError
from archive.services import gazetteer as service
from archive.web.context import current_actor, get_db
from archive.web.guards import editor_required, staff_required
from archive.web.staff import bp


def _locale() -> str:
    """The request's locale, looked up once (a gallery page asks for it a hundred times)."""
    locale: str | None = g.get("gazetteer_locale")
    if locale is None:
        locale = g.gazetteer_locale = str(get_locale() or "zh_Hans")
    return locale


def place(name: str | None, kind: str = "village") -> str:
    """A place's label in the request's language (the table is read once per request)."""
    locale = _locale()
    if not name or locale == "zh_Hans":
        return name or ""  # the stored name is the 简体 label
    if "place_labels" not in g:
        g.place_labels = service.labels(get_db(), locale)
    return service.label(g.place_labels, locale, name, kind)


def place_tagged(name: str | None, kind: str = "village", chinese_beside: bool = False) -> Markup:
    """The label tagged with its language on English pages, optionally with the Chinese beside it.

    "Taishan (Toishan) (台山市)" in an address helps a reader match the signposts; in a list the
    English alone reads better. On Chinese pages the label is plain text in the page's language.
    """
    if not name:
        return Markup("")
    # A gallery shows the same county on most of its cards: format each label once per request.
    memo: dict[tuple[str, str, bool], Markup] = g.setdefault("place_tagged_memo", {})
    key = (name, kind, chinese_beside)
    if key not in memo:
        memo[key] = _place_tagged(name, kind, chinese_beside)
    return memo[key]


def _place_tagged(name: str, kind: str, chinese_beside: bool) -> Markup:
    text = place(name, kind)
    if not _locale().startswith("en"):
        return escape(text)
    if text == name:  # no English form: the Chinese, tagged as such
        return Markup('<span lang="{}">{}</span>').format(_tag_of(text), text)
    beside = Markup(' <span class="place-zh" lang="zh-Hans">({})</span>').format(name) if chinese_beside else ""
    return Markup('<span lang="en">{}</span>{}').format(text, beside)


def zh(text: str | None) -> str:
    """Descriptive Chinese text in the page's script: OpenCC s2tw on 繁體 pages, as written elsewhere."""
    if not text:
        return ""
    return service.to_hant(text) if _locale().startswith("zh_Hant") else text


def zh_lang() -> str:
    """The lang tag of Chinese text as the page shows it (catalogue text is stored in 简体)."""
    return "zh-Hant" if _locale().startswith("zh_Hant") else "zh-Hans"


def address_en(house: Any) -> str:
    """An English address line, smallest place first: Zili Village, Tangkou Town, Kaiping (Hoiping), Jiangmen."""
    levels = ("village", "township", "county", "city", "province")
    return ", ".join(place(house.get(kind), kind) for kind in levels if house.get(kind))


def _tag_of(text: str) -> str:
    return "zh-Hans" if service._HAN.search(text) else "en"


def install(app: Flask) -> None:
    app.jinja_env.globals.update(place=place, place_tagged=place_tagged, zh=zh, zh_lang=zh_lang, zh_tag=zh_tag,
                                  title_name=title_name, address_en=address_en)


@bp.get("/gazetteer")
@staff_required
def gazetteer() -> Any:
    kind = request.args.get("kind") or ""
    rows = service.entries(get_db(), kind if kind in PLACE_KINDS else None)
    return render_template("staff/gazetteer.html", rows=rows, kinds=PLACE_KINDS, kind=kind)


@bp.post("/gazetteer/<int:entry_id>")
@editor_required
def gazetteer_edit(entry_id: int) -> Any:
    form = request.form
    try:
        row = service.edit_entry(get_db(), current_actor(), entry_id, en=form.get("en", ""),
                                 zh_hant=form.get("zh_hant", ""))
    except ServiceError as exc:
        get_db().rollback()
        flash(service_message(exc), "error")
        return redirect(url_for("staff.gazetteer", kind=form.get("kind", "")), 303)
    flash(_("Saved %(name)s: %(en)s / %(zh_hant)s.", name=row.name, en=row.en, zh_hant=row.zh_hant), "info")
    return redirect(url_for("staff.gazetteer", kind=form.get("kind", "")) + f"#place-{row.id}", 303)


@bp.post("/gazetteer/refresh")
@editor_required
def gazetteer_refresh() -> Any:
    result = service.refresh(get_db())
    flash(_("Gazetteer refreshed: %(added)d new, %(regenerated)d regenerated, %(kept)d edited by staff kept.",
            added=result.added, regenerated=result.regenerated, kept=result.kept), "info")
    return redirect(url_for("staff.gazetteer"), 303)


def zh_tag(text: str | None) -> str:
    """The lang tag of Chinese catalogue text shown as written: its own script where it shows one."""
    if text and not service._HAN.search(text):
        return "en"
    if text and service.to_hans(text) != text:
        return "zh-Hant"
    if text and service.to_hant(text) != text:
        return "zh-Hans"
    return zh_lang()


def title_name(house: Any) -> str:
    """The house's name for titles and alt text: the English name on English pages when there is one."""
    if _locale().startswith("en") and house.get("name_en"):
        return str(house["name_en"])
    return str(house.get("name_zh") or "")

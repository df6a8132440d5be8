"""The statistics page (/statistics) and a house's printable dossier (/houses/<code>/dossier[.pdf]).

Counts come from `services.statistics` (the viewer's houses: published ones for the public,
unpublished ones too for staff); labels are put into the reader's language here (vocabulary terms,
gazetteer names), and each chart is drawn as SVG with its table beside it (`web.charts`).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _

from archive.services import dossier as dossier_service
from archive.services.statistics import (
    DEFAULT_TOWNSHIPS,
    MAX_TOWNSHIPS,
    NOT_RECORDED,
    UNKNOWN_COUNTRY,
    Statistics,
    cached_statistics,
    county_exists,
)
from archive.state import get_state
from archive.web import vocab_label
from archive.web.charts import Chart, bar_chart, locator_map
from archive.web.context import current_viewer, get_db
from archive.web.errors import error_response
from archive.web.gazetteer_views import place
from media.iiif_cache import IIIFCache

bp = Blueprint("stats", __name__)
MAX_COUNTY_CHARS = 100


def _bad(message: str) -> Any:
    abort(error_response(400, "bad_parameter", message))


def requested_county() -> str | None:
    raw = request.args.get("county")
    if raw is None or not raw.strip():
        return None
    county = raw.strip()
    if len(county) > MAX_COUNTY_CHARS or not county.isprintable():
        _bad(_("A county name has at most %(max)d characters and no control characters.", max=MAX_COUNTY_CHARS))
    return county


def requested_townships(county: str | None) -> int | None:
    """How many townships to list: `townships=all`, or a number (default: all of one county, else 25)."""
    raw = (request.args.get("townships") or "").strip()
    if not raw:
        return None if county else DEFAULT_TOWNSHIPS
    if raw == "all":
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_TOWNSHIPS:
        _bad(_("townships must be “all” or a whole number from 1 to %(max)d.", max=MAX_TOWNSHIPS))
    return int(raw)


@bp.get("/statistics")
def statistics() -> Any:
    db, viewer = get_db(), current_viewer()
    county = requested_county()
    townships = requested_townships(county)
    if county is not None and not county_exists(db, viewer, county):
        return error_response(404, "not_found", _("No house in the archive lies in %(county)s.", county=county))
    stats = cached_statistics(db, viewer, get_state().statistics_cache, county=county, townships=townships)
    return render_template("public/statistics.html", stats=stats, charts=statistics_charts(stats),
                           county=county, townships=townships)


Row = tuple[str, str, int, str | None]  # (key, label, count, link)


def statistics_charts(stats: Statistics) -> list[Chart]:
    """The page's charts, labelled in the reader's language, each row linking to its houses."""
    total = stats.total
    charts = [
        bar_chart("county", _("Houses by county"), _("County"), _county_rows(stats), total),
        bar_chart("township", _("Houses by township"), _("Township"), _township_rows(stats), total,
                  *_township_note(stats)),
        bar_chart("decade", _("Houses by decade built"), _("Decade"), _decade_rows(stats), total,
                  _("By the first year of the date as written (1920年代 counts in the 1920s).")),
    ]
    for chart_id, rows, vocab, title, column in (
        ("style", stats.by_style, "style", _("Houses by style"), _("Style")),
        ("protection_level", stats.by_protection, "protection_level", _("Houses by protection level"),
         _("Protection level")),
        ("condition", stats.by_condition, "condition", _("Houses by condition grade"), _("Condition")),
    ):
        charts.append(bar_chart(chart_id, title, column, _vocab_rows(stats, chart_id, vocab, rows), total))
    countries: list[Row] = [
        (c, _("Other or unknown country") if c == UNKNOWN_COUNTRY else place(c, "country"), n, None)
        for c, n in stats.by_country]
    charts.append(bar_chart(
        "destination", _("Houses by destination abroad"), _("Country"), countries, total,
        _("%(abroad)d of %(total)d houses name a destination abroad; a house naming two countries counts in "
          "both.", abroad=stats.houses_abroad, total=total)))
    return charts


def _not_recorded(key: str, text: str) -> str:
    return _("Not recorded") if key == NOT_RECORDED else text


def _county_rows(stats: Statistics) -> list[Row]:
    return [(c, _not_recorded(c, place(c, "county")), n,
             url_for("stats.statistics", county=c) if c != NOT_RECORDED else None) for c, n in stats.by_county]


def _township_rows(stats: Statistics) -> list[Row]:
    rows: list[Row] = []
    for (county, township), n in stats.by_township:
        label = _not_recorded(township, place(township, "township"))
        if stats.county is None:  # every county on the page: say which one
            label = f"{label} · {_not_recorded(county, place(county, 'county'))}"
        known = NOT_RECORDED not in (county, township)
        rows.append((f"{county}/{township}", label, n,
                     url_for("public.index", county=county, township=township) if known else None))
    return rows


def _decade_rows(stats: Statistics) -> list[Row]:
    return [(str(d), _("%(decade)ds", decade=d), n, None) if d is not None else
            (NOT_RECORDED, _("Not recorded"), n, None) for d, n in stats.by_decade]


def _vocab_rows(stats: Statistics, field: str, vocab: str, counts: list[tuple[str, int]]) -> list[Row]:
    """Vocabulary terms in the reader's language, each linking to the gallery filtered by it."""
    scope: dict[str, Any] = {"county": stats.county} if stats.county else {}
    return [(key, _not_recorded(key, vocab_label(vocab, key)), n,
             url_for("public.index", **{**scope, field: key}) if key != NOT_RECORDED else None)
            for key, n in counts]


def _township_note(stats: Statistics) -> tuple[str, tuple[str, str] | None]:
    shown = len(stats.by_township)
    if shown >= stats.townships_total:
        return "", None
    scope: dict[str, Any] = {"county": stats.county} if stats.county else {}
    href = url_for("stats.statistics", townships="all", **scope)
    return (_("The %(shown)d townships with most houses, of %(total)d.", shown=shown, total=stats.townships_total),
            (href + "#township", _("List all %(num)d townships", num=stats.townships_total)))


@bp.get("/houses/<code>/dossier")
def dossier(code: str) -> Any:
    return render_template("public/dossier.html", pdf=False, **_dossier_context(code))


# Drawn PDFs are kept on disk (DATA/dossier-cache, least recently used out past this size), named
# by the hash of the HTML they are drawn from, the stylesheets and the renderer: a dossier is drawn
# again only when something it shows changed (or the day printed on it).
DOSSIER_CACHE_BYTES = 256 * 1024 * 1024


@bp.record_once
def _attach(setup: BlueprintSetupState) -> None:
    data = Path(setup.app.config["DATA"])
    setup.app.extensions["qiaofang_dossiers"] = IIIFCache(data / "dossier-cache", DOSSIER_CACHE_BYTES,
                                                          suffix=".pdf")


@bp.get("/houses/<code>/dossier.pdf")
def dossier_pdf(code: str) -> Any:
    # WeasyPrint takes about a second to import (python -X importtime): only this view pays for
    # it, not every start of the app and every CLI command.
    from archive.web.dossier_pdf import RENDERER, LocalFetcher, render_pdf

    context = _dossier_context(code)
    html = render_template("public/dossier.html", pdf=True, **context)
    static = Path(current_app.static_folder or "static")
    digest = hashlib.sha256("\0".join((RENDERER, _stylesheets(static), html)).encode()).hexdigest()
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", code)
    headers = {"Content-Disposition": f'inline; filename="{safe_name}-dossier.pdf"'}
    if current_viewer().sees_private:
        headers["Cache-Control"] = "private, no-store"
    if request.if_none_match.contains(digest):
        return Response(status=304, headers={**headers, "ETag": f'"{digest}"'})
    cache: IIIFCache = current_app.extensions["qiaofang_dossiers"]
    body = cache.read(digest, "dossier")
    if body is None:
        fetcher = LocalFetcher(static, get_state().derivatives_dir,
                               dossier_service.derivative_names(context["dossier"].photos))
        body = render_pdf(html, request.host_url, fetcher)
        cache.write(digest, "dossier", body)
    response = Response(body, mimetype="application/pdf", headers=headers)
    response.set_etag(digest)
    return response


@lru_cache(maxsize=4)
def _stylesheets(static: Path) -> str:
    """A fingerprint of the stylesheets a dossier is drawn with (they change with a new release)."""
    digest = hashlib.sha256()
    for path in sorted((static / "css").glob("*.css")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _dossier_context(code: str) -> dict[str, Any]:
    found = dossier_service.house_dossier(get_db(), current_viewer(), code, current_app.config["MAP_TILES_CRS"])
    locator = None
    if found.point is not None:
        locator = locator_map((found.point.lat, found.point.lon), found.neighbours)
    return {"dossier": found, "house": found.house, "locator": locator,
            "printed": datetime.now(UTC).strftime("%Y-%m-%d"),
            "house_url": url_for("public.house", code=code, _external=True)}

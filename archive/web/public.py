"""The public gallery: published houses in a grid with filters, and house pages."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, url_for

from archive import access
from archive.models import Record
from archive.services import catalogue
from archive.services.houses import COORD_DECIMALS, HouseFilters, gallery_facets, list_houses
from archive.state import get_state
from archive.web.context import current_viewer, get_db
from archive.web.paging import past_the_end, requested_page

bp = Blueprint("public", __name__)
_RANGE_DASHES = re.compile("[-—―~～至到]")


@bp.app_template_filter("coordinate")
def coordinate(value: float) -> str:
    """As a survey sheet may give it back: a re-import of this value changes nothing."""
    return f"{value:.{COORD_DECIMALS}f}"


@bp.app_template_filter("added_years")
def added_years(text: str | None, year_from: int | None, year_to: int | None) -> str:
    """The parsed year range, when it says more than the date as written ('' for '1918-1920' itself).

    民国十五年 -> 1926 and 1920年代 -> 1920–1929 help a reader; 1918-1920 (1918–1920) only repeats.
    """
    if not year_from:
        return ""
    years = str(year_from) if not year_to or year_to == year_from else f"{year_from}–{year_to}"
    written = unicodedata.normalize("NFKC", text or "").replace(" ", "").rstrip("年")
    written = _RANGE_DASHES.sub("–", written).replace("年–", "–")
    return "" if written == years else years


@bp.get("/")
def index() -> Any:
    db, viewer = get_db(), current_viewer()
    filters = HouseFilters.from_mapping(request.args)
    page = list_houses(db, viewer, filters, page=requested_page(), per_page=24)
    if (elsewhere := past_the_end(page.page, page.pages)) is not None:
        return elsewhere
    houses = [access.house_data(viewer, h) for h in page.items]
    covers = catalogue.cover_photos(db, viewer, [h.id for h in page.items])
    facets = gallery_facets(db, viewer, filters, get_state().facet_cache)
    return render_template("public/index.html", houses=houses, covers=covers, page=page,
                           filters=filters.values, facets=with_active(facets, filters.values),
                           active=active_filters(filters.values))


def with_active(facets: dict[str, list[tuple[str, int]]], active: dict[str, str]) -> dict[str, list[tuple[str, int]]]:
    """Each select keeps its chosen value, with a count of 0 when no house has it under the other
    filters (otherwise the browser shows the first option, 'All', for a filter that is on)."""
    out = dict(facets)
    for name, value in active.items():
        if name in out and value not in {v for v, _ in out[name]}:
            out[name] = [(value, 0), *out[name]]
    return out


def active_filters(active: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, value, the gallery's address without this filter) for each filter that is on."""
    out = []
    for name, value in active.items():
        others: dict[str, Any] = {k: v for k, v in active.items() if k != name}
        out.append((name, value, url_for("public.index", **others)))
    return out


@bp.get("/houses/<code>")
def house(code: str) -> Any:
    viewer = current_viewer()
    detail = catalogue.house_detail(get_db(), viewer, code)  # NotFound: a 404 page (web/errors.py)
    records = sorted(detail.records, key=lambda r: (r.date_from or 9999, r.id))
    people = [(access.person_data(viewer, role.person), role.role) for role in detail.roles]
    return render_template(
        "public/house.html", house=access.house_data(viewer, detail.house), photos=detail.photos,
        records=[access.record_data(viewer, r) for r in records], people=people,
        location_hidden=not access.house_location_visible(viewer, detail.house),
    )


@bp.get("/records/<int:record_id>")
def record(record_id: int) -> Any:
    db, viewer = get_db(), current_viewer()
    found = db.get(Record, record_id)
    if found is None or not access.record_visible(viewer, found):
        abort(404)
    houses = [access.house_data(viewer, h) for h in found.houses if access.house_visible(viewer, h)]
    return render_template("public/record.html", record=access.record_data(viewer, found), houses=houses)


# Crawlers may read the gallery and house pages; staff pages, the API, logins and the search page
# (an endless space of query and facet combinations) are not for them; originals are staff-only.
ROBOTS = """User-agent: *
Disallow: /staff/
Disallow: /api/
Disallow: /login
Disallow: /search
Disallow: /media/original/
Allow: /
"""


@bp.get("/robots.txt")
def robots() -> Any:
    # The Sitemap line must be an absolute URL (sitemaps.org), so it names the host asked for.
    return Response(f"{ROBOTS}Sitemap: {request.host_url}sitemap.xml\n", mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon() -> Any:
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel=icon> says.
    static = current_app.static_folder or "static"
    return send_from_directory(static, "img/favicon.ico", mimetype="image/x-icon", max_age=86400)

"""Open data doors: CSV and GeoJSON downloads, sitemap.xml, and the JSON-LD of house pages.

Downloads are always the public view (whoever asks: a shared link must not hand out more than
the page it came from shows to the public) and stream from a session of their own, so a large
selection is written as it is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from itertools import islice
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, request, stream_with_context
from markupsafe import Markup
from sqlalchemy import ColumnElement

from archive import access
from archive.models import House
from archive.services import catalogue, open_data
from archive.services.houses import FILTER_FIELDS, HouseFilters
from archive.services.oai_xml import stamp
from archive.services.searching import run_search
from archive.state import get_state
from archive.web.context import get_db
from search import FACETS, SearchQuery

bp = Blueprint("open_data", __name__)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# A search selection is collected page by page from the index; beyond this many houses the
# download stops (each further page costs a search): the gallery filters have no such limit.
SEARCH_DOWNLOAD_LIMIT = 10_000


def _site() -> str:
    return request.host_url.rstrip("/")


def _selection() -> list[ColumnElement[bool]]:
    """The gallery filters (?county=...), or the houses a search (?q=..., facets) finds."""
    searched = (request.args.get("q") or any(request.args.get(name) for name in FACETS if name not in FILTER_FIELDS)
                or any(len(request.args.getlist(name)) > 1 for name in FACETS))
    if searched:
        return [House.code.in_(_search_codes())]
    return [getattr(House, name) == value for name, value in HouseFilters.from_mapping(request.args).values.items()]


def _search_codes() -> list[str]:
    text = (request.args.get("q") or "")[:500]
    filters = {name: [v for v in request.args.getlist(name) if v][:20] for name in FACETS}
    codes: list[str] = []
    page = 1
    while len(codes) < SEARCH_DOWNLOAD_LIMIT:
        query = SearchQuery(text=text, filters={k: v for k, v in filters.items() if v}, page=page,
                            per_page=100, facets=False, highlight=False, items_per_house=1)
        results = run_search(get_state(), access.PUBLIC, query)
        if results is None:
            abort(503)
        codes.extend(hit.house_code for hit in results.hits)
        if page >= results.pages:
            break
        page += 1
    return codes[:SEARCH_DOWNLOAD_LIMIT]


def _stream(chunks: Any, mimetype: str, filename: str) -> Response:
    def generate() -> Iterator[str]:
        # A session of the download's own: the request's is closed when the view returns.
        with get_state().db.session(write=False) as db:
            yield from chunks(db)

    return Response(stream_with_context(generate()), mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-cache"})


@bp.get("/data/houses.csv")
def houses_csv() -> Any:
    stmt = open_data.house_query(access.PUBLIC, _selection())
    return _stream(lambda db: open_data.house_csv_rows(db, access.PUBLIC, stmt), "text/csv", "houses.csv")


@bp.get("/data/records.csv")
def records_csv() -> Any:
    stmt = open_data.house_query(access.PUBLIC, _selection())
    return _stream(lambda db: open_data.record_csv_rows(db, access.PUBLIC, stmt), "text/csv", "records.csv")


@bp.get("/data/houses.geojson")
def houses_geojson() -> Any:
    stmt = open_data.house_query(access.PUBLIC, _selection())
    site = _site()
    return _stream(lambda db: open_data.geojson_chunks(db, stmt, site), "application/geo+json",
                   "houses.geojson")


def _page_size() -> int:
    return max(1, int(current_app.config.get("SITEMAP_PAGE_SIZE", 50_000)))


@bp.get("/sitemap.xml")
def sitemap() -> Any:
    """One urlset, or a sitemap index when there are more URLs than one sitemap may hold."""
    size, site = _page_size(), _site()
    total = open_data.sitemap_count(get_db())
    if total <= size:
        return _sitemap_page(1, size)
    pages = -(-total // size)
    body = "".join(f"<sitemap><loc>{site}/sitemap-{n}.xml</loc></sitemap>" for n in range(1, pages + 1))
    return Response(f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">'
                    f"{body}</sitemapindex>\n", mimetype="application/xml")


@bp.get("/sitemap-<int:number>.xml")
def sitemap_page(number: int) -> Any:
    size = _page_size()
    if number < 1 or (number - 1) * size >= open_data.sitemap_count(get_db()):
        abort(404)
    return _sitemap_page(number, size)


def _sitemap_page(number: int, size: int) -> Response:
    site = _site()

    def chunks(db: Any) -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">'
        with closing(open_data.sitemap_entries(db)) as entries:
            for path, changed in islice(entries, (number - 1) * size, number * size):
                lastmod = f"<lastmod>{stamp(changed)}</lastmod>" if changed else ""
                yield f"<url><loc>{escape(site + quote(path))}</loc>{lastmod}</url>"
        yield "</urlset>\n"

    def generate() -> Iterator[str]:
        with get_state().db.session(write=False) as db:
            yield from chunks(db)

    return Response(stream_with_context(generate()), mimetype="application/xml")


@bp.app_template_global()
def house_jsonld(code: str) -> Markup:
    """The schema.org JSON-LD of a public house for its page (empty for a house the public cannot see)."""
    db = get_db()
    house = catalogue.find_visible_house(db, access.PUBLIC, code)
    if house is None:
        return Markup("")
    doc = open_data.house_jsonld(house, open_data.VillagePositions(db, only=house), _site())
    # '<' escaped so no value can close the script element.
    text = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 (JSON escaped above)

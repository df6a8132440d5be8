"""Search: the gallery's search page (facets, highlights, grouped by house) and GET /api/search."""

from __future__ import annotations

from typing import Any

from flask import jsonify, make_response, render_template, request, url_for
from flask_babel import gettext as _

from archive.services.searching import run_search
from archive.state import get_state
from archive.web import api, public
from archive.web.context import current_viewer
from archive.web.errors import error_response
from archive.web.paging import past_the_end, requested_page
from search import FACETS, SearchQuery, SearchResults

SORTS = ("relevance", "date", "date_desc")
MAX_QUERY = 500


def parse_query(per_page_default: int = 20) -> SearchQuery:
    text = (request.args.get("q") or "")[:MAX_QUERY]
    filters = {name: [v for v in request.args.getlist(name) if v][:20] for name in FACETS}
    sort = request.args.get("sort", "relevance")
    return SearchQuery(
        text=text, filters={k: v for k, v in filters.items() if v},
        page=requested_page(), per_page=api.int_arg("per_page", per_page_default, 1, 100),
        sort=sort if sort in SORTS else "relevance",  # type: ignore[arg-type]
    )


def item_url(item_id: str, house_code: str) -> str:
    kind, _sep, rest = item_id.partition(":")
    if kind == "record" and rest.isdigit():
        return url_for("public.record", record_id=int(rest))
    return url_for("public.house", code=house_code)


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "total": results.total, "total_items": results.total_items, "page": results.page,
        "per_page": results.per_page, "pages": results.pages, "fallback_used": results.fallback_used,
        "notes": results.query_notes,
        "hits": [{
            "house_code": hit.house_code, "type": "house", "title": hit.house_name,
            "snippet": hit.items[0].snippet if hit.items else "", "url": url_for("public.house", code=hit.house_code),
            "item_count": hit.item_count,
            "items": [{"id": i.id, "type": i.type, "title": i.title, "snippet": i.snippet,
                       "url": item_url(i.id, hit.house_code), "year": i.date_year} for i in hit.items],
        } for hit in results.hits],
        "facets": {name: [{"value": v, "count": c} for v, c in values] for name, values in results.facets.items()},
    }


def unavailable() -> Any:
    return error_response(503, "search_rebuilding",
                          _("Search is being rebuilt; please try again in a minute."))


@api.bp.get("/search")
def api_search() -> Any:
    query = parse_query()
    results = run_search(get_state(), current_viewer(), query)
    if results is None:
        return unavailable()
    if (refusal := past_the_end(query.page, results.pages)) is not None:
        return refusal
    return jsonify({"query": query.text, **results_json(results)})


@public.bp.get("/search")
def search() -> Any:
    query = parse_query()
    results = run_search(get_state(), current_viewer(), query) if (query.text or query.filters) else None
    if results is None and (query.text or query.filters):
        return make_response(render_template("public/search.html", query=query, results=None, rebuilding=True), 503)
    if results is not None and (elsewhere := past_the_end(query.page, results.pages)) is not None:
        return elsewhere
    return render_template("public/search.html", query=query, results=results, rebuilding=False,
                           item_url=item_url)

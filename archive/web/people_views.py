"""People and diaspora pages: a person (/people/<id>), families (/families, /families/<surname>/<village>)
and the destinations abroad with their map (/destinations, data at /destinations.json).

Person and family pages follow the viewer (staff see private people and unpublished houses, as on
house pages); the destinations page and its JSON are the public view whoever asks, like the map.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from archive.messages import service_message
from archive.services import ServiceError
from archive.services import diaspora as diaspora_service
from archive.services import people as people_service
from archive.web.context import current_viewer, get_db
from archive.web.gazetteer_views import place
from archive.web.map_views import map_settings

bp = Blueprint("people", __name__)


@bp.get("/people/<int:person_id>")
def person(person_id: int) -> Any:
    page = people_service.person_page(get_db(), current_viewer(), person_id)
    return render_template("public/person.html", page=page, person=page.person, jsonld=_person_jsonld(page))


@bp.get("/families")
def families() -> Any:
    county = (request.args.get("county") or "").strip() or None
    entries = people_service.families(get_db(), current_viewer(), county)
    counties, _decades = diaspora_service.filter_choices(get_db())
    return render_template("public/families.html", families=entries, county=county, counties=counties)


@bp.get("/families/<surname>/<village>")
def family(surname: str, village: str) -> Any:
    page = people_service.family_page(get_db(), current_viewer(), surname, village)
    return render_template("public/family.html", page=page)


def _filters() -> tuple[diaspora_service.DestinationFilters, str | None]:
    """The page's filters, or no filters and the message saying why the ones asked for were refused."""
    try:
        return diaspora_service.DestinationFilters.from_mapping(request.args), None
    except ServiceError as exc:
        return diaspora_service.DestinationFilters(), service_message(exc)


@bp.get("/destinations")
def destinations() -> Any:
    filters, error = _filters()
    counties, decades = diaspora_service.filter_choices(get_db())
    found = None if error else diaspora_service.destinations(get_db(), filters, current_app.config["MAP_TILES_CRS"])
    body = render_template("public/destinations.html", found=found, filters=filters, error=error,
                           counties=counties, decades=decades, settings=map_settings(),
                           per_place=None if filters.place else HOUSES_PER_PLACE)
    return body, 400 if error else 200


# Houses listed under each place on the destinations page; the rest are one link away (?place=),
# so the page stays small however many houses a province's survey holds.
HOUSES_PER_PLACE = 12


@bp.get("/destinations.json")
def destinations_json() -> Any:
    try:
        filters = diaspora_service.DestinationFilters.from_mapping(request.args)
    except ServiceError as exc:
        error = {"error": {"code": exc.code, "message": service_message(exc)}}
        return Response(json.dumps(error, ensure_ascii=False), status=400, mimetype="application/json")
    crs = current_app.config["MAP_TILES_CRS"]
    found = diaspora_service.destinations(get_db(), filters, crs)
    body = json.dumps(_compact(found, crs), ensure_ascii=False, separators=(",", ":"))
    return Response(body, mimetype="application/json", headers={"Cache-Control": "public, max-age=60"})


def _compact(found: diaspora_service.Destinations, crs: str) -> dict[str, Any]:
    """The map's data: places abroad and home villages (labels in the request's language) and the lines."""
    return {
        "crs": crs,
        "destinations": [{
            "key": p.place.key, "country": p.place.country, "city": p.place.city,
            "label": place(p.place.name, "destination"), "lat": p.place.lat, "lon": p.place.lon,
            "houses": len(p.houses)} for p in found.places],
        "villages": [{"name": v.name, "label": place(v.name, "village"), "county": v.county,
                      "lat": v.lat, "lon": v.lon, "houses": len(v.houses)} for v in found.villages],
        "lines": [[village, key, count] for village, key, count in found.lines],
    }


def _person_jsonld(page: people_service.PersonPage) -> Markup:
    """schema.org Person for a public person's page (nothing for a private one, whom only staff see)."""
    if "public" in page.person and not page.person["public"]:
        return Markup("")
    url = request.host_url.rstrip("/") + url_for("people.person", person_id=page.person["id"])
    doc: dict[str, Any] = {"@context": "https://schema.org", "@type": "Person", "@id": url, "url": url,
                           "name": page.person["name_zh"]}
    if page.names:
        doc["alternateName"] = page.names
    text = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 (JSON escaped above)


@bp.app_template_global("family_name")
def family_name(surname: str) -> str:
    """A lineage surname in the page's language: 关 on Chinese pages, "Guan (关)" on English ones."""
    if str(get_locale() or "").startswith("en"):
        return f"{people_service.surname_en(surname)} ({surname})"
    return surname


@bp.app_template_global("family_url")
def family_url(house: dict[str, Any]) -> str | None:
    """The family page of a house (lineage surname + village), or None when the house lacks either."""
    link = people_service.house_family_link(house)
    return url_for("people.family", surname=link[0], village=link[1]) if link else None


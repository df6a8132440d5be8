"""JSON API reads beside the houses: records, people, photos, places, vocabularies, and the OpenAPI
description of the whole API. Lists page by keyset (`after` = the `next_after` of the page before).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import get_locale

from archive import access
from archive.models import House, Person, PersonRole, Photo, Record
from archive.services import NotFound, ServiceError, catalogue, places, vocab
from archive.web import api_spec
from archive.web.api import (
    bp,
    house_ref,
    id_after,
    next_links,
    per_page_arg,
    photo_json,
    text_arg,
)
from archive.web.context import current_viewer, get_db

MAX_PLACE = 100  # the place columns' length (models/house.py)


def house_arg() -> House | None:
    """The house named by `?house=CODE`, when the viewer may see it; a 400 otherwise."""
    code = request.args.get("house")
    if not code:
        return None
    try:
        return catalogue.visible_house(get_db(), current_viewer(), code)
    except NotFound:
        raise ServiceError("unknown_house", "house", code=code) from None


def record_json(viewer: access.Viewer, record: Record, houses: list[House]) -> dict[str, Any]:
    return {**access.record_data(viewer, record), "houses": [house_ref(h) for h in houses],
            "url": url_for("api.record", record_id=record.id, _external=True)}


def person_json(viewer: access.Viewer, person: Person, roles: list[PersonRole]) -> dict[str, Any]:
    return {**access.person_data(viewer, person),
            "roles": [{"role": r.role, "note": r.note, "house": house_ref(r.house)} for r in roles],
            "url": url_for("api.person", person_id=person.id, _external=True)}


def listed_photo_json(viewer: access.Viewer, photo: Photo) -> dict[str, Any]:
    return {**photo_json(viewer, photo), "house": photo.house.code,
            "url": url_for("api.photo", photo_id=photo.id, _external=True)}


@bp.get("/records")
def records() -> Any:
    db, viewer = get_db(), current_viewer()
    page = catalogue.records_after(db, viewer, id_after(), per_page_arg(), house=house_arg(),
                                   kind=request.args.get("kind") or None)
    houses = catalogue.record_houses_seen(db, viewer, [r.id for r in page.items])
    return jsonify({"per_page": page.per_page, **next_links(page),
                    "records": [record_json(viewer, r, houses.get(r.id, [])) for r in page.items]})


@bp.get("/records/<int:record_id>")
def record(record_id: int) -> Any:
    db, viewer = get_db(), current_viewer()
    found, photos = catalogue.visible_record(db, viewer, record_id)
    houses = catalogue.record_houses_seen(db, viewer, [found.id]).get(found.id, [])
    return jsonify({**record_json(viewer, found, houses), "photos": [listed_photo_json(viewer, p) for p in photos]})


@bp.get("/people")
def people() -> Any:
    db, viewer = get_db(), current_viewer()
    page = catalogue.people_after(db, viewer, id_after(), per_page_arg(), house=house_arg())
    roles = catalogue.person_roles_seen(db, viewer, [p.id for p in page.items])
    return jsonify({"per_page": page.per_page, **next_links(page),
                    "people": [person_json(viewer, p, roles.get(p.id, [])) for p in page.items]})


@bp.get("/people/<int:person_id>")
def person(person_id: int) -> Any:
    db, viewer = get_db(), current_viewer()
    found = catalogue.visible_person(db, viewer, person_id)
    return jsonify(person_json(viewer, found, catalogue.person_roles_seen(db, viewer, [found.id]).get(found.id, [])))


@bp.get("/photos")
def photos() -> Any:
    db, viewer = get_db(), current_viewer()
    page = catalogue.photos_after(db, viewer, id_after(), per_page_arg(), house=house_arg())
    return jsonify({"per_page": page.per_page, **next_links(page),
                    "photos": [listed_photo_json(viewer, p) for p in page.items]})


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int) -> Any:
    viewer = current_viewer()
    return jsonify(listed_photo_json(viewer, catalogue.visible_photo(get_db(), viewer, photo_id)))


def place_json(place: places.Place) -> dict[str, Any]:
    filters = {"county": place.county, "township": place.township, "village": place.village}
    return {
        "level": place.level, "name": place.name, "name_zh_hant": place.name_zh_hant, "name_en": place.name_en,
        "county": place.county, "township": place.township or None, "houses": place.houses,
        "houses_url": url_for("api.houses", **{k: v for k, v in filters.items() if v and k in
                                               places.LEVELS[: places.LEVELS.index(place.level) + 1]},
                              _external=True),
    }


@bp.get("/places")
def place_list() -> Any:
    level = request.args.get("level") or "county"
    page = places.places_after(
        get_db(), current_viewer(), level, text_arg("after", 2000), per_page_arg(),
        county=text_arg("county", MAX_PLACE) or None, township=text_arg("township", MAX_PLACE) or None)
    return jsonify({"level": level, "per_page": page.per_page, **next_links(page),
                    "places": [place_json(p) for p in page.items]})


def term_json(term: Any) -> dict[str, Any]:
    return {"key": term.key, "label_zh_hans": term.label_zh_hans, "label_zh_hant": term.label_zh_hant,
            "label_en": term.label_en, "label": term.label(str(get_locale() or "zh_Hans"))}


@bp.get("/vocabularies")
def vocabularies() -> Any:
    found = vocab.vocabularies(get_db())
    return jsonify({"vocabularies": [{"name": name, "terms": [term_json(t) for t in terms]}
                                     for name, terms in found.items()]})


@bp.get("/vocabularies/<name>")
def vocabulary(name: str) -> Any:
    terms = vocab.vocabularies(get_db()).get(name)
    if not terms:
        raise NotFound("vocabulary", name)
    return jsonify({"name": name, "terms": [term_json(t) for t in terms]})


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(api_spec.document())

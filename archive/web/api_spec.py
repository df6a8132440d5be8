"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Written by hand (the views are plain Flask functions, no schema library) from the same field lists
that archive/access.py projects through, so a field added there without a type here fails at
import time. Objects are closed (`additionalProperties: false`): the tests validate every
endpoint's real answers against this document (openapi-core) and let schemathesis probe it, so a
field the document does not name is a failure, never an undocumented extra.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from archive import access
from archive.services.catalogue import MAX_CODE
from archive.services.houses import FILTER_FIELDS
from archive.web.api import MAX_ID, MAX_PER_PAGE
from archive.web.paging import MAX_PAGE
from media.derivatives import DERIVATIVE_SIZES
from search import FACETS

S: dict[str, Any] = {"type": "string"}
S_NULL: dict[str, Any] = {"type": ["string", "null"]}
INT: dict[str, Any] = {"type": "integer"}
INT_NULL: dict[str, Any] = {"type": ["integer", "null"]}
NUM_NULL: dict[str, Any] = {"type": ["number", "null"]}
BOOL: dict[str, Any] = {"type": "boolean"}
STRINGS: dict[str, Any] = {"type": "array", "items": S}
URL: dict[str, Any] = {"type": "string", "format": "uri"}


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def closed(properties: dict[str, Any], required: list[str] | tuple[str, ...] = (), **more: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False, **more}


HOUSE_TYPES: dict[str, dict[str, Any]] = {
    "code": S, "name_zh": S, "name_en": S_NULL, "aliases": STRINGS, "destinations": STRINGS,
    "built_from": INT_NULL, "built_to": INT_NULL, "storeys": INT_NULL,
    "lat": NUM_NULL, "lon": NUM_NULL,
    "published": BOOL, "owner_public": BOOL, "contact_public": BOOL, "location_public": BOOL,
    "extra": {"type": "object"},
    **dict.fromkeys((
        "province", "city", "county", "township", "village", "built_text", "builder", "family", "style",
        "materials", "protection_level", "condition", "current_use", "custody", "summary_zh", "summary_en",
        "history_zh", "history_en", "address", "location_precision", "owner", "owner_contact"), S_NULL),
}
HOUSE_NOTES = {
    "code": "The house's stable code, e.g. KP-TK-ZL-001.",
    "address": "Only when the house's location is public, or for staff.",
    "lat": "WGS84; only when the house's location is public, or for staff.",
    "lon": "WGS84; only when the house's location is public, or for staff.",
    "owner": "Only where an editor made it public, or for staff.",
    "owner_contact": "Only where an editor made it public, or for staff.",
    "style": "A key of the `style` vocabulary.",
    "protection_level": "A key of the `protection_level` vocabulary.",
    "condition": "A key of the `condition` vocabulary (A-D).",
}


def house_properties() -> dict[str, Any]:
    names = (*access.HOUSE_PUBLIC_FIELDS, *access.HOUSE_LOCATION_FIELDS, *access.HOUSE_STAFF_ONLY_FIELDS)
    return {name: {**HOUSE_TYPES[name], **({"description": HOUSE_NOTES[name]} if name in HOUSE_NOTES else {})}
            for name in names}


def schemas() -> dict[str, Any]:
    house = house_properties()
    photo = {
        "id": INT, "caption_zh": S_NULL, "caption_en": S_NULL, "photographer": S_NULL, "rights": S_NULL,
        "width": INT_NULL, "height": INT_NULL, "position": INT,
        # staff only
        "original_name": S, "sha256": S, "size": INT, "mime": S,
        "taken_at": {"type": ["string", "null"], "format": "date-time"}, "lat": NUM_NULL, "lon": NUM_NULL,
        "camera": S_NULL, "public": BOOL, "damaged": BOOL, "damage_reason": S_NULL,
        "urls": closed({**dict.fromkeys(DERIVATIVE_SIZES, URL),
                        "original": {**URL, "description": "Staff and researchers only."}},
                       list(DERIVATIVE_SIZES)),
    }
    record = {
        "id": INT, "kind": {**S, "description": "A key of the `record_kind` vocabulary."}, "title": S,
        "body": S_NULL, "date_text": S_NULL, "date_from": INT_NULL, "date_to": INT_NULL, "source": S_NULL,
        # staff only
        "public": BOOL, "contributor": S_NULL, "extra": {"type": "object"},
    }
    person = {"id": INT, "name_zh": S, "names_romanised": S_NULL, "destinations": STRINGS, "dates_text": S_NULL,
              "notes": S_NULL, "public": BOOL}
    keyset = {
        "per_page": INT,
        "next_after": {"type": ["string", "null"],
                       "description": "Pass as `after` for the next page; null on the last page."},
        "next": {"type": ["string", "null"], "format": "uri", "description": "The next page's URL, or null."},
    }
    return {
        "Error": closed({"error": closed({"code": S, "message": {
            **S, "description": "In the caller's language (Accept-Language or ?lang=)."}}, ["code", "message"])},
            ["error"]),
        "House": closed(house, ["code", "name_zh"]),
        "HouseListItem": closed({**house, "url": URL}, ["code", "name_zh", "url"]),
        "HouseRef": closed({"code": S, "name_zh": S, "name_en": S_NULL, "url": URL}, ["code", "name_zh", "url"]),
        "HousePage": closed({
            "total": INT, "page": INT, "per_page": INT, "pages": INT,
            "next_after": {"type": ["string", "null"], "description": "The last code of this page when there "
                           "is a page after it: pass it as `after` to go on by keyset."},
            "houses": {"type": "array", "items": ref("HouseListItem")},
        }, ["total", "page", "per_page", "pages", "next_after", "houses"]),
        "HouseKeysetPage": closed({**keyset, "after": S, "houses": {"type": "array", "items": ref("HouseListItem")}},
                                  ["per_page", "after", "next_after", "next", "houses"]),
        "HouseDetail": closed({
            **house,
            "photos": {"type": "array", "items": ref("Photo")},
            "records": {"type": "array", "items": closed(record, ["id", "kind", "title"])},
            "people": {"type": "array", "items": closed({**person, "role": S}, ["id", "name_zh", "role"])},
        }, ["code", "name_zh", "photos", "records", "people"]),
        "Photo": closed(photo, ["id", "position", "urls"]),
        "PhotoListItem": closed({**photo, "house": {**S, "description": "The house's code."}, "url": URL},
                                ["id", "position", "urls", "house", "url"]),
        "PhotoPage": closed({**keyset, "photos": {"type": "array", "items": ref("PhotoListItem")}},
                            ["per_page", "next_after", "next", "photos"]),
        "Record": closed({**record, "houses": {"type": "array", "items": ref("HouseRef")}, "url": URL},
                         ["id", "kind", "title", "houses", "url"]),
        "RecordDetail": closed({**record, "houses": {"type": "array", "items": ref("HouseRef")}, "url": URL,
                                "photos": {"type": "array", "items": ref("PhotoListItem")}},
                               ["id", "kind", "title", "houses", "url", "photos"]),
        "RecordPage": closed({**keyset, "records": {"type": "array", "items": ref("Record")}},
                             ["per_page", "next_after", "next", "records"]),
        "Person": closed({**person, "url": URL, "roles": {"type": "array", "items": closed(
            {"role": {**S, "description": "A key of the `person_role` vocabulary."}, "note": S_NULL,
             "house": ref("HouseRef")}, ["role", "house"])}}, ["id", "name_zh", "roles", "url"]),
        "PersonPage": closed({**keyset, "people": {"type": "array", "items": ref("Person")}},
                             ["per_page", "next_after", "next", "people"]),
        "Place": closed({
            "level": {"enum": ["county", "township", "village"]}, "name": S,
            "name_zh_hant": {**S, "description": "From the gazetteer (繁體)."},
            "name_en": {**S, "description": "From the gazetteer (English)."},
            "county": S, "township": S_NULL, "houses": {**INT, "description": "Houses the caller may see."},
            "houses_url": URL,
        }, ["level", "name", "name_zh_hant", "name_en", "county", "township", "houses", "houses_url"]),
        "PlacePage": closed({**keyset, "level": S, "places": {"type": "array", "items": ref("Place")}},
                            ["level", "per_page", "next_after", "next", "places"]),
        "Term": closed({"key": S, "label_zh_hans": S, "label_zh_hant": S, "label_en": S,
                        "label": {**S, "description": "In the caller's language."}},
                       ["key", "label_zh_hans", "label_zh_hant", "label_en", "label"]),
        "Vocabulary": closed({"name": S, "terms": {"type": "array", "items": ref("Term")}}, ["name", "terms"]),
        "Vocabularies": closed({"vocabularies": {"type": "array", "items": ref("Vocabulary")}}, ["vocabularies"]),
        "SearchResults": closed({
            "query": S, "total": INT, "total_items": INT, "page": INT, "per_page": INT, "pages": INT,
            "fallback_used": BOOL, "notes": STRINGS,
            "hits": {"type": "array", "items": closed({
                "house_code": S, "type": S, "title": S, "snippet": {**S, "description": "HTML; matches in <mark>."},
                "url": S, "item_count": INT,
                "items": {"type": "array", "items": closed({
                    "id": S, "type": S, "title": S, "snippet": S, "url": S, "year": INT_NULL},
                    ["id", "type", "title", "snippet", "url"])},
            }, ["house_code", "title", "items"])},
            "facets": {"type": "object", "additionalProperties": {"type": "array", "items": closed(
                {"value": S, "count": INT}, ["value", "count"])}},
        }, ["query", "total", "page", "per_page", "pages", "hits", "facets"]),
        "Upload": closed({"photo": ref("UploadedPhoto"), "warnings": {"type": "array", "items": closed(
            {"code": {"enum": ["damaged", "near_copy"]}, "message": S}, ["code", "message"])}},
            ["photo", "warnings"]),
        "UploadedPhoto": closed({**photo, "house": S}, ["id", "position", "urls", "house"]),
    }


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def ok(schema: str, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PER_PAGE = query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
                 "Items per page.")
ID_AFTER = query("after", {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                 "Keyset cursor: the `next_after` of the page before (the last id it held); absent or 0 for the "
                 "first page.")
HOUSE_FILTER = query("house", {"type": "string", "minLength": 1},
                     "Only those of this house (its code); 400 `unknown_house` when the caller may not see it.")
BAD = error("A parameter is not valid (`bad_parameter`, `bad_cursor`, `unknown_term`, `unknown_house`, "
            "`page_out_of_range`).")
NOT_FOUND = error("Not found, or not visible to the caller (`not_found`).")
UNAUTHORISED = error("The bearer token is missing, wrong or revoked (`invalid_token`).")


def get(summary: str, params: list[dict[str, Any]], schema: str, *, not_found: bool = False,
        example: str = "") -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok(schema), "400": BAD, "401": UNAUTHORISED}
    if not_found:
        responses["404"] = NOT_FOUND
    description = f"Example: `{example}`" if example else ""
    return {"get": {"summary": summary, "description": description, "parameters": params, "responses": responses}}


def path_param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def house_filters() -> list[dict[str, Any]]:
    return [query(name, {"type": "string"}, f"Only houses whose {name} is this value.") for name in FILTER_FIELDS]


def paths() -> dict[str, Any]:
    page_param = query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                       "Page number (with `total` and `pages` in the answer); not with `after`.")
    house_per_page = query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 24},
                           "Houses per page.")
    code_after = query("after", {"type": "string", "maxLength": MAX_CODE},
                       "Keyset cursor: the last code of the page before (`next_after`); empty for the first page. "
                       "With it the answer has no `total`, and every page costs what the first does.")
    houses = get("Houses the caller may see, in code order", [page_param, house_per_page, code_after,
                                                               *house_filters()],
                 "HousePage", example="/api/houses?county=开平市&per_page=50")
    houses["get"]["responses"]["200"] = {
        "description": "A numbered page, or a keyset page when `after` is given.",
        "content": {"application/json": {"schema": {"oneOf": [ref("HousePage"), ref("HouseKeysetPage")]}}},
    }
    upload = {"post": {
        "summary": "Upload a photo of a house (editors)", "security": [{"bearer": []}],
        "parameters": [path_param("code", {"type": "string", "minLength": 1})],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "sha256": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
                "public": {"type": "string"}, "position": {"type": "string"}}}}}},
        "responses": {"201": ok("Upload", "Stored"), "400": BAD, "401": UNAUTHORISED,
                      "403": error("Only editors may upload (`forbidden`)."), "404": NOT_FOUND,
                      "409": error("This house already has these exact bytes (`duplicate_photo`)."),
                      "413": error("Too large."), "415": error("Not an accepted image."),
                      "422": error("Too many pixels."), "429": error("Too many requests.")},
    }}
    search_params = [
        query("q", {"type": "string", "maxLength": 500},
              "Words in 简体, 繁體, English, pinyin or Cantonese spellings."),
        query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number."),
        query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}, "Houses per page."),
        query("sort", {"enum": ["relevance", "date", "date_desc"]}, "Order."),
        *(query(name, {"type": "string"}, f"Facet filter on {name}.") for name in FACETS),
    ]
    search = get("Search houses and their items", search_params, "SearchResults", example="/api/search?q=碉楼")
    search["get"]["responses"]["503"] = error("The search index is being rebuilt (`search_rebuilding`).")
    return {
        "/api/houses": houses,
        "/api/houses/{code}": get("One house with the photos, records and people the caller may see",
                                  [path_param("code", {"type": "string", "minLength": 1})], "HouseDetail",
                                  not_found=True, example="/api/houses/KP-TK-ZL-001"),
        "/api/houses/{code}/photos": upload,
        "/api/records": get("Records (oral histories, letters, documents ...) in id order", [
            PER_PAGE, ID_AFTER, HOUSE_FILTER,
            query("kind", {"type": "string"}, "Only this kind (a key of the `record_kind` vocabulary).")],
            "RecordPage", example="/api/records?kind=letter&per_page=20"),
        "/api/records/{record_id}": get("One record", [path_param("record_id", {"type": "integer", "minimum": 0})],
                                        "RecordDetail", not_found=True, example="/api/records/12"),
        "/api/people": get("People linked to houses, in id order", [PER_PAGE, ID_AFTER, HOUSE_FILTER],
                           "PersonPage", example="/api/people?house=KP-TK-ZL-001"),
        "/api/people/{person_id}": get("One person with their roles", [
            path_param("person_id", {"type": "integer", "minimum": 0})], "Person", not_found=True,
            example="/api/people/3"),
        "/api/photos": get("Photos in id order, with their derivative URLs", [PER_PAGE, ID_AFTER, HOUSE_FILTER],
                           "PhotoPage", example="/api/photos?after=200"),
        "/api/photos/{photo_id}": get("One photo", [path_param("photo_id", {"type": "integer", "minimum": 0})],
                                      "PhotoListItem", not_found=True, example="/api/photos/7"),
        "/api/places": get("Counties, townships or villages with the number of houses in each", [
            query("level", {"enum": ["county", "township", "village"], "default": "county"}, "Which level."),
            query("county", {"type": "string", "maxLength": 100}, "Only places in this county."),
            query("township", {"type": "string", "maxLength": 100}, "Only places in this township."),
            PER_PAGE,
            query("after", {"type": "string", "maxLength": 2000},
                  "Keyset cursor: the `next_after` of the page before (opaque)."),
        ], "PlacePage", example="/api/places?level=village&county=开平市"),
        "/api/vocabularies": get("Every controlled vocabulary with its terms", [], "Vocabularies",
                                 example="/api/vocabularies"),
        "/api/vocabularies/{name}": get("One vocabulary", [path_param("name", {"type": "string", "minLength": 1})],
                                        "Vocabulary", not_found=True, example="/api/vocabularies/style"),
        "/api/search": search,
        "/api/openapi.json": {"get": {"summary": "This document", "responses": {
            "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    }


@cache
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Qiaofang Archive (侨房档案) JSON API", "version": "1.0.0",
            "description": (
                "Read the catalogue of overseas-Chinese heritage houses. Anonymous callers get the public "
                "view; `Authorization: Bearer TOKEN` gets that user's view (staff see unpublished houses, "
                "private records, people and photos, and private fields). Lists page by keyset: pass the "
                "`next_after` of one page as `after` to get the next; `/api/houses` also pages by number."),
        },
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A token from `qiaofang token create NAME`."}},
        },
        "security": [{}, {"bearer": []}],
        "paths": paths(),
    }

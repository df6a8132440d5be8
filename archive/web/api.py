"""The JSON API: anonymous = the public view; `Authorization: Bearer TOKEN` = that user's view."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask_babel import gettext as _

from archive import access
from archive.models import House, Photo
from archive.services import catalogue, users
from archive.services.catalogue import MAX_ID
from archive.services.houses import HouseFilters, list_houses
from archive.services.paging import KeysetPage
from archive.state import get_state
from archive.web.context import SAFE_METHODS, current_viewer, get_db, lookup
from archive.web.errors import error_response
from archive.web.paging import past_the_end, requested_page

bp = Blueprint("api", __name__)
MAX_PER_PAGE = 200
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,30}")


def authenticate_bearer() -> Any:
    """App-wide: a request carrying `Authorization: Bearer` is that token's user (API and media)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, token = header.partition(" ")
    row = lookup(users.token_for_bearer, token.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        return error_response(401, "invalid_token", _("The API token is missing, wrong or revoked."))
    if users.token_use_due(row):
        # Its own short transaction, before the request's: `token list` shows when it was last used.
        with get_state().transaction() as db:
            users.mark_token_used(db, row.id)
    g.api_viewer = access.Viewer(row.user.id, row.user.username, row.user.role)
    return None


@bp.before_request
def require_token_for_writes() -> Any:
    if g.get("api_viewer") is None and request.method not in SAFE_METHODS:
        # Writes need a token: a cookie alone could be a cross-site request.
        return error_response(401, "token_required", _("This call needs an API token."))
    return None


@bp.before_request
def refuse_nul_characters() -> Any:
    """A NUL character can be in no stored value, and PostgreSQL refuses it in a query: say so."""
    given = [*request.args.values(), *(str(v) for v in (request.view_args or {}).values())]
    if any("\x00" in value for value in given):
        return error_response(400, "bad_parameter", _("Parameters may not contain NUL characters."))
    return None


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not WHOLE_NUMBER.fullmatch(raw):  # int() would also take " 5", "+5", "5_000" and "٥"
        abort(error_response(400, "bad_parameter", _("%(name)s must be a whole number.", name=name)))
    value = int(raw)
    if not low <= value <= high:
        abort(error_response(400, "bad_parameter",
                             _("%(name)s must be between %(min)s and %(max)s.", name=name, min=low, max=high)))
    return value


def photo_json(viewer: access.Viewer, photo: Photo) -> dict[str, Any]:
    from archive.web.media_views import photo_urls

    return {**access.photo_data(viewer, photo), **photo_urls(viewer, photo)}


def text_arg(name: str, max_length: int) -> str:
    """A free-text argument ("" when absent); longer than `max_length` is a 400, not a silent cut."""
    value = request.args.get(name, "")
    if len(value) > max_length:
        abort(error_response(400, "bad_parameter",
                             _("%(name)s may have at most %(max)d characters.", name=name, max=max_length)))
    return value


def per_page_arg(default: int = 50) -> int:
    return int_arg("per_page", default, 1, MAX_PER_PAGE)


def id_after() -> int:
    """The `after` of a list in id order: the last id of the page before (0 = from the first)."""
    return int_arg("after", 0, 0, MAX_ID)


def next_links(page: KeysetPage[Any]) -> dict[str, Any]:
    """The cursor of the page after this one and its full URL (both None on the last page)."""
    if page.next_after is None:
        return {"next_after": None, "next": None}
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "page"}
    args.update(request.view_args or {}, after=page.next_after, _external=True)
    url = url_for(request.endpoint or "api.houses", **args)
    return {"next_after": page.next_after, "next": url}


def house_ref(house: House) -> dict[str, Any]:
    """How an item names a house it belongs to (one the viewer sees)."""
    return {"code": house.code, "name_zh": house.name_zh, "name_en": house.name_en,
            "url": url_for("api.house", code=house.code, _external=True)}


def house_json(viewer: access.Viewer, house: House) -> dict[str, Any]:
    return {**access.house_data(viewer, house), "url": url_for("api.house", code=house.code, _external=True)}


@bp.get("/houses")
def houses() -> Any:
    """Pages by number (`page`, with `total`), or by keyset (`after`: the last code of the page before)."""
    db, viewer = get_db(), current_viewer()
    filters = HouseFilters.from_mapping(request.args)
    per_page = int_arg("per_page", 24, 1, MAX_PER_PAGE)
    if "after" in request.args:
        if "page" in request.args:
            abort(error_response(400, "bad_parameter", _("Give either page or after, not both.")))
        after = text_arg("after", catalogue.MAX_CODE)
        keyset = catalogue.houses_after(db, viewer, filters, after, per_page)
        return jsonify({"per_page": per_page, "after": after, **next_links(keyset),
                        "houses": [house_json(viewer, h) for h in keyset.items]})
    page = list_houses(db, viewer, filters, page=requested_page(), per_page=per_page)
    if (refusal := past_the_end(page.page, page.pages)) is not None:
        return refusal
    more = page.page < page.pages and page.items
    return jsonify({
        "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages,
        "next_after": page.items[-1].code if more else None,
        "houses": [house_json(viewer, h) for h in page.items],
    })


@bp.get("/houses/<code>")
def house(code: str) -> Any:
    viewer = current_viewer()
    found = catalogue.house_detail(get_db(), viewer, code)
    return jsonify({
        **access.house_data(viewer, found.house),
        "photos": [photo_json(viewer, p) for p in found.photos],
        "records": [access.record_data(viewer, r) for r in found.records],
        "people": [{**access.person_data(viewer, r.person), "role": r.role} for r in found.roles],
    })

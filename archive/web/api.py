"""The JSON API: anonymous = the public view; `Authorization: Bearer TOKEN` = that user's view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from archive import access
from archive.models import Person, PersonRole, Photo
from archive.services import users
from archive.services.houses import HouseFilters, get_house, list_houses
from archive.state import get_state
from archive.web.context import SAFE_METHODS, current_viewer, get_db, lookup
from archive.web.errors import error_response
from archive.web.paging import past_the_end, requested_page

bp = Blueprint("api", __name__)
MAX_PER_PAGE = 200


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


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(error_response(400, "bad_parameter", _("%(name)s must be a whole number.", name=name)))
    if not low <= value <= high:
        abort(error_response(400, "bad_parameter",
                             _("%(name)s must be between %(min)s and %(max)s.", name=name, min=low, max=high)))
    return value


def photo_json(viewer: access.Viewer, photo: Photo) -> dict[str, Any]:
    from archive.web.media_views import photo_urls

    return {**access.photo_data(viewer, photo), **photo_urls(viewer, photo)}


@bp.get("/houses")
def houses() -> Any:
    db, viewer = get_db(), current_viewer()
    page_no = requested_page()
    per_page = int_arg("per_page", 24, 1, MAX_PER_PAGE)
    page = list_houses(db, viewer, HouseFilters.from_mapping(request.args), page=page_no, per_page=per_page)
    if (refusal := past_the_end(page.page, page.pages)) is not None:
        return refusal
    return jsonify({
        "total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages,
        "houses": [
            {**access.house_data(viewer, h), "url": url_for("api.house", code=h.code, _external=True)}
            for h in page.items
        ],
    })


@bp.get("/houses/<code>")
def house(code: str) -> Any:
    db, viewer = get_db(), current_viewer()
    found = get_house(db, code)
    if not access.house_visible(viewer, found):
        abort(404)
    people = db.scalars(select(PersonRole).join(Person).where(
        PersonRole.house_id == found.id, access.person_filter(viewer)))
    return jsonify({
        **access.house_data(viewer, found),
        "photos": [photo_json(viewer, p) for p in found.photos if access.photo_visible(viewer, p)],
        "records": [access.record_data(viewer, r) for r in found.records if access.record_visible(viewer, r)],
        "people": [{**access.person_data(viewer, r.person), "role": r.role} for r in people],
    })

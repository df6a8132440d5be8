"""Photo uploads: the staff page (one file per request, several in flight) and the JSON API."""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _

from archive import access
from archive.messages import media_message, service_message
from archive.services import NotFound, ServiceError
from archive.services import houses as house_service
from archive.services import photos as photo_service
from archive.state import get_state
from archive.web import api
from archive.web.context import current_actor, current_viewer, get_db, lookup
from archive.web.errors import error_response
from archive.web.forms import form_flag
from archive.web.guards import editor_required
from archive.web.staff import bp as staff_bp
from media import MediaError, clean_original_name

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
MEDIA_STATUS = {"empty": 400, "hash_mismatch": 400, "too_large": 413, "not_image": 415, "unreadable": 415,
                "format_not_allowed": 415, "decompression_bomb": 422}


def upload_photo(code: str) -> Any:
    """Store one uploaded file for a house and answer in JSON (201 with the photo, or a 4xx error)."""
    house_id = lookup(house_service.live_house_id, code)
    if house_id is None:
        return error_response(404, "not_found", _("No house has the code %(code)s.", code=code))
    public = form_flag("public")  # a bad value is refused before any byte is stored
    upload = request.files.get("file")
    if upload is None:
        return error_response(400, "no_file", _("Send the photo in a form field named 'file'."))
    expected = (request.form.get("sha256") or request.headers.get("X-Content-SHA256") or "").strip() or None
    if expected is not None and not SHA256.match(expected):
        return error_response(400, "bad_sha256", _("The sha256 given is not 64 hexadecimal digits."))
    state = get_state()
    try:
        staged = photo_service.stage_upload(
            state.store, state.derivatives_dir, upload.stream,  # type: ignore[arg-type]
            clean_original_name(upload.filename or ""),
            expected_sha256=expected.lower() if expected else None,
            max_bytes=int(state.config["MAX_UPLOAD_MB"]) * 1024 * 1024,
        )
    except MediaError as exc:
        return error_response(MEDIA_STATUS.get(exc.code, 400), exc.code, media_message(exc))
    # Only now, with the bytes safe on disk, does the request open its write transaction.
    db = get_db()
    try:
        house = house_service.get_house_by_id(db, house_id)
    except NotFound:  # moved to the trash while the file was arriving; the staged bytes are kept
        return error_response(404, "not_found", _("No house has the code %(code)s.", code=code))
    position = request.form.get("position", "")
    try:
        outcome = photo_service.record_photo(
            db, current_actor(), house, staged, public=public,
            position=int(position) if position.isdigit() and len(position) < 7 else None,
            replicas=[replica.name for replica in state.replicas],
        )
    except ServiceError as exc:  # the same bytes are already this house's photo: nothing recorded
        return error_response(409, exc.code, service_message(exc))
    return make_response(jsonify(photo_outcome_json(outcome)), 201)


def photo_outcome_json(outcome: photo_service.PhotoOutcome) -> dict[str, Any]:
    viewer = current_viewer()
    warnings = []
    if outcome.photo.damaged:
        warnings.append({"code": "damaged", "message": _(
            "The file is damaged (%(reason)s); it is kept exactly as uploaded.",
            reason=outcome.photo.damage_reason or "?")})
    if outcome.near_copies:
        names = ", ".join(p.original_name for p in outcome.near_copies[:3])
        warnings.append({"code": "near_copy", "message": _(
            "This looks like a copy of a photo this house already has: %(names)s.", names=names)})
    return {"photo": {**api.photo_json(viewer, outcome.photo), "house": outcome.photo.house.code},
            "warnings": warnings}


@api.bp.post("/houses/<code>/photos")
def api_upload(code: str) -> Any:
    if not current_viewer().can_edit:
        return error_response(403, "forbidden", _("Only editors may upload photos."))
    return upload_photo(code)


@staff_bp.post("/houses/<code>/photos")
@editor_required
def staff_upload(code: str) -> Any:
    return upload_photo(code)


@staff_bp.get("/houses/<code>/photos/upload")
@editor_required
def photo_upload(code: str) -> Any:
    db = get_db()
    house = house_service.get_house(db, code)
    return render_template("staff/upload.html", house=access.house_data(current_viewer(), house),
                           max_mb=get_state().config["MAX_UPLOAD_MB"],
                           next_position=photo_service.next_position(db, house))

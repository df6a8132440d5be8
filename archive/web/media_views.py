"""Photo files: public derivatives (content-addressed, cached for a year), originals for staff only.

Neither is sent unchecked. An original is hashed before it is sent, and the very file handle that
was hashed is the one sent; one whose bytes no longer match its sha256 (or that is missing or
unreadable) is withheld with a 409 page and raises an alarm for staff. Hashing on every download
costs about 30-100 ms for a 40 MB original (benchmarks/fixity.py), small beside sending 40 MB, and
no cache of "already verified" is kept: bit rot changes no inode, size or mtime, so a cache keyed
on them would keep vouching for bytes that have since rotted. A derivative gets a cheap test
(JPEG markers, header, dimensions); a bad one is remade from the original, or the answer is 404."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for
from flask_babel import gettext as _

from archive import access
from archive.models import Photo
from archive.services import catalogue
from archive.services.fixity import record_read_alarm
from archive.state import get_state
from archive.web.context import current_viewer, get_db
from archive.web.errors import error_response
from media import DERIVATIVE_SIZES, MediaError, derivative_path, derivative_problem, process_original
from media.fixity import check_blob, open_verified

bp = Blueprint("media", __name__)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
YEAR = 365 * 24 * 3600


def photo_urls(viewer: access.Viewer, photo: Photo) -> dict[str, Any]:
    urls: dict[str, Any] = {
        name: url_for("media.derivative", sha256=photo.sha256, name=name, _external=True)
        for name in DERIVATIVE_SIZES
    }
    if access.original_visible(viewer, photo):
        urls["original"] = url_for("media.original", photo_id=photo.id, _external=True)
    return {"urls": urls}


@bp.get("/media/d/<sha256>/<name>.jpg")
def derivative(sha256: str, name: str) -> Any:
    """Anyone may fetch derivatives of public photos of published houses; others are 404 to them."""
    if not SHA256.match(sha256) or name not in DERIVATIVE_SIZES:
        abort(404)
    viewer = current_viewer()
    photo = catalogue.visible_photo_by_sha256(get_db(), viewer, sha256)
    if photo is None or photo.damaged:  # a damaged original has no derivatives
        abort(404)
    state = get_state()
    path = derivative_path(state.derivatives_dir, sha256, name)
    displayed = (photo.width, photo.height) if photo.width and photo.height else None
    problem = derivative_problem(path, name, displayed)
    if problem is not None:
        if problem != "missing":
            current_app.logger.warning("derivative %s of %s is %s: remade from the original", name, sha256, problem)
        regenerate(state, sha256, name)
        if derivative_problem(path, name, displayed) is not None:
            abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True, etag=f"{sha256}-{name}")
    # The URL names the bytes, so a public derivative never changes: cache it for a year.
    # One visible only to staff must not enter a shared cache.
    if catalogue.visible_photo_by_sha256(get_db(), access.PUBLIC, sha256) is not None:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def regenerate(state: Any, sha256: str, name: str) -> None:
    """Remake a lost or bad derivative from its original (derived data is rebuildable at any
    time), only from an original whose bytes still hash to its name."""
    if check_blob(state.store, sha256, None).problem is not None:
        abort(404)
    try:
        process_original(state.store.path_for(sha256), state.derivatives_dir, sha256, names=[name])
    except MediaError:
        abort(404)


@bp.get("/media/original/<int:photo_id>")
def original(photo_id: int) -> Any:
    """Originals keep their EXIF and GPS: staff and researchers only, always as a download."""
    photo = get_db().get(Photo, photo_id)
    viewer = current_viewer()
    if photo is None or not access.original_visible(viewer, photo):
        abort(404)
    try:
        stream, size = open_verified(get_state().store, photo.sha256)
    except MediaError as exc:
        return withhold_original(photo, exc)
    response = send_file(stream, mimetype="application/octet-stream", as_attachment=True,
                         download_name=photo.original_name, conditional=False, etag=photo.sha256)
    response.content_length = size
    response.make_conditional(request, accept_ranges=True, complete_length=size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


ALARM_KINDS = {"hash_mismatch": "changed", "missing": "missing", "unreadable": "unreadable"}


def raise_read_alarm(photo: Photo, exc: MediaError, when: str) -> None:
    """Log an original that failed its fixity check as it was read (``exc`` from
    media.fixity.open_verified) and record a staff alarm (shown on the dashboard) for it."""
    kind = ALARM_KINDS.get(exc.code, "unreadable")
    found = (f"bytes hash to {exc.params['actual']} ({exc.params['size']} bytes)" if "actual" in exc.params
             else exc.message)
    current_app.logger.error("original %s (photo %s) withheld %s: %s: %s", photo.sha256, photo.id, when, kind,
                             exc.message)
    try:
        with get_state().transaction() as db:
            record_read_alarm(db, photo.sha256, kind, f"{when} of photo {photo.id}: {found}")
    except Exception:  # the request must still refuse the bytes if the alarm cannot be written
        current_app.logger.exception("the fixity alarm for %s could not be recorded", photo.sha256)


def withhold_original(photo: Photo, exc: MediaError) -> Response:
    """Answer 409 instead of bytes that fail their fixity check, log it and raise a staff alarm.

    409 Conflict, not 5xx: the request is sound and the server did not crash; the stored
    resource is in a state that stops the request (damaged bytes), which a repair clears (then the
    same request succeeds). Not 404 or 410: the photo exists, staff must not be told it is gone,
    and both of those may be cached without being told to; 409 may not.
    """
    raise_read_alarm(photo, exc, "on download")
    response = error_response(409, "original_damaged", _(
        "This original failed its integrity check, so it is withheld rather than sent damaged. "
        "Staff have been alerted; it can be restored from a replica or a backup."))
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""Photo files: public derivatives (content-addressed, cached for a year), originals for staff only."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, send_file, url_for
from sqlalchemy import select

from archive import access
from archive.models import House, Photo
from archive.state import get_state
from archive.web.context import current_viewer, get_db
from media import DERIVATIVE_SIZES, MediaError, derivative_path, process_original

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


def _visible_photo_with(sha256: str, viewer: access.Viewer) -> Photo | None:
    stmt = (select(Photo).join(House)
            .where(Photo.sha256 == sha256, access.photo_filter(viewer), access.house_filter(viewer))
            .limit(1))
    return get_db().scalar(stmt)


@bp.get("/media/d/<sha256>/<name>.jpg")
def derivative(sha256: str, name: str) -> Any:
    """Anyone may fetch derivatives of public photos of published houses; others are 404 to them."""
    if not SHA256.match(sha256) or name not in DERIVATIVE_SIZES:
        abort(404)
    viewer = current_viewer()
    photo = _visible_photo_with(sha256, viewer)
    if photo is None or photo.damaged:  # a damaged original has no derivatives
        abort(404)
    state = get_state()
    path = derivative_path(state.derivatives_dir, sha256, name)
    if not path.exists():
        regenerate(state, sha256, name)
    response = send_file(path, mimetype="image/jpeg", conditional=True, etag=f"{sha256}-{name}")
    # The URL names the bytes, so a public derivative never changes: cache it for a year.
    # One visible only to staff must not enter a shared cache.
    if _visible_photo_with(sha256, access.PUBLIC) is not None:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def regenerate(state: Any, sha256: str, name: str) -> None:
    """Remake a lost derivative from its original (derived data is rebuildable at any time)."""
    original = state.store.local_path(sha256)
    if original is None or not original.exists():
        abort(404)
    try:
        process_original(original, state.derivatives_dir, sha256, names=[name])
    except MediaError:
        abort(404)
    if not derivative_path(state.derivatives_dir, sha256, name).exists():
        abort(404)


@bp.get("/media/original/<int:photo_id>")
def original(photo_id: int) -> Any:
    """Originals keep their EXIF and GPS: staff and researchers only, always as a download."""
    photo = get_db().get(Photo, photo_id)
    viewer = current_viewer()
    if photo is None or not access.original_visible(viewer, photo):
        abort(404)
    path = get_state().store.local_path(photo.sha256)
    if path is None or not path.exists():
        abort(404)
    response = send_file(path, mimetype="application/octet-stream", as_attachment=True,
                         download_name=photo.original_name, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

"""Staff photo management: captions, public flag, order, soft delete, and the house's location from GPS."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from archive.models import Photo
from archive.services import NotFound
from archive.services import photos as photo_service
from archive.services.houses import get_house, update_house
from archive.web.context import current_actor, get_db
from archive.web.forms import form_flag
from archive.web.guards import editor_required
from archive.web.staff import bp


def _photo(photo_id: int) -> Photo:
    try:
        return photo_service.get_photo(get_db(), photo_id)
    except NotFound:
        abort(404)


@bp.post("/photos/<int:photo_id>")
@editor_required
def photo_edit(photo_id: int) -> Any:
    photo = _photo(photo_id)
    values: dict[str, object] = {
        "caption_zh": (request.form.get("caption_zh") or "").strip()[:2000] or None,
        "caption_en": (request.form.get("caption_en") or "").strip()[:2000] or None,
        "public": form_flag("public"),
    }
    photo_service.update_photo(get_db(), current_actor(), photo, values)
    flash(_("Photo saved."), "info")
    return redirect(url_for("public.house", code=photo.house.code))


@bp.post("/photos/<int:photo_id>/<any(delete, restore):action>")
@editor_required
def photo_action(photo_id: int, action: str) -> Any:
    photo = _photo(photo_id)
    photo_service.set_photo_deleted(get_db(), current_actor(), photo, action == "delete")
    return redirect(url_for("public.house", code=photo.house.code))


@bp.post("/houses/<code>/use-photo-location")
@editor_required
def use_photo_location(code: str) -> Any:
    db = get_db()
    house = get_house(db, code)
    point = photo_service.photo_location(db, house)
    if point is None or house.lat is not None:
        flash(_("There is no photo location to use."), "error")
    else:
        update_house(db, current_actor(), house, {"lat": point[0], "lon": point[1], "location_precision": "photo"})
        flash(_("The house now has the location where its photos were taken."), "info")
    return redirect(url_for("public.house", code=code))

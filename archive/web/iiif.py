"""IIIF: Image API 3.0 (level 1) for public photos, Presentation API 3.0 manifests, a deep-zoom page.

URLs (every one of them 404 for a photo or house the public may not see, the same 404 as for
one that does not exist):

- ``/iiif/3/<photo id>/info.json`` and ``/iiif/3/<photo id>/{region}/{size}/{rotation}/{quality}.jpg``
  (``/iiif/3/<photo id>`` redirects to its info.json);
- ``/iiif/3/house/<code>/manifest.json`` and its canvases ``/iiif/3/house/<code>/canvas/<photo id>``;
- ``/iiif/3/collection.json`` (and ``/iiif/3/collection/<page>.json`` when there are many houses);
- ``/photos/<photo id>/zoom``: the photo in OpenSeadragon, fed by the info.json.

IIIF documents and images are public data meant for other sites' viewers, hence CORS ``*``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _

from archive import access
from archive.services import iiif as service
from archive.state import get_state
from archive.web.context import get_db
from archive.web.media_views import ALARM_KINDS, raise_read_alarm
from media import MediaError
from media.fixity import open_verified
from media.iiif import IMAGE_CONTEXT, IIIFRequestError, image_info, plan_request
from media.iiif_cache import IIIFCache
from media.iiif_render import IIIFImages

bp = Blueprint("iiif", __name__)
MAX_AGE = 3600  # an hour: a photo made private leaves shared caches that soon


def make_images(config: Mapping[str, Any]) -> IIIFImages:
    """The app's IIIF image maker: a disk cache under DATA/iiif-cache of QIAOFANG_IIIF_CACHE_MB (1024),
    and QIAOFANG_IIIF_DECODED_MB (160) of recent decodes in memory per process."""
    megabyte = 1024 * 1024
    cache = IIIFCache(Path(config["DATA"]) / "iiif-cache", int(config.get("IIIF_CACHE_MB", 1024)) * megabyte)
    return IIIFImages(cache, decoded_bytes=int(config.get("IIIF_DECODED_MB", 160)) * megabyte)


@bp.record_once
def _attach(setup: BlueprintSetupState) -> None:
    # Built once per app as it registers this blueprint (in create_app), never at import time.
    setup.app.extensions["qiaofang_iiif"] = make_images(setup.app.config)


def images() -> IIIFImages:
    made: IIIFImages = current_app.extensions["qiaofang_iiif"]
    return made


def links() -> service.Links:
    def ext(endpoint: str, **values: Any) -> str:
        return url_for(endpoint, _external=True, **values)

    return service.Links(
        image_service=lambda photo_id: ext("iiif.image_base", photo_id=photo_id),
        canvas=lambda code, photo_id: ext("iiif.canvas", code=code, photo_id=photo_id),
        manifest=lambda code: ext("iiif.manifest", code=code),
        collection=lambda page: ext("iiif.collection") if page is None else ext("iiif.collection_page", page=page),
        house_page=lambda code: ext("public.house", code=code),
        house_json=lambda code: ext("api.house", code=code),
        thumbnail=lambda sha256: ext("media.derivative", sha256=sha256, name="thumb"),
    )


def _messages() -> dict[str, str]:
    return {
        "iiif_region": _("The region must be full, square, x,y,w,h or pct:x,y,w,h, with no negative numbers."),
        "iiif_region_empty": _("The region has a width or height of 0."),
        "iiif_region_outside": _("The region lies outside the image."),
        "iiif_size": _("The size must be max, w, ,h, w,h, !w,h or pct:n."),
        "iiif_size_zero": _("The size asks for a width or height of 0."),
        "iiif_upscale": _("The size is larger than the region; images are not enlarged."),
        "iiif_too_large": _("The size is larger than this server makes (see maxWidth, maxHeight and maxArea)."),
        "iiif_rotation": _("Only rotation 0 is offered."),
        "iiif_quality": _("The quality must be default, color or gray."),
        "iiif_format": _("The format must be jpg."),
    }


def _error(status: int, code: str, message: str) -> Any:
    return make_response(jsonify({"error": {"code": code, "message": message}}), status)


def _not_found() -> Any:
    return _error(404, "not_found", _("Not found."))


def _json_ld(document: dict[str, Any], context: str) -> Any:
    response = jsonify(document)
    # The specifications ask for JSON-LD with the context as profile when the client asks for it.
    if request.accept_mimetypes["application/ld+json"] > request.accept_mimetypes["application/json"]:
        response.headers["Content-Type"] = f'application/ld+json;profile="{context}"'
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.vary.add("Accept")
    return response


@bp.after_request
def _cors(response: Any) -> Any:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/iiif/3/<int:photo_id>")
def image_base(photo_id: int) -> Any:
    if service.public_photo(get_db(), photo_id) is None:
        return _not_found()
    return redirect(url_for("iiif.info", photo_id=photo_id, _external=True), 303)


@bp.get("/iiif/3/<int:photo_id>/info.json")
def info(photo_id: int) -> Any:
    photo = service.public_photo(get_db(), photo_id)
    if photo is None:
        return _not_found()
    base = url_for("iiif.image_base", photo_id=photo_id, _external=True)
    document = image_info(base, (int(photo.width or 0), int(photo.height or 0)), images().size_limits)
    return _json_ld(document, IMAGE_CONTEXT)


@contextlib.contextmanager
def _verified_original(sha256: str) -> Iterator[BinaryIO]:
    """The original's bytes, hashed before Pillow sees them (media.fixity.open_verified)."""
    stream, _size = open_verified(get_state().store, sha256)
    with stream:
        yield stream


@bp.get("/iiif/3/<int:photo_id>/<region>/<size>/<rotation>/<quality_format>")
def image(photo_id: int, region: str, size: str, rotation: str, quality_format: str) -> Any:
    photo = service.public_photo(get_db(), photo_id)
    if photo is None:
        return _not_found()
    maker = images()
    try:
        plan = plan_request((int(photo.width or 0), int(photo.height or 0)), region, size, rotation,
                            quality_format, maker.size_limits)
        data = maker.image(photo.sha256, plan, lambda: _verified_original(photo.sha256))
    except IIIFRequestError as exc:
        return _error(400, exc.code, _messages()[exc.code])
    except MediaError as exc:
        # A changed, missing or undecodable original is never served; a failed fixity check raises
        # the same staff alarm as on download (archive.web.media_views).
        if exc.code in ALARM_KINDS:
            raise_read_alarm(photo, exc, "in an IIIF image")
        else:
            current_app.logger.warning("IIIF photo %s: original refused (%s)", photo_id, exc.code)
        return _not_found()
    response = make_response(data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Link"] = f'<{IMAGE_CONTEXT.replace("context.json", "level1.json")}>;rel="profile"'
    response.set_etag(f"{photo.sha256[:16]}-{plan.cache_key}")
    return response.make_conditional(request)


@bp.get("/iiif/3/house/<code>/manifest.json")
def manifest(code: str) -> Any:
    db = get_db()
    found = service.public_house_photos(db, code)
    if found is None:
        return _not_found()
    house, photos = found
    return _json_ld(service.manifest(db, house, photos, links()), service.PRESENTATION_CONTEXT)


@bp.get("/iiif/3/house/<code>/canvas/<int:photo_id>")
def canvas(code: str, photo_id: int) -> Any:
    db = get_db()
    found = service.public_house_photos(db, code)
    numbered = {p.id: (n, p) for n, p in enumerate(found[1], start=1)} if found else {}
    if photo_id not in numbered:
        return _not_found()
    number, photo = numbered[photo_id]
    document = {"@context": service.PRESENTATION_CONTEXT, **service.canvas(photo, number, links())}
    return _json_ld(document, service.PRESENTATION_CONTEXT)


@bp.get("/iiif/3/collection.json")
def collection() -> Any:
    document = service.collection(get_db(), links(), None)
    return _json_ld(document or {}, service.PRESENTATION_CONTEXT)


@bp.get("/iiif/3/collection/<int:page>.json")
def collection_page(page: int) -> Any:
    document = service.collection(get_db(), links(), page)
    if document is None:
        return _not_found()
    return _json_ld(document, service.PRESENTATION_CONTEXT)


@bp.get("/photos/<int:photo_id>/zoom")
def zoom(photo_id: int) -> Any:
    """A public photo in the deep-zoom viewer (public photos only, like every IIIF URL)."""
    photo = service.public_photo(get_db(), photo_id)
    if photo is None:
        return render_template("error.html", status=404, message=_("Not found.")), 404
    house = access.house_data(access.PUBLIC, photo.house)
    return render_template("public/photo_zoom.html", photo=photo, house=house,
                           info_url=url_for("iiif.info", photo_id=photo.id))

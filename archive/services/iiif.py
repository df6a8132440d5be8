"""IIIF for the public: which photos and houses it shows, and their Presentation API 3.0 documents.

Only what the anonymous public may see is ever offered, whoever asks: a public, undamaged photo
of a published house (``access.PUBLIC``). Everything else, private, unpublished, deleted or
missing, is the same ``None`` and so the same 404 on every IIIF URL, so that IIIF neither shows
nor hints at what exists behind it. Staff see private photos on the house page as before.

A house's manifest has one canvas per public photo in gallery order, each painted with the
photo's image service; labels, summaries and metadata are language maps in ``zh-Hans`` and
``en``, built from the public fields of ``access.house_data`` only. The collection lists the
houses that have a manifest (a manifest must have at least one canvas), one page of
``COLLECTION_PAGE`` manifests at a time when there are more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import access
from archive.models import House, Photo
from archive.services.vocab import labels
from media.iiif import DEFAULT_SIZE_LIMITS, SizeLimits, plan_request

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
COLLECTION_PAGE = 1000
ZH, EN = "zh-Hans", "en"
ARCHIVE_NAME = {ZH: ["侨房档案"], EN: ["Qiaofang Archive"]}
# Metadata labels are data in both languages, not interface text in the reader's one.
FIELD_LABELS = {
    "code": ("编号", "Code"), "place": ("地点", "Place"), "built": ("建造年代", "Built"),
    "style": ("建筑风格", "Style"), "builder": ("建造者", "Builder"), "family": ("家族", "Family"),
}


@dataclass(frozen=True)
class Links:
    """Absolute URLs of the archive's resources; the web layer builds them with url_for."""

    image_service: Callable[[int], str]  # photo id -> image service base (without /info.json)
    canvas: Callable[[str, int], str]  # house code, photo id
    manifest: Callable[[str], str]  # house code
    collection: Callable[[int | None], str]  # page, or None for the top
    house_page: Callable[[str], str]
    house_json: Callable[[str], str]
    thumbnail: Callable[[str], str]  # sha256 -> the square thumbnail derivative


def _showable() -> Any:
    """Photos the public may see whose original decoded, whichever their house."""
    return (access.photo_filter(access.PUBLIC), Photo.damaged.is_(False), Photo.width.is_not(None),
            Photo.height.is_not(None))


def _public_photos() -> Any:
    return select(Photo).join(House).where(access.house_filter(access.PUBLIC), *_showable())


def public_photo(db: Session, photo_id: int) -> Photo | None:
    """The photo if the public may see it through IIIF, else None (missing and private alike)."""
    photo: Photo | None = db.scalar(_public_photos().where(Photo.id == photo_id))
    return photo


def public_house_photos(db: Session, code: str) -> tuple[House, list[Photo]] | None:
    """A published house and its public photos in gallery order, or None if it has none."""
    photos = list(db.scalars(_public_photos().where(House.code == code).order_by(Photo.position, Photo.id)))
    if not photos:
        return None
    return photos[0].house, photos


def _houses_with_photos() -> Any:
    with_photos = select(Photo.house_id).where(*_showable())
    return select(House).where(access.house_filter(access.PUBLIC), House.id.in_(with_photos))


def count_manifest_houses(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(_houses_with_photos().subquery())) or 0)


def manifest_houses(db: Session, page: int) -> list[House]:
    """Page ``page`` (from 1) of the houses that have a manifest, by code."""
    stmt = _houses_with_photos().order_by(House.code).offset((page - 1) * COLLECTION_PAGE).limit(COLLECTION_PAGE)
    return list(db.scalars(stmt))


def _language_map(zh: str | None, en: str | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if zh:
        out[ZH] = [zh]
    if en:
        out[EN] = [en]
    return out


def _pair(field: str, zh: str | None, en: str | None = None) -> dict[str, Any]:
    label_zh, label_en = FIELD_LABELS[field]
    return {"label": {ZH: [label_zh], EN: [label_en]}, "value": _language_map(zh, en) or {"none": [""]}}


def house_label(house: House) -> dict[str, list[str]]:
    return _language_map(house.name_zh, house.name_en or house.name_zh)


def _house_metadata(db: Session, data: dict[str, Any]) -> list[dict[str, Any]]:
    label_zh, label_en = FIELD_LABELS["code"]
    pairs = [{"label": {ZH: [label_zh], EN: [label_en]}, "value": {"none": [data["code"]]}}]
    place = " ".join(p for p in (data.get(k) for k in ("province", "city", "county", "township", "village")) if p)
    if place:
        pairs.append(_pair("place", place))
    if data.get("built_text"):
        pairs.append(_pair("built", data["built_text"]))
    if data.get("style"):
        style_zh = labels(db, "zh_Hans").get("style", {}).get(data["style"], data["style"])
        style_en = labels(db, "en").get("style", {}).get(data["style"], data["style"])
        pairs.append(_pair("style", style_zh, style_en))
    for field in ("builder", "family"):
        if data.get(field):
            pairs.append(_pair(field, data[field]))
    return pairs


def _photo_statement(photo: Photo) -> dict[str, Any]:
    credit = "; ".join(p for p in (photo.photographer, photo.rights) if p) or "侨房档案 Qiaofang Archive"
    return {"label": {ZH: ["摄影与权利"], EN: ["Photographer and rights"]}, "value": {"none": [credit]}}


def canvas(photo: Photo, number: int, links: Links, limits: SizeLimits = DEFAULT_SIZE_LIMITS) -> dict[str, Any]:
    """Canvas ``number`` (from 1) of its house: the photo's size, painted with its image service."""
    code = photo.house.code
    canvas_id = links.canvas(code, photo.id)
    service = links.image_service(photo.id)
    size = (int(photo.width or 0), int(photo.height or 0))
    whole = plan_request(size, "full", "max", "0", "default.jpg", limits).size
    label = {ZH: [photo.caption_zh or f"照片 {number}"], EN: [photo.caption_en or f"Photo {number}"]}
    body = {
        "id": f"{service}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg",
        "width": whole[0], "height": whole[1],
        "service": [{"id": service, "type": "ImageService3", "profile": "level1"}],
    }
    return {
        "id": canvas_id, "type": "Canvas", "label": label, "width": size[0], "height": size[1],
        "thumbnail": [_thumbnail(photo, links)],
        "requiredStatement": _photo_statement(photo),
        "items": [{
            "id": f"{canvas_id}/page", "type": "AnnotationPage",
            "items": [{"id": f"{canvas_id}/painting", "type": "Annotation", "motivation": "painting",
                       "target": canvas_id, "body": body}],
        }],
    }


def _thumbnail(photo: Photo, links: Links) -> dict[str, Any]:
    return {"id": links.thumbnail(photo.sha256), "type": "Image", "format": "image/jpeg"}


def manifest(db: Session, house: House, photos: Sequence[Photo], links: Links) -> dict[str, Any]:
    """The Presentation API 3.0 manifest of a published house and its public photos."""
    data = access.house_data(access.PUBLIC, house)
    document: dict[str, Any] = {
        "@context": PRESENTATION_CONTEXT,
        "id": links.manifest(house.code),
        "type": "Manifest",
        "label": house_label(house),
        "metadata": _house_metadata(db, data),
        "requiredStatement": {"label": {ZH: ["提供者"], EN: ["Provided by"]}, "value": ARCHIVE_NAME},
        "thumbnail": [_thumbnail(photos[0], links)],
        "homepage": [{"id": links.house_page(house.code), "type": "Text", "format": "text/html",
                      "label": house_label(house)}],
        "seeAlso": [{"id": links.house_json(house.code), "type": "Dataset", "format": "application/json",
                     "label": {EN: ["House record (JSON)"], ZH: ["房屋记录（JSON）"]}}],
        "partOf": [{"id": links.collection(None), "type": "Collection", "label": ARCHIVE_NAME}],
        "items": [canvas(photo, n, links) for n, photo in enumerate(photos, start=1)],
    }
    summary = _language_map(data.get("summary_zh"), data.get("summary_en"))
    if summary:
        document["summary"] = summary
    return document


def collection(db: Session, links: Links, page: int | None) -> dict[str, Any] | None:
    """The collection of house manifests: all of them, or pages of them when there are many.

    ``page`` None is the top collection: the manifests themselves when they fit one page, else
    one sub-collection per page. A page past the end is None.
    """
    total = count_manifest_houses(db)
    pages = max(1, -(-total // COLLECTION_PAGE))
    document: dict[str, Any] = {"@context": PRESENTATION_CONTEXT, "id": links.collection(page),
                                "type": "Collection", "label": ARCHIVE_NAME}
    if page is None and pages > 1:
        document["items"] = [
            {"id": links.collection(n), "type": "Collection",
             "label": {ZH: [f"侨房档案（第 {n} 页）"], EN: [f"Qiaofang Archive (page {n})"]}}
            for n in range(1, pages + 1)
        ]
        return document
    if page is not None and not 1 <= page <= pages:
        return None
    document["items"] = [
        {"id": links.manifest(house.code), "type": "Manifest", "label": house_label(house)}
        for house in manifest_houses(db, page or 1)
    ]
    if page is not None:
        document["label"] = {ZH: [f"侨房档案（第 {page} 页）"], EN: [f"Qiaofang Archive (page {page})"]}
        document["partOf"] = [{"id": links.collection(None), "type": "Collection"}]
    return document


def public_sha256s(db: Session) -> set[str]:
    """The originals that IIIF may still show: cache entries of any other are dead weight."""
    return set(db.scalars(_public_photos().with_only_columns(Photo.sha256).distinct()))

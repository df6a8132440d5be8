"""The map page (/map), its data (/map/houses.json) and the settings the house mini-map reads.

Tiles are optional (QIAOFANG_MAP_TILES): with none, or when they cannot be fetched (an offline
machine), the markers sit on a plain background. The CSP's img-src names the configured tile host
and nothing else (`configure`, called from create_app). Positions come from `services.map`.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request

from archive import access
from archive.services import catalogue
from archive.services import map as map_service
from archive.services.houses import HouseFilters, gallery_facets
from archive.state import get_state
from archive.web.context import current_viewer, get_db

bp = Blueprint("map", __name__)


def configure(app: Flask) -> None:
    """Check the map settings once at start-up and derive the tile host the CSP must allow."""
    app.config["MAP_TILES_CRS"] = map_service.check_crs(app.config.get("MAP_TILES_CRS"))
    app.config["MAP_TILE_ORIGIN"] = map_service.tile_origin(app.config.get("MAP_TILES"))


def map_settings() -> dict[str, Any]:
    """What the page's script needs to draw tiles (data- attributes; no inline script under the CSP)."""
    config = current_app.config
    return {"tiles": config.get("MAP_TILES") or "", "crs": config["MAP_TILES_CRS"],
            "attribution": config.get("MAP_TILES_ATTRIBUTION") or ""}


@bp.get("/map")
def map_page() -> Any:
    filters = HouseFilters.from_mapping(request.args)
    facets = gallery_facets(get_db(), access.PUBLIC, filters, get_state().facet_cache)
    return render_template("public/map.html", filters=filters.values, facets=facets, settings=map_settings())


@bp.get("/map/houses.json")
def houses_json() -> Any:
    """Every public house the gallery's filters select, with its public position (compact rows)."""
    filters = HouseFilters.from_mapping(request.args)
    crs = current_app.config["MAP_TILES_CRS"]
    points = map_service.public_points(get_db(), map_service.visible_where(filters.values), crs)
    # Compact and in UTF-8 (not \u escapes): a province's houses are ~4x smaller than as GeoJSON.
    body = json.dumps(map_service.compact(points, crs), ensure_ascii=False, separators=(",", ":"))
    return Response(body, mimetype="application/json", headers={"Cache-Control": "public, max-age=60"})


@bp.app_template_global("map_settings")
def _map_settings_global() -> dict[str, Any]:
    return map_settings()


@bp.app_template_global("house_map_point")
def house_map_point(code: str) -> map_service.MapPoint | None:
    """The house page's mini-map marker for the person asking (None: no position to show)."""
    house = catalogue.find_visible_house(get_db(), current_viewer(), code)
    if house is None:
        return None
    return map_service.house_point(get_db(), current_viewer(), house, current_app.config["MAP_TILES_CRS"])

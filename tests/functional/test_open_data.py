"""Open data: survey-sheet CSV export and its round trip, GeoJSON (checked with `geojson`), JSON-LD
on house pages, sitemap.xml, and the download links of the gallery and search pages."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import geojson
import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from archive.models import House, Record
from archive.state import ArchiveState
from tests.conftest import make_house, make_record

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
VILLAGE = {"county": "开平市", "township": "塘口镇", "village": "自力村"}


@pytest.fixture
def places(state: ArchiveState) -> None:
    make_house(state, "KP-A", lat=22.1, lon=112.1, **VILLAGE)
    make_house(state, "KP-B", lat=22.3, lon=112.3, **VILLAGE)
    make_house(state, "KP-C", lat=22.987654, lon=112.876543, location_public=False, owner="秘密产权人",
               address="秘密巷1号", **VILLAGE)
    make_house(state, "KP-D", lat=21.55555, lon=111.44444, location_public=False, county="台山市",
               township="端芬镇", village="庙边村")
    make_house(state, "KP-E", lat=22.2, lon=112.2, published=False, name_zh="未公开楼", **VILLAGE)
    make_record(state, "KP-A", title="公开口述")
    make_record(state, "KP-A", title="私人口述", public=False)


@pytest.mark.usefixtures("places")
def test_geojson_is_valid_and_keeps_private_locations_at_the_village(client: FlaskClient) -> None:
    response = client.get("/data/houses.geojson")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/geo+json"
    body = response.get_data(as_text=True)
    collection = geojson.loads(body)
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, collection.errors()
    features = {f["id"]: f for f in collection["features"]}
    # KP-D is private and alone in its village: no public point there, so it has no position at all.
    assert set(features) == {"KP-A", "KP-B", "KP-C"}
    assert features["KP-A"]["geometry"]["coordinates"] == [112.1, 22.1]
    assert features["KP-A"]["properties"]["position"] == "exact"
    # The mean of the village's public points, never the house's own point.
    assert features["KP-C"]["geometry"]["coordinates"] == [112.2, 22.2]
    assert features["KP-C"]["properties"]["position"] == "village"
    for secret in ("22.98765", "112.87654", "21.55555", "111.44444", "秘密", "未公开楼", "KP-E"):
        assert secret not in body
    only_taishan = geojson.loads(client.get("/data/houses.geojson?county=台山市").get_data(as_text=True))
    assert only_taishan["features"] == []


def jsonld(client: FlaskClient, code: str) -> dict[str, Any]:
    page = client.get(f"/houses/{code}").get_data(as_text=True)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0])
    return data


@pytest.mark.usefixtures("places")
def test_house_pages_embed_schema_org_json_ld(client: FlaskClient) -> None:
    exact = jsonld(client, "KP-A")
    assert exact["@context"] == "https://schema.org" and exact["@type"] == "LandmarksOrHistoricalBuildings"
    assert exact["name"] == "铭石楼" and exact["alternateName"] == ["Mingshi Lou"]
    assert exact["url"] == "http://localhost/houses/KP-A" and exact["identifier"] == "KP-A"
    assert exact["geo"] == {"@type": "GeoCoordinates", "latitude": 22.1, "longitude": 112.1}
    private = jsonld(client, "KP-C")
    assert (private["geo"]["latitude"], private["geo"]["longitude"]) == (22.2, 112.2)
    text = json.dumps(private, ensure_ascii=False)
    for secret in ("22.98765", "112.87654", "秘密产权人", "秘密巷"):
        assert secret not in text
    assert "geo" not in jsonld(client, "KP-D")


@pytest.mark.usefixtures("places")
def test_sitemap_lists_public_pages_and_pages_itself(client: FlaskClient, app: Flask, state: ArchiveState) -> None:
    with state.db.session(write=False) as db:
        public_record = db.scalar(select(Record.id).where(Record.title == "公开口述"))
        private_record = db.scalar(select(Record.id).where(Record.title == "私人口述"))
    root = etree.fromstring(client.get("/sitemap.xml").data)
    urls = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP)]
    expected = [f"http://localhost/houses/KP-{c}" for c in "ABCD"] + [f"http://localhost/records/{public_record}"]
    expected += ["http://localhost/destinations", "http://localhost/families"]  # no person nor family here
    assert urls == expected and f"/records/{private_record}" not in " ".join(urls)
    assert all(m.text.endswith("Z") for m in root.findall("s:url/s:lastmod", SITEMAP))
    app.config["SITEMAP_PAGE_SIZE"] = 2
    index = etree.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{{{SITEMAP['s']}}}sitemapindex"
    pages = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP)]
    assert pages == [f"http://localhost/sitemap-{n}.xml" for n in (1, 2, 3, 4)]
    paged = [loc.text for n in (1, 2, 3, 4)
             for loc in etree.fromstring(client.get(f"/sitemap-{n}.xml").data).findall("s:url/s:loc", SITEMAP)]
    assert paged == expected
    assert client.get("/sitemap-5.xml").status_code == 404


@pytest.mark.usefixtures("places")
def test_download_links_for_the_current_selection(client: FlaskClient) -> None:
    gallery = client.get("/?county=开平市&lang=en").get_data(as_text=True)
    link = re.search(r'href="(/data/houses\.csv\?[^"]*)"', gallery)
    assert link and "county=" in link.group(1)
    rows = list(csv.reader(io.StringIO(client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True))))
    assert rows[0][0] == "\ufeff编号" and [r[0] for r in rows[1:]] == ["KP-A", "KP-B", "KP-C"]
    search = client.get("/search?q=铭石楼&county=台山市&lang=en").get_data(as_text=True)
    found = re.search(r'href="(/data/houses\.geojson\?[^"]*)"', search)
    assert found
    selection = geojson.loads(client.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True))
    assert selection.is_valid and selection["features"] == []  # KP-D: found, but has no public position
    searched = client.get("/data/houses.csv?q=铭石楼&county=台山市")
    assert [r[0] for r in csv.reader(io.StringIO(searched.get_data(as_text=True)))][1:] == ["KP-D"]
    records = list(csv.reader(io.StringIO(client.get("/data/records.csv").get_data(as_text=True))))
    assert [r[2] for r in records[1:]] == ["公开口述"]


TRICKY = {
    "name_zh": '=HYPERLINK("http://evil","点我")', "summary_zh": "-2+3+cmd|' /C calc'!A0", "materials": "+砖木",
    "builder": "@SUM(1)", "current_use": "-", "custody": "'普通引号", "aliases": ["'=已有引号"], "family": "－",
}


def test_csv_export_neutralises_formulas_and_reimports_unchanged(
        state: ArchiveState, runner: Any, tmp_path: Path) -> None:
    make_house(state, "KP-1", owner="方先生", destinations=["美国旧金山", "加拿大"], storeys=4, lat=22.3, lon=-112.5,
               **TRICKY)
    make_house(state, "KP-2", published=False)
    make_record(state, "KP-1", title="=1+2", body="+内容", date_text="民国三十年", kind="letter")
    target = tmp_path / "export.csv"
    exported = runner.invoke(["export", "sheet", str(target)])
    assert exported.exit_code == 0 and "2 houses and 1 records" in exported.output, exported.output
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"PK")  # CSV, not a workbook
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    kp1 = next(r for r in rows if r["编号"] == "KP-1")
    assert kp1["名称"] == "'" + TRICKY["name_zh"] and kp1["简介"].startswith("'-2+3")
    assert kp1["结构材料"] == "'+砖木" and kp1["建造者"] == "'@SUM(1)" and kp1["现状用途"] == "'-"
    assert kp1["托管情况"] == "'普通引号" and kp1["别名"] == "''=已有引号" and kp1["经度"] == "-112.5"
    assert kp1["家族"] == "'－"  # the full-width clear marker, quoted like a lone '-'

    spreadsheet_formulas = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))
                            for cell in row if cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and cell != "-112.5")]
    assert spreadsheet_formulas == []
    records = (tmp_path / "export-records.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2" in records and "'+内容" in records
    with state.db.session(write=False) as db:
        before = {h.code: _values(h) for h in db.scalars(select(House))}
    for path, unchanged in ((target, 2), (tmp_path / "export-records.csv", 1)):
        again = runner.invoke(["import", "sheet", str(path), "--lang", "en"])
        assert again.exit_code == 0, again.output
        assert f"0 created, 0 updated, {unchanged} unchanged" in again.output, again.output
    with state.db.session(write=False) as db:
        after = {h.code: _values(h) for h in db.scalars(select(House))}
        assert db.scalar(select(Record.title)) == "=1+2"
    assert after == before and after["KP-1"]["name_zh"] == TRICKY["name_zh"]


def _values(house: House) -> dict[str, Any]:
    return {c.key: getattr(house, c.key) for c in House.__table__.columns if c.key not in ("updated_at",)}


def test_robots_txt_names_the_sitemap(client: FlaskClient) -> None:
    lines = client.get("/robots.txt").get_data(as_text=True).splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200

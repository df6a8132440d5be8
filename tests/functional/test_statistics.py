"""The statistics page: counts equal the database's (public: published houses; staff: unpublished too),
labels in the reader's language, SVG charts with their tables, bad parameters a 400 with a message."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import unquote

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.models import House
from archive.services import SYSTEM
from archive.services.houses import delete_house, get_house
from archive.state import ArchiveState
from tests.conftest import make_house
from tests.functional.test_privacy import PLANTED, planted  # noqa: F401  (the fixture is used by name)

HOUSES: list[dict[str, Any]] = [
    {"code": "KP-1", "built_text": "民国十四年", "style": "diaolou", "protection_level": "national",
     "condition": "A", "destinations": ["美国旧金山", "美国纽约"]},
    {"code": "KP-2", "built_text": "1923年", "style": "diaolou", "protection_level": "provincial",
     "condition": "B", "destinations": ["加拿大温哥华", "秘鲁利马"]},
    {"code": "KP-3", "township": "赤坎镇", "village": "三门里", "built_text": "1930年代", "style": "lu",
     "condition": "C", "destinations": ["火星"]},
    {"code": "TS-1", "county": "台山市", "township": "端芬镇", "village": "梅家大院", "built_text": "1931年",
     "style": "qilou", "protection_level": "national", "destinations": ["Vancouver"]},
    {"code": "TS-2", "county": "台山市", "township": "斗山镇", "village": "浮石村", "built_text": None,
     "style": None, "condition": "D"},
    # Staff only: unpublished (a county of its own, so the public must not learn its name) ...
    {"code": "HIDDEN-1", "county": "秘密县", "township": "秘密镇", "style": "citang", "published": False,
     "condition": "D", "destinations": ["古巴哈瓦那"], "built_text": "1890年"},
    # ... and one deleted: counted by nobody.
    {"code": "GONE-1", "county": "已删县", "style": "shushi"},
]


@pytest.fixture
def houses(state: ArchiveState) -> None:
    for values in HOUSES:
        make_house(state, **values)
    with state.transaction() as db:
        delete_house(db, SYSTEM, get_house(db, "GONE-1"))


def tables(body: str) -> dict[str, dict[str, int]]:
    """{chart id: {data-key: count}} read from the tables beside the charts."""
    doc = lxml.html.fromstring(body)
    out: dict[str, dict[str, int]] = {}
    for section in doc.xpath("//section[@class='stat']"):
        rows = section.xpath(".//table[@class='stat-table']/tbody/tr")
        out[section.get("id")] = {row.get("data-key"): int(row.xpath("td")[0].text_content()) for row in rows}
    return out


def expected(state: ArchiveState, *, staff: bool) -> dict[str, dict[str, int]]:
    """The same counts, computed here from the rows (not by the service's SQL)."""
    with state.db.session(write=False) as db:
        houses = [h for h in db.scalars(select(House)) if h.deleted_at is None and (staff or h.published)]
    countries: Counter[str] = Counter()
    for h in houses:
        found = {"美国" if d.startswith("美国") else "加拿大" if d.startswith("加拿大") or d == "Vancouver"
                 else "秘鲁" if d.startswith("秘鲁") else "古巴" if d.startswith("古巴") else "?"
                 for d in h.destinations}
        countries.update(found)
    return {
        "county": dict(Counter(h.county or "" for h in houses)),
        "township": dict(Counter(f"{h.county or ''}/{h.township or ''}" for h in houses)),
        "decade": dict(Counter(str(h.built_from // 10 * 10) if h.built_from else "" for h in houses)),
        "style": dict(Counter(h.style or "" for h in houses)),
        "protection_level": dict(Counter(h.protection_level or "" for h in houses)),
        "condition": dict(Counter(h.condition or "" for h in houses)),
        "destination": dict(countries),
    }


@pytest.mark.usefixtures("houses")
def test_public_counts_match_the_database(client: FlaskClient, state: ArchiveState) -> None:
    response = client.get("/statistics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    found = tables(body)
    assert found == expected(state, staff=False)
    assert found["county"] == {"开平市": 3, "台山市": 2}
    # Two destinations in one country count once; two countries count in each; 火星 is no country.
    assert found["destination"] == {"美国": 1, "加拿大": 2, "秘鲁": 1, "?": 1}
    assert found["decade"] == {"1920": 2, "1930": 2, "": 1}
    assert 'data-total="5"' in body
    # Unpublished and deleted houses leave no trace for the public.
    for secret in ("秘密县", "秘密镇", "古巴", "已删县", "citang", "祠堂", "1890"):
        assert secret not in body


@pytest.mark.usefixtures("houses")
def test_staff_counts_include_unpublished_houses(researcher: FlaskClient, state: ArchiveState) -> None:
    body = researcher.get("/statistics").get_data(as_text=True)
    found = tables(body)
    assert found == expected(state, staff=True)
    assert found["county"]["秘密县"] == 1 and "已删县" not in found["county"]
    assert found["style"]["citang"] == 1 and found["destination"]["古巴"] == 1
    assert 'data-total="6"' in body and "including 1 unpublished" in researcher.get(
        "/statistics?lang=en").get_data(as_text=True)


@pytest.mark.usefixtures("houses")
def test_each_chart_is_svg_with_one_bar_per_table_row(client: FlaskClient) -> None:
    doc = lxml.html.fromstring(client.get("/statistics").get_data(as_text=True))
    sections = doc.xpath("//section[@class='stat']")
    assert [s.get("id") for s in sections] == ["county", "township", "decade", "style", "protection_level",
                                               "condition", "destination"]
    for section in sections:
        rows = section.xpath(".//table[@class='stat-table']/tbody/tr")
        bars = section.xpath(".//*[local-name()='rect'][@class='bar']")
        values = section.xpath(".//*[local-name()='text'][@class='bar-value']")
        assert len(bars) == len(rows) > 0
        assert [v.text for v in values] == [r.xpath("td")[0].text_content() for r in rows]
        widths = [float(b.get("width")) for b in bars]
        counts = [int(v.text) for v in values]
        # Bars are proportional to the counts: the largest count has the longest bar.
        assert widths[counts.index(max(counts))] == max(widths)


@pytest.mark.usefixtures("houses")
def test_labels_in_the_readers_language(client: FlaskClient) -> None:
    en = client.get("/statistics?lang=en").get_data(as_text=True)
    for text in ("Houses by county", "Kaiping", "Diaolou (watchtower)", "Major national heritage site",
                 "A (sound)", "United States", "Canada", "Other or unknown country", "1920s", "Not recorded"):
        assert text in en, text
    hant = client.get("/statistics?lang=zh_Hant").get_data(as_text=True)
    for text in ("開平市", "碉樓", "全國重點文物保護單位", "美國"):
        assert text in hant, text


@pytest.mark.usefixtures("houses")
def test_county_narrows_every_chart(app: Flask, researcher: FlaskClient) -> None:
    client = app.test_client()  # anonymous, beside the logged-in researcher
    found = tables(client.get("/statistics?county=台山市").get_data(as_text=True))
    assert found["county"] == {"台山市": 2}
    assert found["township"] == {"台山市/端芬镇": 1, "台山市/斗山镇": 1}
    assert found["style"] == {"qilou": 1, "": 1}
    # A county of unpublished houses only is not found for the public, found for staff.
    response = client.get("/statistics?county=秘密县&lang=en")
    assert response.status_code == 404
    assert "No house in the archive lies in" in response.get_data(as_text=True)
    assert client.get("/statistics?county=火星县").status_code == 404
    assert tables(researcher.get("/statistics?county=秘密县").get_data(as_text=True))["county"] == {"秘密县": 1}


@pytest.mark.usefixtures("houses")
def test_township_list_is_cut_and_can_be_listed_whole(client: FlaskClient) -> None:
    cut = client.get("/statistics?townships=2&lang=en").get_data(as_text=True)
    assert len(tables(cut)["township"]) == 2
    assert "The 2 townships with most houses, of 4." in cut and "townships=all" in cut
    assert len(tables(client.get("/statistics?townships=all").get_data(as_text=True))["township"]) == 4


@pytest.mark.usefixtures("houses")
@pytest.mark.parametrize(("query", "message"), [
    ("townships=abc", "townships must be"),
    ("townships=0", "townships must be"),
    ("townships=99999", "townships must be"),
    ("townships=%EF%BC%93", "townships must be"),  # a full-width digit
    ("county=" + "县" * 101, "A county name has at most 100 characters"),
    ("county=%01%02", "no control characters"),
])
def test_bad_parameters_are_400_with_a_message(client: FlaskClient, query: str, message: str) -> None:
    response = client.get(f"/statistics?{query}&lang=en")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_empty_archive(client: FlaskClient) -> None:
    body = client.get("/statistics?lang=en").get_data(as_text=True)
    assert 'data-total="0"' in body and "No houses to count." in body


@pytest.mark.usefixtures("houses")
def test_counts_follow_changes(client: FlaskClient, state: ArchiveState) -> None:
    """The page's short cache is dropped when a change is committed (as the gallery's counts are)."""
    assert tables(client.get("/statistics").get_data(as_text=True))["county"]["开平市"] == 3
    make_house(state, "KP-9", style="lu")
    assert tables(client.get("/statistics").get_data(as_text=True))["county"]["开平市"] == 4


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize("url", ["/statistics", "/statistics?lang=en", "/statistics?county=秘密县",
                                 "/statistics?county=开平市&townships=all", "/statistics?townships=x"])
def test_no_private_value_in_public_statistics(client: FlaskClient, url: str) -> None:
    body = client.get(url).get_data(as_text=True)
    for value in PLANTED:
        assert value not in body, f"{value!r} leaked through {url}"
    if "county=" not in url:
        assert "秘密县" not in body


@pytest.mark.usefixtures("planted")
def test_a_county_of_unpublished_houses_looks_like_no_county(client: FlaskClient) -> None:
    hidden = client.get("/statistics?county=秘密县")
    unknown = client.get("/statistics?county=无此县")
    assert hidden.status_code == unknown.status_code == 404
    # The same page but for the name asked for (echoed in the message and the language links).
    assert unquote(hidden.get_data(as_text=True)).replace("秘密县", "无此县") == unquote(unknown.get_data(as_text=True))

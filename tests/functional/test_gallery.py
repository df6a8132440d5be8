"""The public gallery: grid, filters, pagination, languages; the JSON listing."""

from __future__ import annotations

from flask.testing import FlaskClient

from archive.state import ArchiveState
from tests.conftest import make_house


def test_grid_filters_and_pages(state: ArchiveState, client: FlaskClient) -> None:
    for n in range(30):
        county = "开平市" if n % 3 else "台山市"
        make_house(state, f"H-{n:03d}", name_zh=f"测试楼{n:03d}", county=county,
                   style="diaolou" if n % 2 else "lu")
    first = client.get("/").get_data(as_text=True)
    assert "测试楼000" in first and "测试楼024" not in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert "测试楼024" in second
    taishan = client.get("/?county=台山市").get_data(as_text=True)
    assert "测试楼003" in taishan and "测试楼001" not in taishan
    lu = client.get("/api/houses?style=lu&per_page=100").get_json()
    assert lu["total"] == 15 and all(h["style"] == "lu" for h in lu["houses"])
    paged = client.get("/api/houses?page=3&per_page=10").get_json()
    assert paged["houses"][0]["code"] == "H-020" and paged["pages"] == 3


def test_language_switcher_changes_interface_not_data(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "H-1", name_zh="铭石楼")
    assert "房屋" in client.get("/?lang=zh_Hans").get_data(as_text=True)
    hant = client.get("/").get_data(as_text=True)  # remembered in the session
    assert "房屋" in hant
    assert "房屋" in client.get("/?lang=zh_Hant").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Houses" in english and "铭石楼" in english
    assert "碉樓" in client.get("/houses/H-1?lang=zh_Hant").get_data(as_text=True)


def test_accept_language_picks_traditional(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "H-1")
    body = client.get("/houses/H-1", headers={"Accept-Language": "zh-TW,zh;q=0.9"}).get_data(as_text=True)
    assert "碉樓" in body and 'lang="zh-Hant"' in body


def test_api_bad_parameters_are_json_400(client: FlaskClient) -> None:
    for url in ("/api/houses?page=abc", "/api/houses?per_page=0", "/api/houses?per_page=100000"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.get_json()["error"]["code"] == "bad_parameter"
    missing = client.get("/api/houses/NOPE")
    assert missing.status_code == 404 and missing.get_json()["error"]["message"]

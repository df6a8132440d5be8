"""Paging on every list: a malformed page number is a 400 in the user's language (JSON in the API),
a page past the end goes to the last page (a 400 in the API), never a 500 and never a page that says
two contradicting things."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from archive.services import SYSTEM
from archive.services.houses import create_house, delete_house, get_house
from archive.services.records import create_record
from archive.services.searching import drain_queue
from archive.state import ArchiveState

LISTS = ["/", "/search?q=碉楼", "/staff/", "/staff/imports", "/staff/people", "/staff/trash",
         "/staff/houses/H-000/history"]
MALFORMED = ["abc", "-1", "0", "1.5", "２", "99999999999"]


@pytest.fixture
def houses(state: ArchiveState) -> None:
    """30 published houses with a record each, written and indexed at once (a house at a time is slow)."""
    with state.transaction() as db:
        for n in range(30):
            house = create_house(db, SYSTEM, {"code": f"H-{n:03d}", "name_zh": f"测试碉楼{n:03d}",
                                              "published": True})
            create_record(db, SYSTEM, [house], {"kind": "other", "title": f"碉楼记{n:03d}", "public": True})
    drain_queue(state)


def test_malformed_page_is_a_400_in_the_users_language(houses: None, editor: FlaskClient) -> None:
    for url in LISTS:
        sep = "&" if "?" in url else "?"
        for page in MALFORMED:
            english = editor.get(f"{url}{sep}page={page}", headers={"Accept-Language": "en"})
            assert english.status_code == 400, (url, page)
            body = english.get_data(as_text=True)
            assert "The page number must be a whole number from 1 to 1000000." in body, (url, page)
        chinese = editor.get(f"{url}{sep}page=abc", headers={"Accept-Language": "zh-CN"})
        assert chinese.status_code == 400 and 'lang="zh-Hans"' in chinese.get_data(as_text=True)


def test_malformed_page_in_the_api_is_a_json_400(houses: None, client: FlaskClient) -> None:
    for url in ("/api/houses", "/api/search?q=碉楼"):
        sep = "&" if "?" in url else "?"
        for page in MALFORMED:
            response = client.get(f"{url}{sep}page={page}&lang=en")
            assert response.status_code == 400, (url, page)
            assert response.get_json()["error"]["code"] == "bad_parameter"


def test_gallery_page_past_the_end_goes_to_the_last_page(houses: None, client: FlaskClient) -> None:
    response = client.get("/?page=99&lang=en")
    assert response.status_code == 302 and response.headers["Location"].endswith("page=2")
    last = client.get("/?page=99&lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Page 2 of 2" in last and "No houses match." not in last and "测试碉楼029" in last
    assert client.get("/?county=无此县&page=3", follow_redirects=True).status_code == 200


def test_search_page_past_the_end_never_says_found_and_nothing_found(houses: None, client: FlaskClient) -> None:
    response = client.get("/search?q=碉楼&page=50&lang=en")
    assert response.status_code == 302
    assert "q=" in response.headers["Location"] and "page=2" in response.headers["Location"]
    body = client.get("/search?q=碉楼&page=50&lang=en", follow_redirects=True).get_data(as_text=True)
    assert "30 houses found" in body and "Nothing found." not in body and "Page 2 of 2" in body


@pytest.mark.parametrize("url", ["/api/houses?page=4&per_page=10", "/api/search?q=碉楼&page=3"])
def test_api_page_past_the_end_is_a_json_400(houses: None, client: FlaskClient, url: str) -> None:
    response = client.get(url + "&lang=en")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "page_out_of_range" and error["message"] == (
        "There are only 3 pages." if "houses" in url else "There are only 2 pages.")


def test_staff_lists_past_the_end_go_to_their_last_page(state: ArchiveState, houses: None,
                                                        editor: FlaskClient) -> None:
    with state.transaction() as db:
        delete_house(db, SYSTEM, get_house(db, "H-001"))
    for url in ("/staff/", "/staff/imports", "/staff/people", "/staff/trash", "/staff/houses/H-000/history"):
        response = editor.get(f"{url}?page=7")
        assert response.status_code == 302, url
        assert response.headers["Location"].endswith("page=1"), url
        assert editor.get(response.headers["Location"]).status_code == 200
    assert "H-001" in editor.get("/staff/trash?page=1").get_data(as_text=True)


def test_an_empty_list_has_one_page(client: FlaskClient) -> None:
    body = client.get("/?lang=en").get_data(as_text=True)
    assert "No houses match." in body and "Page 1 of" not in body
    assert client.get("/api/houses").get_json()["pages"] == 1
    assert client.get("/api/houses?page=2").status_code == 400

"""JSON API reads: records, people, photos, places, vocabularies; keyset pages; privacy; bad input."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from archive.services.users import create_token
from archive.state import ArchiveState
from tests.conftest import add_user, make_house
from tests.functional.api_catalogue import PLANTED, SECRET_LAT, Catalogue, build


@pytest.fixture
def cat(state: ArchiveState) -> Catalogue:
    return build(state)


@pytest.fixture
def staff_headers(state: ArchiveState) -> dict[str, str]:
    add_user(state, "r-api", "researcher")
    with state.transaction() as db:
        token = create_token(db, "r-api")
    return {"Authorization": f"Bearer {token}"}


def get_json(client: FlaskClient, url: str, status: int = 200, **kw: Any) -> Any:
    response = client.get(url, **kw)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    return response.get_json()


def everything(client: FlaskClient, url: str, key: str, **kw: Any) -> list[dict[str, Any]]:
    """Every item of a list, following `next` from page to page (2 a page, to cross pages)."""
    items: list[dict[str, Any]] = []
    sep = "&" if "?" in url else "?"
    page = get_json(client, f"{url}{sep}per_page=2", **kw)
    while True:
        items += page[key]
        if page["next"] is None:
            assert page["next_after"] is None
            return items
        page = get_json(client, page["next"], **kw)


ANONYMOUS_URLS = (
    "/api/records", "/api/records?per_page=200", "/api/records?kind=letter", "/api/records?house=PUB-002",
    "/api/people", "/api/people?house=PUB-001", "/api/photos", "/api/photos?house=PUB-001",
    "/api/places", "/api/places?level=township", "/api/places?level=village", "/api/places?county=秘密县",
    "/api/places?level=village&county=秘密县", "/api/houses?after=", "/api/houses?after=A&per_page=200",
    "/api/houses?county=秘密县&after=", "/api/vocabularies", "/api/records/{record_hidden_only}",
    "/api/records/{record_private}", "/api/records/{record_shared}", "/api/records/{record_public}",
    "/api/people/{person_public}", "/api/people/{person_private}", "/api/people/{person_hidden_only}",
    "/api/photos/{photo_public}", "/api/photos/{photo_private}", "/api/photos/{photo_hidden_house}",
    "/api/photos/{photo_gone_house}", "/api/houses/PUB-001", "/api/places?level=township&after=",
)


def test_no_private_value_in_any_anonymous_answer(client: FlaskClient, cat: Catalogue) -> None:
    leaks = []
    for url in ANONYMOUS_URLS:
        response = client.get(url.format(**vars(cat)))
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 404), (url, body)
        leaks += [f"{value!r} leaked through {url} ({response.status_code})" for value in PLANTED if value in body]
    assert not leaks


def test_anonymous_lists_hold_exactly_the_public_things(client: FlaskClient, cat: Catalogue) -> None:
    records = everything(client, "/api/records", "records")
    assert [r["id"] for r in records] == [cat.record_public, cat.record_shared]
    shared = records[1]
    assert [h["code"] for h in shared["houses"]] == ["PUB-002"]  # not HIDDEN-001, which also holds it
    assert "public" not in shared and "contributor" not in shared
    people = everything(client, "/api/people", "people")
    assert [p["id"] for p in people] == [cat.person_public]
    assert [(r["role"], r["house"]["code"]) for r in people[0]["roles"]] == [("builder", "PUB-001")]
    assert "notes" not in people[0]
    photos = everything(client, "/api/photos", "photos")
    assert [(p["id"], p["house"]) for p in photos] == [(cat.photo_public, "PUB-001")]
    assert set(photos[0]["urls"]) == {"thumb", "medium", "large"}  # no original for the public
    houses = everything(client, "/api/houses?after=", "houses")
    assert [h["code"] for h in houses] == ["PUB-001", "PUB-002"]
    assert "lat" not in houses[0] and "address" not in houses[0]  # location-private: no exact point
    assert houses[1]["lat"] == 22.3


def test_anonymous_gets_404_for_private_items(client: FlaskClient, cat: Catalogue) -> None:
    for url in (f"/api/records/{cat.record_private}", f"/api/records/{cat.record_hidden_only}",
                f"/api/people/{cat.person_private}", f"/api/people/{cat.person_hidden_only}",
                f"/api/photos/{cat.photo_private}", f"/api/photos/{cat.photo_hidden_house}",
                f"/api/photos/{cat.photo_gone_house}", "/api/records/999999"):
        assert get_json(client, url, 404)["error"]["code"] == "not_found"
    for url in ("/api/records?house=HIDDEN-001", "/api/photos?house=GONE-001", "/api/people?house=NOPE"):
        error = get_json(client, url, 400, headers={"Accept-Language": "en"})["error"]
        code = url.rpartition("=")[2]
        # The same answer as for a house that does not exist (it names the code the caller gave).
        assert error == {"code": "unknown_house", "message": f"No house has the code {code}."}


def test_staff_token_sees_private_things(client: FlaskClient, cat: Catalogue, staff_headers: dict[str, str]) -> None:
    records = everything(client, "/api/records", "records", headers=staff_headers)
    assert {r["id"] for r in records} == {cat.record_public, cat.record_private, cat.record_hidden_only,
                                          cat.record_shared}
    private = get_json(client, f"/api/records/{cat.record_private}", headers=staff_headers)
    assert private["title"] == "私人口述FROBOZZ" and private["public"] is False
    people = everything(client, "/api/people", "people", headers=staff_headers)
    assert {p["id"] for p in people} == {cat.person_public, cat.person_private, cat.person_hidden_only}
    kwan = next(p for p in people if p["id"] == cat.person_public)
    assert {(r["role"], r["house"]["code"]) for r in kwan["roles"]} == {("builder", "PUB-001"),
                                                                      ("owner", "HIDDEN-001")}
    photos = everything(client, "/api/photos", "photos", headers=staff_headers)
    # The deleted house's photo stays out for staff too: the house is gone from every view.
    assert [p["id"] for p in photos] == [cat.photo_public, cat.photo_private, cat.photo_hidden_house]
    assert "original" in photos[0]["urls"] and photos[1]["original_name"] == "私人照片.jpg"
    houses = everything(client, "/api/houses?after=", "houses", headers=staff_headers)
    assert [h["code"] for h in houses] == ["HIDDEN-001", "PUB-001", "PUB-002"]
    assert houses[1]["lat"] == SECRET_LAT


def test_house_detail_people_come_from_the_service(client: FlaskClient, cat: Catalogue) -> None:
    data = get_json(client, "/api/houses/PUB-001")
    assert [(p["name_zh"], p["role"]) for p in data["people"]] == [("关崇昌", "builder")]
    assert [p["id"] for p in data["photos"]] == [cat.photo_public]
    assert [r["title"] for r in data["records"]] == ["公开口述"]


def test_record_detail_and_filters(client: FlaskClient, cat: Catalogue) -> None:
    detail = get_json(client, f"/api/records/{cat.record_public}")
    assert detail["body"] == "大家都能看" and [h["code"] for h in detail["houses"]] == ["PUB-001"]
    assert detail["url"].endswith(f"/api/records/{cat.record_public}")
    assert [r["id"] for r in get_json(client, "/api/records?kind=document")["records"]] == [cat.record_shared]
    assert get_json(client, "/api/records?kind=letter")["records"] == []  # the only letter is on HIDDEN-001
    assert get_json(client, "/api/records?kind=nonsense", 400)["error"]["code"] == "unknown_term"
    assert [r["id"] for r in get_json(client, "/api/records?house=PUB-002")["records"]] == [cat.record_shared]


def test_people_and_photos_of_one_house(client: FlaskClient, cat: Catalogue) -> None:
    assert [p["id"] for p in get_json(client, "/api/people?house=PUB-002")["people"]] == []
    assert [p["id"] for p in get_json(client, "/api/people?house=PUB-001")["people"]] == [cat.person_public]
    person = get_json(client, f"/api/people/{cat.person_public}")
    assert person["names_romanised"] == "Kwan Sung Cheong" and person["destinations"] == ["美国旧金山"]
    photo = get_json(client, f"/api/photos/{cat.photo_public}")
    assert photo["caption_zh"] == "公开照片.jpg 题注" and photo["house"] == "PUB-001"
    with client.get(photo["urls"]["thumb"]) as thumb:
        assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"


def test_places_count_only_visible_houses_with_gazetteer_names(client: FlaskClient, cat: Catalogue,
                                                               staff_headers: dict[str, str]) -> None:
    counties = get_json(client, "/api/places")["places"]
    assert [(p["name"], p["houses"]) for p in counties] == [("开平市", 2)]
    assert counties[0]["name_en"] == "Kaiping (Hoiping)" and counties[0]["name_zh_hant"] == "開平市"
    townships = get_json(client, "/api/places?level=township&county=开平市&lang=en")["places"]
    assert sorted((p["name"], p["houses"]) for p in townships) == [("塘口镇", 1), ("赤坎镇", 1)]
    villages = get_json(client, "/api/places?level=village")["places"]
    assert {(p["county"], p["township"], p["name"]) for p in villages} == {("开平市", "塘口镇", "自力村"),
                                                                         ("开平市", "赤坎镇", "三门里")}
    listed = get_json(client, villages[0]["houses_url"])
    assert listed["total"] == 1 and listed["houses"][0]["village"] == villages[0]["name"]
    staff = get_json(client, "/api/places", headers=staff_headers)["places"]
    # The unpublished house counts for staff; the deleted one for no one.
    assert sorted((p["name"], p["houses"]) for p in staff) == [("开平市", 2), ("秘密县", 1)]


def test_places_page_by_keyset(client: FlaskClient, state: ArchiveState) -> None:
    for n in range(5):
        make_house(state, f"V-{n}", village=f"第{n}村")
    make_house(state, "V-X", township="赤坎镇", village="第0村")  # the same village name, elsewhere
    villages = everything(client, "/api/places?level=village", "places")
    assert [(p["township"], p["name"]) for p in villages] == [
        ("塘口镇", "第0村"), ("塘口镇", "第1村"), ("塘口镇", "第2村"), ("塘口镇", "第3村"), ("塘口镇", "第4村"),
        ("赤坎镇", "第0村")]
    assert get_json(client, "/api/places?after=bm90IGpzb24", 400)["error"]["code"] == "bad_cursor"
    assert get_json(client, "/api/places?level=city", 400)["error"]["code"] == "unknown_term"


def test_vocabularies(client: FlaskClient) -> None:
    data = get_json(client, "/api/vocabularies")
    names = [v["name"] for v in data["vocabularies"]]
    assert names[:5] == ["style", "protection_level", "condition", "record_kind", "person_role"]
    style = get_json(client, "/api/vocabularies/style?lang=en")
    first = style["terms"][0]
    assert first == {"key": "diaolou", "label_zh_hans": "碉楼", "label_zh_hant": "碉樓",
                     "label_en": "Diaolou (watchtower)", "label": "Diaolou (watchtower)"}
    assert get_json(client, "/api/vocabularies/nope", 404)["error"]["code"] == "not_found"


def test_house_keyset_pages_match_numbered_pages(client: FlaskClient, state: ArchiveState) -> None:
    for n in range(7):
        make_house(state, f"K-{n:02d}", county="台山市" if n % 2 else "开平市")
    numbered = get_json(client, "/api/houses?per_page=3")
    assert numbered["total"] == 7 and numbered["next_after"] == "K-02"
    keyset = get_json(client, "/api/houses?per_page=3&after=K-02")
    assert [h["code"] for h in keyset["houses"]] == ["K-03", "K-04", "K-05"]
    assert [h["code"] for h in keyset["houses"]] == [h["code"] for h in get_json(
        client, "/api/houses?per_page=3&page=2")["houses"]]
    assert "total" not in keyset and keyset["next_after"] == "K-05"
    assert keyset["next"].endswith("/api/houses?per_page=3&after=K-05")
    last = get_json(client, "/api/houses?per_page=3&after=K-05")
    assert [h["code"] for h in last["houses"]] == ["K-06"] and last["next"] is None
    assert get_json(client, "/api/houses?per_page=3&page=3")["next_after"] is None
    filtered = everything(client, f"/api/houses?county={quote('台山市')}&after=", "houses")
    assert [h["code"] for h in filtered] == ["K-01", "K-03", "K-05"]


def test_keyset_crosses_every_page_of_ids(client: FlaskClient, cat: Catalogue, staff_headers: dict[str, str]) -> None:
    page = get_json(client, "/api/records?per_page=1", headers=staff_headers)
    seen = [page["records"][0]["id"]]
    while page["next_after"] is not None:
        assert page["next"].endswith(f"after={page['next_after']}")
        page = get_json(client, f"/api/records?per_page=1&after={page['next_after']}", headers=staff_headers)
        seen += [r["id"] for r in page["records"]]
    assert seen == sorted(seen) and len(seen) == 4


@pytest.mark.parametrize(("url", "code", "words"), [
    ("/api/records?after=abc", "bad_parameter", "after must be a whole number"),
    ("/api/records?after=-1", "bad_parameter", "after must be between 0"),
    ("/api/records?after=1_000", "bad_parameter", "whole number"),
    ("/api/records?after=%201", "bad_parameter", "whole number"),
    ("/api/photos?per_page=0", "bad_parameter", "per_page must be between 1 and 200"),
    ("/api/people?per_page=201", "bad_parameter", "per_page must be between 1 and 200"),
    ("/api/people?after=99999999999999999999", "bad_parameter", "after must be between"),
    ("/api/houses?after=" + "X" * 65, "bad_parameter", "after may have at most 64 characters"),
    ("/api/houses?after=A&page=2", "bad_parameter", "either page or after"),
    ("/api/houses?after=%00", "bad_parameter", "NUL"),
    ("/api/houses/%00", "bad_parameter", "NUL"),
    ("/api/places?after=%%%", "bad_cursor", "start again"),
    ("/api/places?level=village&after=WyLlvIDlubPluIIiXQ", "bad_cursor", "start again"),  # a county cursor
])
def test_bad_parameters_get_a_400_with_a_message(client: FlaskClient, url: str, code: str, words: str) -> None:
    error = get_json(client, url, 400, headers={"Accept-Language": "en"})["error"]
    assert error["code"] == code and words in error["message"], error


def test_bad_parameters_in_chinese(client: FlaskClient) -> None:
    error = get_json(client, "/api/records?after=abc", 400, headers={"Accept-Language": "zh-CN"})["error"]
    assert error == {"code": "bad_parameter", "message": "after 必须是整数。"}

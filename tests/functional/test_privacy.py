"""Anonymous visitors never see an unpublished house or a private field, in any response."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from archive.state import ArchiveState
from tests.conftest import make_house, make_record

# Distinctive values planted in private places; none may appear in any public response.
SECRET_OWNER = "秘密产权人XYZZY"
SECRET_PHONE = "139-4242-0000"
SECRET_ADDRESS = "隐秘巷88号QWERTY"
SECRET_LAT, SECRET_LON = 22.123457, 112.654321
HIDDEN_HOUSE_NAME = "未公开楼PLUGH"
PRIVATE_RECORD = "私人口述FROBOZZ"
PLANTED = (SECRET_OWNER, SECRET_PHONE, SECRET_ADDRESS, "22.12345", "112.65432", HIDDEN_HOUSE_NAME,
           "HIDDEN-001", PRIVATE_RECORD, "owner_contact")


@pytest.fixture
def planted(state: ArchiveState) -> None:
    make_house(state, "PUB-001", name_zh="公开楼", owner=SECRET_OWNER, owner_contact=SECRET_PHONE,
               address=SECRET_ADDRESS, lat=SECRET_LAT, lon=SECRET_LON, location_public=False)
    make_house(state, "HIDDEN-001", name_zh=HIDDEN_HOUSE_NAME, published=False, county="秘密县")
    make_record(state, "PUB-001", title=PRIVATE_RECORD, body="只给研究人员看", public=False)
    make_record(state, "PUB-001", title="公开口述", body="大家都能看")


PUBLIC_URLS = (
    "/", "/?page=2", "/?county=秘密县", "/houses/PUB-001", "/houses/HIDDEN-001", "/houses/NOPE",
    "/api/houses", "/api/houses?per_page=200", "/api/houses/PUB-001", "/api/houses/HIDDEN-001",
    "/api/houses?county=秘密县", "/records/1", "/records/2", "/api/houses?page=abc", "/no/such/page",
    "/?lang=en", "/houses/PUB-001?lang=zh_Hant",
)


@pytest.mark.usefixtures("planted")
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_no_private_value_in_any_public_response(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    body = response.get_data(as_text=True)
    for value in PLANTED:
        assert value not in body, f"{value!r} leaked through {url} ({response.status_code})"


@pytest.mark.usefixtures("planted")
def test_public_sees_published_house_and_public_record(client: FlaskClient) -> None:
    page = client.get("/houses/PUB-001").get_data(as_text=True)
    assert "公开楼" in page and "公开口述" in page
    assert "The exact location of this house is not published" in client.get(
        "/houses/PUB-001?lang=en").get_data(as_text=True)
    data = client.get("/api/houses/PUB-001").get_json()
    assert data["code"] == "PUB-001"
    assert "owner" not in data and "lat" not in data
    assert [r["title"] for r in data["records"]] == ["公开口述"]


@pytest.mark.usefixtures("planted")
def test_unpublished_house_is_404_for_public(client: FlaskClient) -> None:
    assert client.get("/houses/HIDDEN-001").status_code == 404
    response = client.get("/api/houses/HIDDEN-001")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    listing = client.get("/api/houses").get_json()
    assert listing["total"] == 1
    assert [h["code"] for h in listing["houses"]] == ["PUB-001"]


@pytest.mark.usefixtures("planted")
def test_researcher_sees_everything(researcher: FlaskClient) -> None:
    page = researcher.get("/houses/PUB-001").get_data(as_text=True)
    for value in (SECRET_OWNER, SECRET_PHONE, SECRET_ADDRESS, PRIVATE_RECORD):
        assert value in page
    assert researcher.get("/houses/HIDDEN-001").status_code == 200
    assert researcher.get("/api/houses").get_json()["total"] == 2


@pytest.mark.usefixtures("planted")
def test_bearer_token_gives_that_users_view(state: ArchiveState, client: FlaskClient) -> None:
    from archive.services.users import create_token
    from tests.conftest import add_user

    add_user(state, "r2", "researcher")
    with state.transaction() as db:
        token = create_token(db, "r2")
    data = client.get("/api/houses/PUB-001", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert data["owner"] == SECRET_OWNER and data["owner_contact"] == SECRET_PHONE
    assert {r["title"] for r in data["records"]} == {"公开口述", PRIVATE_RECORD}
    bad = client.get("/api/houses", headers={"Authorization": "Bearer wrong"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "invalid_token"


def test_owner_visibility_can_be_opened(state: ArchiveState, client: FlaskClient) -> None:
    make_house(state, "OPEN-001", owner="李先生", owner_public=True, owner_contact=SECRET_PHONE)
    data = client.get("/api/houses/OPEN-001").get_json()
    assert data["owner"] == "李先生"
    assert "owner_contact" not in data

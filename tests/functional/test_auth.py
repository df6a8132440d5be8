"""Login sessions end for real at logout; every form POST needs a CSRF token; roles are enforced."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from archive.state import ArchiveState
from tests.conftest import add_user, csrf_token, login, make_house


def test_cookie_replayed_after_logout_is_refused(app: Flask, state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    login(client, "ed")
    assert client.get("/staff/").status_code == 200
    stolen = client.get_cookie("session")
    assert stolen is not None
    token = csrf_token(client, "/staff/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    attacker = app.test_client()
    attacker.set_cookie("session", stolen.value)
    response = attacker.get("/staff/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_id_changes_at_login(state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    client.get("/login")
    before = client.get_cookie("session")
    login(client, "ed")
    after = client.get_cookie("session")
    assert before is not None and after is not None and before.value != after.value


def test_wrong_password_is_refused(state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    token = csrf_token(client)
    response = client.post("/login?lang=en", data={"username": "ed", "password": "nope nope", "csrf_token": token})
    assert response.status_code == 401
    assert "Wrong user name or password" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_post_without_csrf_token_is_refused(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-1", published=False)
    response = editor.post("/staff/houses/KP-1/publish")
    assert response.status_code == 400
    from archive.models import House

    with state.db.session(write=False) as db:
        house = db.query(House).filter_by(code="KP-1").one()
        assert house.published is False


def test_login_form_without_csrf_is_refused(state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    response = client.post("/login", data={"username": "ed", "password": "correct horse"})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302


def test_session_cookie_flags(state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    token = csrf_token(client)
    response = client.post("/login", data={"username": "ed", "password": "correct horse", "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_researcher_changes_nothing(state: ArchiveState, researcher: FlaskClient) -> None:
    make_house(state, "KP-1", published=False)
    token = csrf_token(researcher, "/staff/")
    assert researcher.post("/staff/houses/KP-1/publish", data={"csrf_token": token}).status_code == 403
    assert researcher.get("/staff/houses/new").status_code == 403
    assert researcher.get("/staff/houses/KP-1/history").status_code == 200


def test_api_write_needs_token(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-1")
    response = editor.post("/api/houses/KP-1/photos", data={})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_required"

"""Login sessions end for real at logout; every form POST needs a CSRF token; roles are enforced."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from archive.db import Base
from archive.services.houses import get_house
from archive.services.photos import record_photo, stage_upload
from archive.services.users import find_user
from archive.state import ArchiveState
from tests.conftest import add_user, csrf_token, login, make_house, make_record
from tests.unit.media.conftest import make_picture


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


def snapshot(state: ArchiveState) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, str]]:
    """Every row of every table, and every file of the data folder but the database (by content)."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with state.db.session(write=False) as db:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [tuple(row) for row in db.execute(select(table).order_by(*order))]
    data = Path(state.config["DATA"])
    files = {str(path.relative_to(data)): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(data.rglob("*")) if path.is_file() and not path.name.startswith("qiaofang.db")}
    return rows, files


def _fill(rule: Rule, values: dict[str, Any]) -> list[str]:
    """The URLs of a rule with its arguments taken from `values` (every choice of an `any(...)`)."""
    urls = [""]
    for part in re.split(r"(<[^>]+>)", rule.rule):
        match = re.fullmatch(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", part)
        if not match:
            urls = [url + part for url in urls]
            continue
        converter, choices, name = match.groups()
        options = [c.strip() for c in choices.split(",")] if converter == "any" and choices else [str(values[name])]
        urls = [url + option for url in urls for option in options]
    return urls


def test_researcher_changes_nothing(app: Flask, state: ArchiveState, researcher: FlaskClient) -> None:
    from archive.models import Person, Photo, RomanisationAlias
    from archive.services import SYSTEM
    from archive.services.records import save_person
    from archive.services.users import create_token

    make_house(state, "KP-1", published=False)
    record_id = make_record(state, "KP-1", public=False)
    add_user(state, "ed", "editor")
    buffer = io.BytesIO()
    make_picture((400, 300), 3).save(buffer, "JPEG")
    buffer.seek(0)
    staged = stage_upload(state.store, state.derivatives_dir, buffer, "正门.jpg")
    with state.transaction() as db:
        photo_id = record_photo(db, SYSTEM, get_house(db, "KP-1"), staged).photo.id
        person_id = save_person(db, SYSTEM, None, {"name_zh": "关福", "public": False}).id
        create_token(db, "ed", "camera")
        ed_id = find_user(db, "ed").id
        alias_id = db.scalar(select(RomanisationAlias.id).limit(1))
        assert db.get(Photo, photo_id) and db.get(Person, person_id) and alias_id
    before = snapshot(state)

    token = csrf_token(researcher, "/staff/")
    values = {"code": "KP-1", "record_id": record_id, "photo_id": photo_id, "person_id": person_id,
              "link_id": 1, "user_id": ed_id, "token_id": 1, "alias_id": alias_id, "entry_id": 1,
              "batch_id": "b1", "token": "t1"}
    form = {"csrf_token": token, "name_zh": "改名", "title": "改", "published": "on", "public": "on",
            "role": "admin", "chinese": "关", "spelling": "Kwan", "kind": "surname", "label": "x"}
    tried = 0
    for rule in app.url_map.iter_rules():
        # Every staff form but the alias table, which researchers keep too (by design).
        if (not rule.rule.startswith("/staff/") or rule.rule.startswith("/staff/aliases")
                or "POST" not in (rule.methods or set())):
            continue
        for url in _fill(rule, values):
            response = researcher.post(url, data=form)
            assert response.status_code == 403, (url, response.status_code)
            tried += 1
    assert tried >= 25
    assert researcher.get("/staff/houses/new").status_code == 403
    assert researcher.get("/staff/houses/KP-1/history").status_code == 200
    assert researcher.post("/api/houses/KP-1/photos", data={}).status_code == 401
    assert snapshot(state) == before


def test_api_write_needs_token(state: ArchiveState, editor: FlaskClient) -> None:
    make_house(state, "KP-1")
    response = editor.post("/api/houses/KP-1/photos", data={})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_required"

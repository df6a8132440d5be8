"""Fixtures: an app per test with its own database (SQLite file, or a PostgreSQL schema) and data folder.

Set QIAOFANG_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/test to run the whole suite
against PostgreSQL; `.ci/run` runs it both ways.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from archive import build_state, create_app
from archive.config import load_config
from archive.db import Base
from archive.services import SYSTEM
from archive.services.searching import drain_queue
from archive.services.setup import initialise
from archive.state import ArchiveState
from tests.s3server import CREDENTIALS, S3Server

PG_URL = os.environ.get("QIAOFANG_TEST_DATABASE_URL", "")
# Tables that initialise() seeds; everything else is emptied between PostgreSQL tests.
SEEDED = {"vocab_term", "romanisation_alias"}


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded database: a SQLite file to copy, or a PostgreSQL schema to truncate."""
    base = tmp_path_factory.mktemp("template")
    if PG_URL:
        schema = f"qf_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
        state = build_state(load_config(_config(base, url)))
        initialise(state)
        state.db.dispose()
        yield url
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        url = f"sqlite:///{base / 'qiaofang.db'}"
        state = build_state(load_config(_config(base, url)))
        initialise(state)
        state.db.dispose()
        yield str(base / "qiaofang.db")


def _config(data: Path, url: str) -> dict[str, Any]:
    return {"DATA": data, "DATABASE_URL": url, "SECRET_KEY": "test-secret", "SEARCH_SYNC": True}


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in SEEDED]
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_config(tmp_path: Path, database_template: str) -> dict[str, Any]:
    data = tmp_path / "data"
    data.mkdir()
    if PG_URL:
        _truncate_pg(database_template)
        url = database_template
    else:
        shutil.copy(database_template, data / "qiaofang.db")
        url = f"sqlite:///{data / 'qiaofang.db'}"
    return {**_config(data, url), "TESTING": True}


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_config)
    yield app
    app.extensions["qiaofang"].close()


@pytest.fixture
def state(app: Flask) -> ArchiveState:
    result: ArchiveState = app.extensions["qiaofang"]
    return result


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class CliRunner:
    """Runs the real `qiaofang` command group against the test's app."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.runner = app.test_cli_runner()

    def invoke(self, args: list[str], input: str | None = None) -> Any:
        from flask.cli import ScriptInfo

        from archive.cli import cli

        return self.runner.invoke(cli, args, input=input, obj=ScriptInfo(create_app=lambda: self.app))


@pytest.fixture
def runner(app: Flask) -> CliRunner:
    return CliRunner(app)


@pytest.fixture
def db(state: ArchiveState) -> Iterator[Session]:
    """A write session for arranging data; commit explicitly (or use the factories, which do)."""
    session = state.db.session(write=True)
    yield session
    session.rollback()
    session.close()


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    body = client.get(page).get_data(as_text=True)
    match = CSRF.search(body)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def add_user(state: ArchiveState, name: str, role: str, password: str = "correct horse") -> None:
    from archive.services.users import create_user

    with state.transaction() as session:
        create_user(session, name, password, role)


def login(client: FlaskClient, name: str, password: str = "correct horse") -> None:
    token = csrf_token(client)
    response = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def editor(state: ArchiveState, client: FlaskClient) -> FlaskClient:
    add_user(state, "editor1", "editor")
    login(client, "editor1")
    return client


@pytest.fixture
def researcher(state: ArchiveState, client: FlaskClient) -> FlaskClient:
    add_user(state, "researcher1", "researcher")
    login(client, "researcher1")
    return client


def make_house(state: ArchiveState, code: str = "KP-TK-ZL-001", **values: Any) -> int:
    from archive.services.houses import create_house

    defaults: dict[str, Any] = {
        "code": code, "name_zh": "铭石楼", "name_en": "Mingshi Lou", "county": "开平市", "township": "塘口镇",
        "village": "自力村", "style": "diaolou", "built_text": "民国十四年", "published": True,
    }
    with state.transaction() as session:
        house_id = create_house(session, SYSTEM, {**defaults, **values}).id
    drain_queue(state)  # as the web and CLI edges do after every commit
    return house_id


def make_record(state: ArchiveState, house_code: str, **values: Any) -> int:
    from archive.services.houses import get_house
    from archive.services.records import create_record

    defaults: dict[str, Any] = {"kind": "oral_history", "title": "村民回忆", "body": "据村民回忆……", "public": True}
    with state.transaction() as session:
        record_id = create_record(session, SYSTEM, [get_house(session, house_code)], {**defaults, **values}).id
    drain_queue(state)
    return record_id


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """A real S3 API server (moto's, in a subprocess) shared by the session's replica tests."""
    server = S3Server.start(tmp_path_factory.mktemp("s3") / "server.log")
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    """The session's S3 server, with test credentials in the environment where boto3 looks."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    return s3_server

"""Two app servers on one PostgreSQL database (docs/scaling.md): an edit made through one is found
by a search on the other.

Both are real `qiaofang serve` processes (gunicorn) with their own data folder, so their own
search index folder, and one shared originals folder (QIAOFANG_MEDIA_DIR), as several servers
would share an S3 bucket. The database is a scratch one (`qf_scale_<pid>`), dropped afterwards.
Server B takes no write at all: its drainer polls the shared queue and applies A's rows to its
own index.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("QIAOFANG_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
pytestmark = pytest.mark.postgres


@pytest.fixture
def database() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("two app servers share one PostgreSQL database: this runs in the PostgreSQL pass "
                    "(QIAOFANG_TEST_DATABASE_URL, as .ci/run sets)")
    name = f"qf_scale_{os.getpid()}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(query={}, database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def qiaofang(*args: str, env: dict[str, str], stdin: str = "") -> str:
    # `python -m archive.cli` from the checkout: this tree's code, whatever `qiaofang` is installed.
    done = subprocess.run([sys.executable, "-m", "archive.cli", *args], input=stdin, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"qiaofang {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """`qiaofang --data DATA serve` on a free port, its output in DATA/serve.log."""

    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.data = data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = data / "serve.log"
        data.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "archive.cli", "--data", str(data), "serve", "--port", str(self.port),
                 "--workers", "1", "--threads", "2"],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy for 127.0.0.1

    def wait_until_up(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server on {self.data} exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.http.get(self.base + "/", timeout=30).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or the worker still loading
                pass
            time.sleep(0.3)
        pytest.fail(f"server on {self.data} did not answer within {seconds} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def csrf(self, page: str) -> str:
        match = CSRF.search(self.http.get(self.base + page, timeout=30).text)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def login(self, name: str) -> None:
        response = self.http.post(self.base + "/login", allow_redirects=False, timeout=30,
                                  data={"username": name, "password": PASSWORD, "csrf_token": self.csrf("/login")})
        assert response.status_code == 302, response.text[-2000:]

    def post_form(self, page: str, form: dict[str, str]) -> None:
        response = self.http.post(self.base + page, data={**form, "csrf_token": self.csrf(page)},
                                  allow_redirects=False, timeout=60)
        assert response.status_code == 302, response.text[-2000:]

    def search_codes(self, q: str) -> list[str]:
        response = self.http.get(self.base + "/api/search", params={"q": q}, timeout=30)
        if response.status_code != 200:  # e.g. 503 while an index is rebuilt
            return []
        body: Any = response.json()
        return sorted({hit["house_code"] for hit in body["hits"]})

    def wait_for(self, q: str, codes: list[str], seconds: float) -> float:
        """Poll search until it answers `codes`; the seconds it took, or a clear failure."""
        started = time.monotonic()
        while (found := self.search_codes(q)) != codes:
            if time.monotonic() - started > seconds:
                pytest.fail(f"{self.base}: searching {q!r} still finds {found}, not {codes}, after {seconds} s:\n"
                            f"{self.output()}")
            time.sleep(0.25)
        return time.monotonic() - started

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def test_an_edit_on_one_server_is_found_on_the_other(database: str, tmp_path: Path) -> None:
    originals = tmp_path / "originals"  # shared, as a bucket would be
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    env.update(QIAOFANG_DATABASE_URL=database, QIAOFANG_MEDIA_DIR=str(originals), PYTHONPATH=str(ROOT))
    data_a, data_b = tmp_path / "a", tmp_path / "b"
    qiaofang("--data", str(data_a), "init", env=env)
    qiaofang("--data", str(data_a), "user", "add", "ed", "--role", "editor", env=env, stdin=f"{PASSWORD}\n")

    servers = [Server(data_a, env)]
    try:
        servers.append(Server(data_b, env))
        a, b = servers
        a.wait_until_up()
        b.wait_until_up()
        a.login("ed")
        b.login("ed")  # the users are in the shared database; the staff index is searched

        house = {"code": "KP-S1", "name_zh": "守望楼", "county": "开平市", "style": "diaolou",
                 "location_public": "y"}
        a.post_form("/staff/houses/new", house)
        a.wait_for("守望楼", ["KP-S1"], seconds=30)  # where it was made: its drainer is woken at once
        b.wait_for("守望楼", ["KP-S1"], seconds=60)

        a.post_form("/staff/houses/KP-S1/edit", {**house, "summary_zh": "楼顶有燕子窝，四角有燕子窝"})
        waited = b.wait_for("燕子窝", ["KP-S1"], seconds=60)
        print(f"server B found A's edit after {waited:.1f} s")  # B polls the queue every 5 s

        # Each server has its own index folder, with its own mark in the shared queue.
        for data in (data_a, data_b):
            assert (data / "index" / "staff.queue.json").exists()
            assert (data / "index" / "staff").is_dir()
        assert not (originals / "index").exists()
    finally:
        for server in servers:
            server.stop()

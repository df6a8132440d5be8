"""Browser tests: the real app (`qiaofang serve`) in a subprocess, driven by the system Chromium.

Chromium is the Debian package (`apt-get install chromium`), driven by Playwright's sync API through
`executable_path`; Playwright's own browser download is never used. Without /usr/bin/chromium the
tests fail and say so, unless QIAOFANG_SKIP_BROWSER=1 asks to skip them.

Set QIAOFANG_SCREENSHOTS=DIR to keep the screenshots the tests take (gallery, house page, upload in
progress) for a look at the design; by default they go to pytest's tmp folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("QIAOFANG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
EDITOR, PASSWORD = "ed", "password1234"
ROOT = Path(__file__).resolve().parents[2]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install it with `apt-get install chromium` (never `playwright install`)"
    if os.environ.get("QIAOFANG_SKIP_BROWSER") == "1":
        pytest.skip(f"QIAOFANG_SKIP_BROWSER=1 and {reason}")
    pytest.fail(f"{reason}, or set QIAOFANG_SKIP_BROWSER=1 to skip the browser tests", pytrace=False)


def _qiaofang() -> list[str]:
    script = shutil.which("qiaofang", path=str(Path(sys.executable).parent)) or shutil.which("qiaofang")
    return [script] if script else [sys.executable, "-c", "from archive.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"qiaofang serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"qiaofang serve did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def _run(command: list[str], env: dict[str, str], stdin: str = "") -> None:
    done = subprocess.run(command, input=stdin.encode(), env=env, cwd=ROOT, capture_output=True, check=False)
    if done.returncode:
        output = (done.stdout + done.stderr).decode(errors="replace")[-3000:]
        pytest.fail(f"{' '.join(command[-3:])} exited with {done.returncode}:\n{output}", pytrace=False)


@pytest.fixture(scope="session")
def chromium() -> Path:
    _require_chromium()
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh data folder, an editor account, and `qiaofang serve` on a free port."""
    data = tmp_path_factory.mktemp("browser-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIAOFANG_")}
    command = [*_qiaofang(), "--data", str(data)]
    _run([*command, "init"], env)
    _run([*command, "user", "add", EDITOR, "--role", "editor"], env, stdin=f"{PASSWORD}\n")
    port = _free_port()
    log = data / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([*command, "serve", "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not _load_failure(msg.text)
            else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and "/static/" in r.url
            else None)
    # ERR_ABORTED is a load the browser dropped because the page moved on (a favicon, say).
    page.on("requestfailed", lambda r: errors.append(f"{r.failure} {r.url}")
            if "/static/" in r.url and r.failure != "net::ERR_ABORTED" else None)
    yield page
    context.close()
    # A CSP violation, a script error or a missing asset is a failure even when the page looks right.
    # (Refused and cut-off uploads fail on purpose; the browser logs those too, so loads are checked
    # by the response and requestfailed hooks instead, for our own assets.)
    assert not errors, errors


def _load_failure(console_text: str) -> bool:
    return console_text.startswith("Failed to load resource:")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("QIAOFANG_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page: Any, username: str = EDITOR, password: str = PASSWORD) -> None:
    page.goto("/login?lang=en")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/staff/")


def create_house(page: Any, code: str, name_zh: str, **fields: str) -> None:
    """Through the staff form, as an editor would, then publish it."""
    page.goto("/staff/houses/new?lang=en")
    values = {"code": code, "name_zh": name_zh, "county": "开平市", "township": "塘口镇",
              "village": "自力村", "built_text": "民国十四年", **fields}
    for name, value in values.items():
        if name in ("style", "protection_level", "condition"):
            page.select_option(f"#{name}", value)
        else:
            page.fill(f"#{name}", value)
    page.click("form.house-form button[type=submit]")
    page.wait_for_url(f"**/houses/{code}")
    page.click("form[action$='/publish'] button")
    page.wait_for_url(f"**/houses/{code}")


def upload_directly(page: Any, code: str, files: list[Path], public: bool = True) -> None:
    """Photos through the same endpoint the upload page uses, with the page's session and CSRF token."""
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    for path in files:
        response = page.request.post(
            f"/staff/houses/{code}/photos", headers={"X-CSRFToken": token},
            multipart={"file": {"name": path.name, "mimeType": "image/jpeg", "buffer": path.read_bytes()},
                       **({"public": "1"} if public else {})},
        )
        assert response.status == 201, response.text()

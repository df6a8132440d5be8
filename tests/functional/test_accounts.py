"""Accounts: login limits, deactivation mid-session, role change, reset, own password change,
token list and revoke (page and CLI), security headers. Each fault is injected, the outcome read back.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from archive import create_app
from archive.db import utcnow
from archive.models import AuditEvent, LoginAttempt, User, UserSession
from archive.services.login_limits import LoginLimits, begin_attempt, name_key
from archive.services.users import create_token
from archive.state import ArchiveState
from tests.conftest import add_user, csrf_token, login, make_house

LIMITED = "Too many failed logins for this account or from this address"


def try_login(client: FlaskClient, name: str, password: str, address: str = "127.0.0.1") -> Any:
    token = csrf_token(client, "/login?lang=en")
    return client.post("/login?lang=en", data={"username": name, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def admin_client(app: Flask, state: ArchiveState) -> FlaskClient:
    add_user(state, "boss", "admin")
    client = app.test_client()
    login(client, "boss")
    return client


def post(client: FlaskClient, path: str, data: dict[str, str] | None = None) -> Any:
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, "/staff/")})


def user_id(state: ArchiveState, name: str) -> int:
    with state.db.session(write=False) as db:
        found = db.scalar(select(User.id).where(User.username == name))
    assert found is not None
    return found


def events(state: ArchiveState, action: str) -> list[AuditEvent]:
    with state.db.session(write=False) as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def api_status(client: FlaskClient, token: str) -> tuple[int, str | None]:
    response = client.get("/api/houses", headers={"Authorization": f"Bearer {token}"})
    body = response.get_json()
    return response.status_code, (body.get("error") or {}).get("code")


# --- login limits -------------------------------------------------------------------------------

def test_thirty_wrong_passwords_lock_the_account(app: Flask, state: ArchiveState, client: FlaskClient,
                                                 app_config: dict[str, Any]) -> None:
    add_user(state, "ed", "editor")
    statuses = [try_login(client, "ed", f"wrong-{i}", address=f"10.0.0.{i}").status_code for i in range(30)]
    assert statuses == [401] * 10 + [429] * 20  # the account's limit holds whatever the address
    refused = try_login(client, "ed", "correct horse", address="10.9.9.9")
    assert refused.status_code == 429
    assert LIMITED in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert client.get("/staff/").status_code == 302

    # The count is in the database: another app (another worker process) refuses as well.
    other = create_app(app_config)
    try:
        assert try_login(other.test_client(), "ed", "correct horse", address="10.8.8.8").status_code == 429
    finally:
        other.extensions["qiaofang"].close()

    failed = events(state, "login_failed")
    assert len(failed) == 10 and all(e.entity_id == user_id(state, "ed") for e in failed)
    assert not any("wrong-" in str(e.changes) + e.label for e in failed)  # no attempted password kept
    assert events(state, "login") == []


def test_thirty_wrong_passwords_from_one_address_lock_the_address(state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    # 30 names, one failure each: no account is near its limit, the address is at its own.
    statuses = [try_login(client, f"guess{i}", "x" * 9, address="203.0.113.7").status_code for i in range(30)]
    assert statuses == [401] * 30
    refused = try_login(client, "ed", "correct horse", address="203.0.113.7")
    assert refused.status_code == 429 and LIMITED in refused.get_data(as_text=True)
    # Another address is not held back by it.
    assert try_login(client, "ed", "correct horse", address="198.51.100.1").status_code == 302
    unknown = events(state, "login_failed")
    assert len(unknown) == 30 and all(e.entity_id is None and e.label == "?" for e in unknown)
    assert not any("guess" in str(e.changes) for e in unknown)  # names of no account are not kept
    with state.db.session(write=False) as db:
        stored = " ".join(a.name_sha256 + a.address for a in db.scalars(select(LoginAttempt)))
    assert "guess" not in stored


def test_attempts_still_being_checked_count_against_the_limit(app: Flask, state: ArchiveState) -> None:
    # Fifteen requests in flight at once (none has finished hashing): only ten may go on.
    limits = LoginLimits.from_config(app.config)
    with state.transaction() as db:
        started = [begin_attempt(db, limits, "ed", f"10.1.0.{i}") for i in range(15)]
    assert [a.refused for a in started] == [False] * 10 + [True] * 5


def test_failures_older_than_the_window_no_longer_count(state: ArchiveState, client: FlaskClient) -> None:
    add_user(state, "ed", "editor")
    long_ago = utcnow() - timedelta(minutes=16)
    with state.transaction() as db:
        db.add_all(LoginAttempt(at=long_ago, name_sha256=name_key("ed"), address="127.0.0.1", outcome="failed")
                   for _ in range(40))
    assert try_login(client, "ed", "correct horse").status_code == 302
    with state.db.session(write=False) as db:  # and they were pruned on the way
        assert db.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at < utcnow()
                                                                              - timedelta(minutes=15))) == 0


def test_reset_lifts_the_lock(app: Flask, state: ArchiveState, client: FlaskClient) -> None:
    admin = admin_client(app, state)
    add_user(state, "ed", "editor")
    for _ in range(10):
        try_login(client, "ed", "wrong wrong")
    page = post(admin, f"/staff/users/{user_id(state, 'ed')}/reset")
    temporary = re.search(r"data-secret>([^<]+)<", page.get_data(as_text=True))
    assert temporary
    assert try_login(client, "ed", temporary.group(1)).status_code == 302


# --- deactivation, role, reset, password change ----------------------------------------------

def test_deactivated_user_is_logged_out_mid_session(app: Flask, state: ArchiveState, editor: FlaskClient) -> None:
    with state.transaction() as db:
        token = create_token(db, "editor1", "scanner")
    assert editor.get("/staff/").status_code == 200
    assert api_status(editor, token)[0] == 200
    admin = admin_client(app, state)

    response = post(admin, f"/staff/users/{user_id(state, 'editor1')}/deactivate")
    assert response.status_code == 302

    after = editor.get("/staff/")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    assert api_status(app.test_client(), token) == (401, "invalid_token")
    assert try_login(app.test_client(), "editor1", "correct horse").status_code == 401
    (event,) = events(state, "deactivate")
    assert event.actor == "boss" and event.changes["sessions_ended"] == 1 and event.changes["tokens_revoked"] == 1

    # Reactivating lets them log in again, but the old session and token stay dead.
    post(admin, f"/staff/users/{user_id(state, 'editor1')}/activate")
    assert api_status(app.test_client(), token)[0] == 401
    assert editor.get("/staff/").status_code == 302


def test_role_change_takes_effect_on_the_next_request(app: Flask, state: ArchiveState,
                                                      researcher: FlaskClient) -> None:
    make_house(state, "KP-1", published=False)
    assert post(researcher, "/staff/houses/KP-1/publish").status_code == 403
    admin = admin_client(app, state)
    assert post(admin, f"/staff/users/{user_id(state, 'researcher1')}/role", {"role": "editor"}).status_code == 302
    assert post(researcher, "/staff/houses/KP-1/publish").status_code == 302
    (event,) = events(state, "role")
    assert event.changes == {"role": ["researcher", "editor"]}


def test_last_admin_cannot_be_demoted_or_deactivated(app: Flask, state: ArchiveState) -> None:
    admin = admin_client(app, state)
    admin.get("/staff/?lang=en")  # the refusal is said in the language of the request that made it
    boss = user_id(state, "boss")
    response = post(admin, f"/staff/users/{boss}/role", {"role": "editor"})
    assert response.status_code == 302
    assert "last active administrator" in admin.get(f"/staff/users/{boss}?lang=en").get_data(as_text=True)
    post(admin, f"/staff/users/{boss}/deactivate")
    with state.db.session(write=False) as db:
        user = db.get(User, boss)
        assert user is not None and user.role == "admin" and user.active


def test_reset_makes_the_user_choose_a_new_password_first(app: Flask, state: ArchiveState,
                                                          editor: FlaskClient) -> None:
    admin = admin_client(app, state)
    page = post(admin, f"/staff/users/{user_id(state, 'editor1')}/reset")
    temporary = re.search(r"data-secret>([^<]+)<", page.get_data(as_text=True))
    assert page.status_code == 200 and temporary
    assert editor.get("/staff/").status_code == 302  # the reset ended their session

    user = app.test_client()
    assert try_login(user, "editor1", "correct horse").status_code == 401
    response = try_login(user, "editor1", temporary.group(1))
    assert response.headers["Location"].endswith("/password")
    for path in ("/staff/", "/", "/staff/houses/new"):
        blocked = user.get(path)
        assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/password")
    token = csrf_token(user, "/password")
    same = user.post("/password?lang=en", data={"current": temporary.group(1), "new": temporary.group(1),
                                                 "confirm": temporary.group(1), "csrf_token": token})
    assert same.status_code == 400 and "different from the current one" in same.get_data(as_text=True)
    done = user.post("/password", data={"current": temporary.group(1), "new": "my own secret",
                                        "confirm": "my own secret", "csrf_token": token})
    assert done.status_code == 302
    assert user.get("/staff/").status_code == 200
    assert try_login(app.test_client(), "editor1", "my own secret").status_code == 302
    assert [e.label for e in events(state, "reset_password")] == ["editor1"]


def test_own_password_change_ends_other_sessions(app: Flask, state: ArchiveState, editor: FlaskClient) -> None:
    laptop = app.test_client()
    login(laptop, "editor1")
    token = csrf_token(editor, "/password")
    wrong = editor.post("/password?lang=en", data={"current": "not it at all", "new": "brand new pass",
                                                   "confirm": "brand new pass", "csrf_token": token})
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    assert laptop.get("/staff/").status_code == 200

    done = editor.post("/password", data={"current": "correct horse", "new": "brand new pass",
                                          "confirm": "brand new pass", "csrf_token": token})
    assert done.status_code == 302
    assert editor.get("/staff/").status_code == 200  # this session goes on
    assert laptop.get("/staff/").status_code == 302  # the other one ended
    assert try_login(app.test_client(), "editor1", "correct horse").status_code == 401
    (event,) = events(state, "change_password")
    assert event.changes == {"sessions_ended": 1}


def test_guessing_the_current_password_is_limited(state: ArchiveState, editor: FlaskClient) -> None:
    from werkzeug.security import check_password_hash

    token = csrf_token(editor, "/password")

    def change(current: str) -> Any:
        return editor.post("/password?lang=en", data={"current": current, "new": "brand new pass",
                                                      "confirm": "brand new pass", "csrf_token": token})

    assert [change(f"guess {i}").status_code for i in range(12)] == [400] * 10 + [429] * 2
    refused = change("correct horse")
    assert refused.status_code == 429 and LIMITED in refused.get_data(as_text=True)
    with state.db.session(write=False) as db:
        user = db.scalar(select(User).where(User.username == "editor1"))
        assert user is not None and check_password_hash(user.password_hash, "correct horse")


def test_session_ends_after_its_maximum_age(state: ArchiveState, editor: FlaskClient) -> None:
    assert editor.get("/staff/").status_code == 200
    with state.transaction() as db:  # the login happened 13 hours ago
        session = db.scalar(select(UserSession))
        assert session is not None
        session.created_at = utcnow() - timedelta(hours=13)
    response = editor.get("/staff/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logins_and_logouts_are_audited(state: ArchiveState, editor: FlaskClient) -> None:
    post(editor, "/logout")
    (login_event,) = events(state, "login")
    (logout_event,) = events(state, "logout")
    assert login_event.actor == logout_event.actor == "editor1"
    assert login_event.changes == {"address": "127.0.0.1"}
    with state.db.session(write=False) as db:
        assert db.scalar(select(UserSession.revoked_at)) is not None


# --- tokens ------------------------------------------------------------------------------------

def test_revoked_token_is_refused_by_the_api(app: Flask, state: ArchiveState, runner: Any) -> None:
    add_user(state, "ed", "editor")
    created = runner.invoke(["token", "create", "ed", "--label", "uploader"])
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    client = app.test_client()
    assert api_status(client, token)[0] == 200

    listed = runner.invoke(["token", "list", "ed"])
    match = re.search(r"^\s*(\d+) ed\s+uploader\s+created \S+ \S+\s+last used (\S+)", listed.output, re.M)
    assert match and match.group(2) != "never", listed.output
    revoked = runner.invoke(["token", "revoke", match.group(1)])
    assert revoked.exit_code == 0 and "revoked" in revoked.output

    assert api_status(client, token) == (401, "invalid_token")
    assert "uploader" not in runner.invoke(["token", "list"]).output
    assert "revoked" in runner.invoke(["token", "list", "--all"]).output
    assert [e.label for e in events(state, "token_revoke")] == ["ed: uploader"]
    assert runner.invoke(["token", "revoke", "9999"]).exit_code == 1


def test_token_list_shows_last_use_and_the_page_revokes(app: Flask, state: ArchiveState, runner: Any) -> None:
    add_user(state, "ed", "editor")
    with state.transaction() as db:
        token = create_token(db, "ed", "field phone")
    before = runner.invoke(["token", "list"]).output
    assert "field phone" in before and "last used never" in before
    api_status(app.test_client(), token)
    assert "last used never" not in runner.invoke(["token", "list"]).output

    admin = admin_client(app, state)
    page = admin.get(f"/staff/users/{user_id(state, 'ed')}?lang=en").get_data(as_text=True)
    assert "field phone" in page and "never" not in page.split("field phone")[1].split("</tr>")[0]
    token_id = re.search(r"/staff/tokens/(\d+)/revoke", page)
    assert token_id
    assert post(admin, f"/staff/tokens/{token_id.group(1)}/revoke").status_code == 302
    assert api_status(app.test_client(), token) == (401, "invalid_token")


def test_admin_creates_a_token_on_the_page(app: Flask, state: ArchiveState) -> None:
    admin = admin_client(app, state)
    add_user(state, "ed", "editor")
    page = post(admin, f"/staff/users/{user_id(state, 'ed')}/tokens", {"label": "scanner"})
    token = re.search(r"data-secret>(qf_[^<]+)<", page.get_data(as_text=True))
    assert page.status_code == 200 and token
    assert api_status(app.test_client(), token.group(1))[0] == 200
    assert [e.label for e in events(state, "token_create")] == ["ed: scanner"]


# --- the users page ------------------------------------------------------------------------------

def test_users_page_is_for_admins_only(app: Flask, state: ArchiveState, editor: FlaskClient) -> None:
    assert editor.get("/staff/users").status_code == 403
    assert post(editor, f"/staff/users/{user_id(state, 'editor1')}/role", {"role": "admin"}).status_code == 403
    assert app.test_client().get("/staff/users").status_code == 302
    admin = admin_client(app, state)
    body = admin.get("/staff/users?lang=en").get_data(as_text=True)
    assert "editor1" in body and "boss" in body
    no_csrf = admin.post(f"/staff/users/{user_id(state, 'editor1')}/deactivate")
    assert no_csrf.status_code == 400
    with state.db.session(write=False) as db:
        assert db.scalar(select(User.active).where(User.username == "editor1")) is True


def test_admin_adds_a_user_who_sets_their_password(app: Flask, state: ArchiveState) -> None:
    admin = admin_client(app, state)
    page = post(admin, "/staff/users", {"username": "newbie", "role": "researcher"})
    temporary = re.search(r"data-secret>([^<]+)<", page.get_data(as_text=True))
    assert page.status_code == 200 and temporary
    again = post(admin, "/staff/users?lang=en", {"username": "newbie", "role": "researcher"})
    assert again.status_code == 400 and "already exists" in again.get_data(as_text=True)
    user = app.test_client()
    assert try_login(user, "newbie", temporary.group(1)).headers["Location"].endswith("/password")
    assert [e.label for e in events(state, "create") if e.entity_type == "user"] == ["boss", "newbie"]


def test_cli_user_commands(state: ArchiveState, runner: Any) -> None:
    add_user(state, "boss", "admin")
    add_user(state, "ed", "editor")
    assert "ed " in runner.invoke(["user", "list"]).output
    assert runner.invoke(["user", "role", "ed", "researcher"]).exit_code == 0
    demoted = runner.invoke(["user", "role", "boss", "editor"])
    assert demoted.exit_code == 1 and "last active administrator" in demoted.output
    assert runner.invoke(["user", "deactivate", "ed"]).exit_code == 0
    listed = runner.invoke(["user", "list"]).output
    assert re.search(r"^ed\s+researcher\s+deactivated", listed, re.M), listed
    reset = runner.invoke(["user", "reset-password", "boss"])
    temporary = reset.output.strip().splitlines()[-1]
    with state.db.session(write=False) as db:
        boss = db.scalar(select(User).where(User.username == "boss"))
        assert boss is not None and boss.must_change_password
        assert temporary not in boss.password_hash
    assert [e.actor.startswith("cli:") for e in events(state, "role")] == [True]


# --- headers -------------------------------------------------------------------------------------

def test_csp_forbids_framing_and_no_hsts_without_secure_cookies(client: FlaskClient) -> None:
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_with_secure_cookies(app_config: dict[str, Any], state: ArchiveState) -> None:
    add_user(state, "ed", "editor")
    secure = create_app({**app_config, "SECURE_COOKIES": True})
    try:
        client = secure.test_client()
        response = client.get("/login", base_url="https://localhost")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        token = csrf_token(client, "https://localhost/login")
        # Over HTTPS Flask-WTF also wants a same-site Referer.
        done = client.post("https://localhost/login", data={"username": "ed", "password": "correct horse",
                                                             "csrf_token": token},
                           headers={"Referer": "https://localhost/login"})
        assert done.status_code == 302 and "Secure" in done.headers["Set-Cookie"]
    finally:
        secure.extensions["qiaofang"].close()


def test_passwords_have_at_least_twelve_characters(state: ArchiveState, editor: FlaskClient, runner: Any) -> None:
    # ASVS level 2, 2.1.1: at least 12 characters, whatever they are.
    token = csrf_token(editor, "/password")
    short = editor.post("/password?lang=en", data={"current": "correct horse", "new": "eleven char",
                                                   "confirm": "eleven char", "csrf_token": token})
    assert short.status_code == 400
    assert "The password must have at least 12 characters." in short.get_data(as_text=True)
    assert try_login(editor.application.test_client(), "editor1", "correct horse").status_code == 302
    added = runner.invoke(["user", "add", "newbie", "--role", "editor"], input="eleven char\n")
    assert added.exit_code == 1 and "at least 12 characters" in added.output
    assert runner.invoke(["user", "add", "newbie", "--role", "editor"], input="twelve chars\n").exit_code == 0


def test_behind_a_proxy_the_address_limit_counts_the_forwarded_client(app_config: dict[str, Any]) -> None:
    """PROXY_HOPS=1: every request comes from the proxy's address; X-Forwarded-For names the client,
    and only that client is held back. Without PROXY_HOPS the header is ignored (a client could forge it)."""
    for hops, locked_out_other_client in ((1, False), (0, True)):
        app = create_app({**app_config, "PROXY_HOPS": hops})
        state = app.extensions["qiaofang"]
        try:
            add_user(state, f"ed{hops}", "editor")
            client = app.test_client()

            def attempt(name: str, password: str, forwarded: str, client: FlaskClient = client) -> int:
                token = csrf_token(client, "/login?lang=en")
                return client.post("/login?lang=en", data={"username": name, "password": password,
                                                          "csrf_token": token},
                                   environ_base={"REMOTE_ADDR": "10.0.0.1"},
                                   headers={"X-Forwarded-For": forwarded}).status_code

            assert [attempt(f"guess{i}", "x" * 9, "203.0.113.7") for i in range(30)] == [401] * 30
            assert attempt(f"ed{hops}", "correct horse", "203.0.113.7") == 429
            other = attempt(f"ed{hops}", "correct horse", "198.51.100.1")
            assert other == (429 if locked_out_other_client else 302)
        finally:
            state.close()

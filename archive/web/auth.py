"""Log in and out, change one's own password. The cookie carries a server-side session id, so a
session ends for real at logout, password change, reset or deactivation.

Login attempts are limited per account and per address (services/login_limits.py). The attempt
is recorded and checked in short transactions of their own, before the request's write session
starts: on SQLite that session holds the write lock, which the bookkeeping would wait for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from archive.extensions import login_manager
from archive.messages import service_message
from archive.models import User
from archive.services import ServiceError, login_limits, users
from archive.state import get_state
from archive.web.account_forms import PasswordChangeForm
from archive.web.context import get_db, lookup
from archive.web.errors import error_response, wants_json
from archive.web.forms import LoginForm

bp = Blueprint("auth", __name__)


class LoginUser(UserMixin):
    """What Flask-Login keeps: the session id (not the user id) is the identity in the cookie."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user_id = user.id
        self.username = user.username
        self.role = user.role
        self.must_change_password = user.must_change_password
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id


@login_manager.user_loader
def load_user(session_id: str) -> LoginUser | None:
    """Read on every request: a revoked or expired session, or a deactivated user, is logged out at once."""
    max_age = timedelta(hours=int(current_app.config["SESSION_MAX_HOURS"]))
    found = lookup(users.user_for_session, session_id, max_age)
    if found is None:
        return None
    user, user_session = found
    return LoginUser(user, user_session.id)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.dashboard")


def client_address() -> str:
    return request.remote_addr or "unknown"


def _checked_password(username: str, password: str) -> User | int:
    """The user if the password is right; else the seconds to wait (0: just wrong, not limited)."""
    state = get_state()
    limits = login_limits.LoginLimits.from_config(current_app.config)
    with state.transaction() as db:
        attempt = login_limits.begin_attempt(db, limits, username, client_address())
    if attempt.refused:
        current_app.logger.warning("login refused by the attempt limit from %s", client_address())
        return attempt.retry_after
    assert attempt.id is not None
    user = lookup(users.authenticate, username, password)
    with state.transaction() as db:
        login_limits.finish_attempt(db, attempt.id, succeeded=user is not None)
        if user is None:
            users.record_failed_login(db, username, client_address())
    return user if user is not None else 0


def _keep_only_language() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    found = _checked_password(form.username.data or "", form.password.data or "")
    if isinstance(found, int):
        if found:
            return _limited(found, "auth/login.html", form=form)
        flash(_("Wrong user name or password."), "error")
        return render_template("auth/login.html", form=form), 401
    db = get_db()
    user = users.get_user(db, found.id)
    user_session = users.start_session(db, user, address=client_address())
    _keep_only_language()  # nothing from before login survives into the logged-in session
    login_user(LoginUser(user, user_session.id))
    if user.must_change_password:
        return redirect(url_for("auth.password"))
    return redirect(_safe_next(request.args.get("next")))


def _limited(seconds: int, template: str, **context: Any) -> Any:
    """429 with the wait in the user's language and in Retry-After."""
    minutes = max(1, -(-seconds // 60))
    message = ngettext("Too many failed logins for this account or from this address. "
                       "Try again in %(num)d minute.",
                       "Too many failed logins for this account or from this address. "
                       "Try again in %(num)d minutes.", minutes)
    flash(message, "error")
    response = current_app.make_response((render_template(template, **context), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        users.end_session(get_db(), current_user.session_id)
    logout_user()
    _keep_only_language()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Any:
    """Change one's own password: the current one is required; the other sessions end."""
    form = PasswordChangeForm()
    forced = current_user.must_change_password
    if form.validate_on_submit():
        # The current password goes through the login limits too: a stolen session must not be a
        # way to guess the password at full speed.
        checked = _checked_password(current_user.username, form.current.data or "")
        if isinstance(checked, int) and checked:
            return _limited(checked, "auth/password.html", form=form, forced=forced)
        db = get_db()
        try:
            ended = users.change_password(db, users.get_user(db, current_user.user_id), form.current.data or "",
                                          form.new.data or "", keep_session=current_user.session_id)
        except ServiceError as exc:
            field = getattr(form, exc.field or "", None)
            if field is not None:
                field.errors = [*field.errors, service_message(exc)]
            else:
                flash(service_message(exc), "error")
        else:
            flash(ngettext("Password changed; %(num)d other session was ended.",
                           "Password changed; %(num)d other sessions were ended.", ended), "info")
            return redirect(url_for("staff.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form, forced=forced), status


@bp.before_app_request
def require_new_password() -> Any:
    """After an administrator's reset, nothing but choosing a new password (or logging out)."""
    if request.endpoint in ("auth.password", "auth.logout", "static") or "Authorization" in request.headers:
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if wants_json():
        return error_response(403, "password_change_required",
                              _("Choose a new password first (your password was reset)."))
    return redirect(url_for("auth.password"))

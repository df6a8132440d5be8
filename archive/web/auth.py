"""Log in and out. The cookie carries a server-side session id, so a session ends for real at logout."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, login_user, logout_user
from werkzeug.wrappers import Response

from archive.extensions import login_manager
from archive.models import User
from archive.services import users
from archive.web.context import get_db, lookup
from archive.web.forms import LoginForm

bp = Blueprint("auth", __name__)


class LoginUser(UserMixin):
    """What Flask-Login keeps: the session id (not the user id) is the identity in the cookie."""

    def __init__(self, user: User, session_id: str) -> None:
        self.user_id = user.id
        self.username = user.username
        self.role = user.role
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id


@login_manager.user_loader
def load_user(session_id: str) -> LoginUser | None:
    found = lookup(users.user_for_session, session_id)
    if found is None:
        return None
    user, user_session = found
    return LoginUser(user, user_session.id)


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        user = users.authenticate(db, form.username.data or "", form.password.data or "")
        if user is not None:
            user_session = users.start_session(db, user)
            lang = session.get("lang")
            session.clear()  # nothing from before login survives into the logged-in session
            if lang:
                session["lang"] = lang
            login_user(LoginUser(user, user_session.id))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong user name or password."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    from flask_login import current_user

    if current_user.is_authenticated:
        users.end_session(get_db(), current_user.session_id)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.index"))

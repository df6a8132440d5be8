"""The administrator's accounts pages: users (add, role, deactivate, reset) and their API tokens.

One-time secrets (a new user's or a reset password, a new token) are rendered straight into the
answer to the POST, never flashed: a flash message travels in the (signed, not encrypted) cookie.
Every page here is /staff, so answers are `Cache-Control: private, no-store`.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from archive.messages import service_message
from archive.models import User
from archive.services import ServiceError, login_limits, users
from archive.web.account_forms import ROLE_LABELS, RoleForm, TokenForm, UserAddForm
from archive.web.context import current_actor, get_db
from archive.web.guards import admin_required
from archive.web.staff import bp


def _limits() -> login_limits.LoginLimits:
    return login_limits.LoginLimits.from_config(current_app.config)


def _list_page(form: UserAddForm, status: int = 200) -> Any:
    db = get_db()
    tokens: dict[int, int] = {}
    for token in users.list_tokens(db):
        tokens[token.user_id] = tokens.get(token.user_id, 0) + 1
    rows = users.list_users(db)
    failures = {u.id: login_limits.account_failures(db, _limits(), u.username) for u in rows}
    return render_template("staff/users.html", users=rows, form=form, tokens=tokens, failures=failures,
                           roles=ROLE_LABELS, limit=_limits().per_account), status


@bp.get("/users")
@admin_required
def users_page() -> Any:
    return _list_page(UserAddForm())


@bp.post("/users")
@admin_required
def user_add() -> Any:
    """A new account with a one-time password: the new user chooses their own at first login."""
    form = UserAddForm()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    db, temporary = get_db(), secrets.token_urlsafe(12)
    try:
        user = users.create_user(db, form.username.data or "", temporary, form.role.data or "",
                                 actor=current_actor())
    except ServiceError as exc:
        form.username.errors = [*form.username.errors, service_message(exc)]
        return _list_page(form, 400)
    user.must_change_password = True
    return render_template("staff/user_secret.html", user=user, password=temporary)


def _user_page(user: User, *, token: str | None = None) -> Any:
    db = get_db()
    return render_template(
        "staff/user.html", user=user, role_form=RoleForm(role=user.role), token_form=TokenForm(),
        tokens=users.list_tokens(db, user, include_revoked=True), events=users.account_events(db, user),
        failures=login_limits.account_failures(db, _limits(), user.username), limit=_limits().per_account,
        roles=ROLE_LABELS, new_token=token)


@bp.get("/users/<int:user_id>")
@admin_required
def user_page(user_id: int) -> Any:
    return _user_page(users.get_user(get_db(), user_id))


def _refused(exc: ServiceError, user_id: int) -> Response:
    get_db().rollback()
    flash(service_message(exc), "error")
    return redirect(url_for("staff.user_page", user_id=user_id))


@bp.post("/users/<int:user_id>/role")
@admin_required
def user_role(user_id: int) -> Any:
    db, form = get_db(), RoleForm()
    user = users.get_user(db, user_id)
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
        return redirect(url_for("staff.user_page", user_id=user_id))
    try:
        users.set_role(db, current_actor(), user, form.role.data or "")
    except ServiceError as exc:
        return _refused(exc, user_id)
    flash(_("%(username)s is now %(role)s.", username=user.username, role=ROLE_LABELS[user.role]), "info")
    return redirect(url_for("staff.user_page", user_id=user_id))


@bp.post("/users/<int:user_id>/<any(deactivate, activate):action>")
@admin_required
def user_active(user_id: int, action: str) -> Any:
    db = get_db()
    user = users.get_user(db, user_id)
    try:
        users.set_active(db, current_actor(), user, action == "activate")
    except ServiceError as exc:
        return _refused(exc, user_id)
    if user.active:
        flash(_("%(username)s can log in again.", username=user.username), "info")
    else:
        flash(_("%(username)s is deactivated; their sessions and tokens have stopped.", username=user.username),
              "info")
    return redirect(url_for("staff.user_page", user_id=user_id))


@bp.post("/users/<int:user_id>/reset")
@admin_required
def user_reset(user_id: int) -> Any:
    db = get_db()
    user = users.get_user(db, user_id)
    temporary = users.reset_password(db, current_actor(), user)
    login_limits.clear_failures(db, user.username)
    return render_template("staff/user_secret.html", user=user, password=temporary)


@bp.post("/users/<int:user_id>/tokens")
@admin_required
def token_add(user_id: int) -> Any:
    db, form = get_db(), TokenForm()
    user = users.get_user(db, user_id)
    if not form.validate_on_submit():
        flash(_("At most %(max)d characters.", max=80), "error")
        return redirect(url_for("staff.user_page", user_id=user_id))
    try:
        token = users.create_token(db, user.username, form.label.data, actor=current_actor())
    except ServiceError as exc:
        return _refused(exc, user_id)
    return _user_page(user, token=token)


@bp.post("/tokens/<int:token_id>/revoke")
@admin_required
def token_revoke(token_id: int) -> Any:
    row = users.revoke_token(get_db(), current_actor(), token_id)
    flash(_("Token %(name)s revoked; it no longer works.", name=row.label or f"#{row.id}"), "info")
    return redirect(url_for("staff.user_page", user_id=row.user_id))

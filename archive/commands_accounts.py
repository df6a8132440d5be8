"""`qiaofang user ...` and `qiaofang token ...` beyond add/create: list, role, deactivate, reset, revoke.

The groups themselves (and `user add`, `token create`) are in archive/commands.py; the commands
here join them. Every change goes through archive/services/users.py and is audited as the
operator (`cli:$USER`).
"""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from archive.cli import fail, get_state, service_text
from archive.commands import require_schema, token_group, user_group
from archive.commands_import import cli_actor
from archive.services import ServiceError


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


@user_group.command("list")
@with_appcontext
def user_list() -> None:
    """List accounts: role, state, last login, live tokens."""
    from archive.services import users

    require_schema()
    with get_state().db.session(write=False) as db:
        tokens: dict[int, int] = {}
        for token in users.list_tokens(db):
            tokens[token.user_id] = tokens.get(token.user_id, 0) + 1
        rows = users.list_users(db)
        for user in rows:
            state = "active" if user.active else "deactivated"
            if user.must_change_password:
                state += ", must change password"
            click.echo(f"{user.username:24} {user.role:10} {state:36} last login {_when(user.last_login_at)}"
                       f"  tokens {tokens.get(user.id, 0)}")
    click.echo(f"users: {len(rows)}")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["admin", "editor", "researcher"]))
@with_appcontext
def user_role(name: str, role: str) -> None:
    """Give user NAME another role (effective on their next request)."""
    from archive.services import users

    require_schema()
    try:
        with get_state().transaction() as db:
            changed = users.set_role(db, cli_actor(), users.find_user(db, name), role)
    except ServiceError as exc:
        fail(service_text(exc))
    click.echo(f"user {name} is now {role}" if changed else f"user {name} was already {role}")


@user_group.command("deactivate")
@click.argument("name")
@with_appcontext
def user_deactivate(name: str) -> None:
    """Deactivate user NAME: their sessions and tokens stop at once."""
    _set_active(name, False)


@user_group.command("activate")
@click.argument("name")
@with_appcontext
def user_activate(name: str) -> None:
    """Reactivate user NAME (old sessions and tokens stay revoked)."""
    _set_active(name, True)


def _set_active(name: str, active: bool) -> None:
    from archive.services import users

    require_schema()
    try:
        with get_state().transaction() as db:
            changed = users.set_active(db, cli_actor(), users.find_user(db, name), active)
    except ServiceError as exc:
        fail(service_text(exc))
    word = "active" if active else "deactivated"
    click.echo(f"user {name} is now {word}" if changed else f"user {name} was already {word}")


@user_group.command("reset-password")
@click.argument("name")
@with_appcontext
def user_reset_password(name: str) -> None:
    """Give user NAME a one-time password (printed once); they choose a new one at next login."""
    from archive.services import login_limits, users

    require_schema()
    try:
        with get_state().transaction() as db:
            temporary = users.reset_password(db, cli_actor(), users.find_user(db, name))
            login_limits.clear_failures(db, name)
    except ServiceError as exc:
        fail(service_text(exc))
    click.echo(f"one-time password for {name} (shown once; a new one must be chosen at login):")
    click.echo(temporary)


@user_group.command("unlock")
@click.argument("name")
@with_appcontext
def user_unlock(name: str) -> None:
    """Forget the failed logins counted against NAME, lifting the login limit's lock."""
    from archive.services import login_limits

    require_schema()
    with get_state().transaction() as db:
        cleared = login_limits.clear_failures(db, name)
    click.echo(f"user {name}: {cleared} failed logins forgotten")


@token_group.command("list")
@click.argument("name", required=False)
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@with_appcontext
def token_list(name: str | None, include_revoked: bool) -> None:
    """List API tokens (of user NAME, or everyone's): id, user, name, created, last used."""
    from archive.services import users

    require_schema()
    try:
        with get_state().db.session(write=False) as db:
            owner = users.find_user(db, name) if name else None
            rows = users.list_tokens(db, owner, include_revoked=include_revoked)
            for row in rows:
                revoked = f"  revoked {_when(row.revoked_at)}" if row.revoked_at else ""
                click.echo(f"{row.id:6} {row.user.username:24} {(row.label or '-'):24} "
                           f"created {_when(row.created_at)}  last used {_when(row.last_used_at)}{revoked}")
    except ServiceError as exc:
        fail(service_text(exc))
    click.echo(f"tokens: {len(rows)}")


@token_group.command("revoke")
@click.argument("token_id", metavar="ID", type=int)
@with_appcontext
def token_revoke(token_id: int) -> None:
    """Revoke token ID (see `token list`): it stops working at once."""
    from archive.services import users

    require_schema()
    try:
        with get_state().transaction() as db:
            row = users.revoke_token(db, cli_actor(), token_id)
            owner = row.user.username
    except ServiceError as exc:
        fail(service_text(exc))
    click.echo(f"token {token_id} of {owner} revoked")



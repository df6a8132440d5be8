"""The `qiaofang` command: a FlaskGroup over create_app, with --data choosing the data folder."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext

from archive import create_app
from archive.services import ServiceError
from archive.state import get_state


def _set_data(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    # Eager: the data folder must be known before the app is created for any subcommand.
    if value:
        os.environ["QIAOFANG_DATA"] = value


def _make_app(*_args: Any) -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=False, add_version_option=False,
             load_dotenv=False)
@click.option("--data", metavar="DIR", callback=_set_data, expose_value=False, is_eager=True,
              help="Data folder (database, media, index); default ./instance or $QIAOFANG_DATA.")
def cli() -> None:
    """Qiaofang Archive (侨房档案): catalogue of overseas-Chinese heritage houses."""


cli.add_command(shell_command)
cli.add_command(routes_command)


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


# Refusals from the services, said on the command line (the web says them through Flask-Babel).
CLI_TEXTS = {
    "required": "{field} is required",
    "not_found": "no {what} {key}",
    "unknown_term": "unknown value {value}",
    "unknown_role": "unknown role {value}; choose one of {choices}",
    "password_too_short": "the password must have at least {min} characters",
    "duplicate_user": "a user named {username} already exists",
    "unknown_user": "no user named {username}",
    "username_too_long": "the user name may have at most {max} characters",
    "password_too_long": "the password may have at most {max} characters",
    "last_admin": "{username} is the last active administrator; make another one first",
    "user_inactive": "{username} is deactivated",
    "unknown_house": "no house has the code {code}",
    "unknown_batch": "no import batch {batch}",
    "already_undone": "batch {batch} was already undone",
    "not_undone": "batch {batch} is not undone; there is nothing to redo",
    "redo_blocked": "batch {batch} cannot be redone: {item} has been taken or removed since the undo",
    "redo_conflict": "batch {batch} cannot be redone: {item} was edited after the undo ({what})",
    "redo_unavailable": "batch {batch} was undone before undo kept what it removed: import its file again",
    "undo_blocked": "batch {batch} created house {code}, which now has photos from another import: "
                    "undo that import first",
}


def service_text(exc: ServiceError) -> str:
    return CLI_TEXTS.get(exc.code, exc.code).format(field=exc.field, **exc.params)


@cli.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database to the newest schema and seed the vocabularies."""
    from archive.services.setup import initialise

    summary = initialise(get_state())
    click.echo(summary)


def main() -> None:
    cli(obj=ScriptInfo(create_app=_make_app))


# The other commands live in their own modules and register themselves on `cli`.
import archive.commands_gazetteer  # noqa: E402
import archive.commands_open_data  # noqa: E402
import archive.commands_replicas  # noqa: E402,F401
from archive import commands, commands_accounts, commands_backup, commands_fixity, commands_iiif, commands_import  # noqa: E402,F401

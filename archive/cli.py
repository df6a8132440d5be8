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


def service_text(exc: ServiceError) -> str:
    """A service refusal in the command line's language, worded as the web words it (archive.messages)."""
    from archive.messages import cli_message

    return cli_message(exc)


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

"""The `qiaofang` command: a FlaskGroup over create_app, with --data choosing the data folder.

The commands live in their own modules (archive/commands*.py), named in `COMMANDS` below; a
module is imported only when one of its commands is run or listed, and none of them imports a
heavy stack (search, images, spreadsheets, pinyin) at module level, so `qiaofang --help` and
`qiaofang <command> --help` start as fast as Flask and SQLAlchemy do (tests/unit/test_cli_start.py).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, routes_command, shell_command, with_appcontext

from archive import create_app
from archive.services import ServiceError

if TYPE_CHECKING:
    from archive.state import ArchiveState

# name -> "module:attribute" (click's "lazily loading subcommands" pattern).
COMMANDS = {
    "backup": "archive.commands_backup:backup_command",
    "check": "archive.commands:check_command",
    "demo": "archive.commands:demo_command",
    "derivatives": "archive.commands:derivatives_command",
    "export": "archive.commands:export_command",
    "fixity": "archive.commands_fixity:fixity_command",
    "gazetteer": "archive.commands_gazetteer:gazetteer_command",
    "iiif-cache": "archive.commands_iiif:iiif_cache_command",
    "import": "archive.commands_import:import_group",
    "oai-sync": "archive.commands_open_data:oai_sync_command",
    "reindex": "archive.commands:reindex_command",
    "replicate": "archive.commands_replicas:replicate_command",
    "restore": "archive.commands_backup:restore_command",
    "serve": "archive.commands:serve_command",
    # Groups whose subcommands are spread over two modules: name the one that imports the other.
    "token": "archive.commands_accounts:token_group",
    "user": "archive.commands_accounts:user_group",
}


class ArchiveGroup(FlaskGroup):
    """FlaskGroup with lazily imported commands and no app loaded to list them.

    FlaskGroup.list_commands creates the app to add the app's own commands; ours has none, and
    creating it loads every view and service, so listing (`--help`) stays without it.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


def get_state() -> ArchiveState:
    """The current app's state, for the commands (archive.state, with the database and media
    modules, is imported when a command runs, not when the commands are listed)."""
    from archive.state import get_state as current_state

    return current_state()


def _set_data(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    # Eager: the data folder must be known before the app is created for any subcommand.
    if value:
        os.environ["QIAOFANG_DATA"] = value


def _make_app(*_args: Any) -> Flask:
    return create_app()


@click.group(cls=ArchiveGroup, create_app=_make_app, add_default_commands=False, add_version_option=False,
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



if __name__ == "__main__":
    main()

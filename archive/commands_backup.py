"""`qiaofang backup DEST` and `qiaofang restore SRC`: copies that survive the loss of the archive.

`restore` runs without the app context on purpose: building the app writes a secret key into the
data folder, and the target must be checked empty before anything at all is written into it.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from archive.cli import fail, get_state
from archive.commands import require_schema
from archive.config import load_config


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--verify", is_flag=True,
              help="Hash every copy DEST already holds (slow; finds silent damage) instead of trusting the "
                   "size and time the last backup recorded.")
@with_appcontext
def backup_command(dest: Path, verify: bool) -> None:
    """Copy the database and every original into DEST (incremental, verified), with manifests."""
    from archive.services.backup import BackupError, backup

    require_schema()
    try:
        outcome = backup(get_state(), dest, verify=verify, echo=click.echo)
    except BackupError as exc:
        fail(str(exc))
    click.echo(outcome.summary())


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--data", "data", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="The empty data folder to restore into (default: `qiaofang --data DIR` or $QIAOFANG_DATA).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes remaking the derivatives (default: one per core).")
def restore_command(source: Path, data: Path | None, workers: int | None) -> None:
    """Rebuild a working archive from a backup (SOURCE: a backup folder, or one of its snapshots)
    into an empty data folder; a PostgreSQL target ($QIAOFANG_DATABASE_URL) must have no tables."""
    from archive.services.restore import RestoreError, restore

    # A placeholder key: load_config would otherwise write a new secret key into the target now.
    config = load_config({**({"DATA": data} if data else {}), "SECRET_KEY": "restore-does-not-serve"})
    try:
        outcome = restore(source, config, echo=click.echo, workers=workers)
    except RestoreError as exc:
        if exc.refused:
            fail(f"{exc}; nothing was written")
        fail(f"the restore failed half-way: {exc}. The target is incomplete: empty {config['DATA']}"
             + ("" if config["DATABASE_URL"].startswith("sqlite") else
                " and drop and re-create the database")
             + ", then run restore again")
    click.echo("  time: " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in outcome.seconds.items()))
    click.echo(outcome.summary(config["DATA"]))

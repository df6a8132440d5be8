"""`qiaofang fixity`: check every original against its sha256, record the run, repair from a good copy."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from archive.cli import fail, get_state
from archive.commands import require_schema


@click.command("fixity")
@click.option("--quick", is_flag=True, help="Check only that each original exists with its recorded size.")
@click.option("--repair", is_flag=True, help="Replace bad or missing originals with a verified good copy.")
@click.option("--from", "sources", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="A backup folder or a folder in store layout to repair from (repeatable); "
                   "configured replicas are always tried first.")
@with_appcontext
def fixity_command(quick: bool, repair: bool, sources: tuple[Path, ...]) -> None:
    """Check the fixity of every original (full sha256, or --quick: existence and size).

    Each run is recorded with its findings: changed, missing, unreadable, untracked (a file no
    photo uses: reported, never deleted) and not replicated. Exit status 0 only when nothing is
    wrong after repair.
    """
    from archive.services.fixity import repair_sources, run_fixity

    require_schema()
    for folder in sources:
        if not folder.is_dir():
            fail(f"--from {folder}: no such folder")
    if sources and not repair:
        fail("--from is only used with --repair")
    state = get_state()
    report = run_fixity(state, quick=quick, repair=repair, sources=repair_sources(state, sources) if repair else (),
                        echo=click.echo)
    for line in report.overdue_replicas:
        click.echo(f"  {line}")
    click.echo(f"{report.summary()} (run {report.run_id})")
    if not report.ok:
        if not repair and any(f.kind in ("changed", "missing", "unreadable") for f in report.findings):
            click.echo("fixity: `qiaofang fixity --repair [--from BACKUP]` replaces bad originals from a good copy")
        sys.exit(1)

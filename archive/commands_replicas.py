"""`qiaofang replicate`: copy the originals waiting for a replica (for cron), and queue what one lacks."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from archive.cli import fail, get_state
from archive.commands import require_schema


@click.command("replicate")
@click.option("--all", "everything", is_flag=True,
              help="First queue every original a replica lacks: one configured after the originals, "
                   "or one that lost files.")
@with_appcontext
def replicate_command(everything: bool) -> None:
    """Copy the originals waiting for a replica now (pauses after failures ignored) and verify each copy
    by hash; exit 1 when any could not be copied."""
    from archive.services.replication import drain_replication, queue_missing, replication_backlog
    from media import MediaError

    require_schema()
    state = get_state()
    if not state.replicas:
        fail("no replica is configured: set QIAOFANG_REPLICAS (folders and s3://bucket/prefix URLs)")
    unlisted = False
    if everything:
        for replica in state.replicas:
            try:
                queued = queue_missing(state, replica)
            except MediaError as exc:
                click.echo(f"replica {replica.name}: cannot be listed: {exc.message}", err=True)
                unlisted = True
                continue
            click.echo(f"replica {replica.name}: {queued} originals queued")
    outcome = drain_replication(state, force=True, progress=click.echo)
    for error in outcome.errors:
        click.echo(f"  {error}", err=True)
    with state.db.session(write=False) as db:
        backlog = replication_backlog(db, [replica.name for replica in state.replicas])
    for entry in backlog:
        click.echo(f"  {entry.describe()}" if entry.not_replicated
                   else f"  replica {entry.replica}: every original replicated and verified")
    waiting = sum(entry.waiting for entry in backlog)
    click.echo(f"replicate: {outcome.copied} copied and verified, {outcome.replaced} damaged copies on a replica "
               f"written again, {outcome.failed} failed, {waiting} waiting")
    if outcome.failed or unlisted:
        sys.exit(1)

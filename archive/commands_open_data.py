"""`qiaofang oai-sync`: bring every OAI-PMH datestamp in step with what harvesters would receive.

Every change that queues a house for the search index keeps its OAI row in step as it commits
(services.oai_state). What does not queue houses, such as an edited vocabulary label that
appears in records as dc:subject, is caught by this command: it recomputes every house's record
and moves the datestamp of those that differ (and marks as deleted rows whose house is gone).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from archive.cli import get_state
from archive.commands import require_schema


@click.command("oai-sync")
@with_appcontext
def oai_sync_command() -> None:
    """Recompute every house's OAI-PMH record; move the datestamps of those that changed."""
    from archive.services.oai_state import sync_all

    require_schema()
    with get_state().transaction() as db:
        moved = sync_all(db)
    click.echo(f"oai-sync: {moved} records changed (new datestamp)")

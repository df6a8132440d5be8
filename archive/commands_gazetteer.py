"""`qiaofang gazetteer [--refresh]`: list the place names in 简体 / 繁體 / English, or fill in new ones."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from archive.cli import get_state
from archive.commands import require_schema


@click.command("gazetteer")
@click.option("--refresh", is_flag=True, help="Add entries for new places in the data; staff edits are kept.")
@click.option("--kind", default=None, help="Only this kind (county, township, village, country, destination...).")
@with_appcontext
def gazetteer_command(refresh: bool, kind: str | None) -> None:
    """Show the gazetteer, or with --refresh bring it up to date with the data."""
    from archive.services import gazetteer

    require_schema()
    state = get_state()
    if refresh:
        with state.db.session(write=True) as db:
            result = gazetteer.refresh(db)
            db.commit()
        click.echo(f"gazetteer: {result.added} added, {result.regenerated} regenerated, "
                   f"{result.kept} edited by staff kept")
        return
    with state.db.session(write=False) as db:
        for row in gazetteer.entries(db, kind):
            click.echo(f"{row.kind}\t{row.name}\t{row.zh_hant}\t{row.en}\t{row.source}")

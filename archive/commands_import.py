"""`qiaofang import ...`: survey sheets, photo folders, pasted text; dry runs, batches and undo."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask.cli import with_appcontext

from archive.cli import fail, get_state, service_text
from archive.commands import require_schema
from archive.messages import cli_lang, cli_message, cli_refusal
from archive.services import Actor, ServiceError

if TYPE_CHECKING:
    from archive.services.imports import ImportOutcome, RowPlan
    from importers.problems import Problem

LANGS = ("zh-Hans", "zh-Hant", "en")


lang_option = click.option("--lang", type=click.Choice(LANGS), default=cli_lang,
                           help="Language of messages (default from $QIAOFANG_LANG or $LANG).")


def cli_actor() -> Actor:
    return Actor(f"cli:{os.environ.get('USER', 'operator')}")


def show_problems(problems: list[Problem], lang: str) -> None:
    from importers.problems import render

    for problem in problems:
        mark = "ERROR  " if problem.is_error else "warning"
        click.echo(f"  {mark} {render(problem, lang)}", err=problem.is_error)


def show_plans(plans: list[RowPlan]) -> None:
    lines = []
    for plan in plans:
        where = f"row {plan.row}: " if plan.row else ""
        changed = ", ".join(sorted(plan.changes)) if plan.changes else ""
        lines.append(f"  {plan.action:9} {plan.kind:6} {where}{plan.key}{f' ({changed})' if changed else ''}")
    for start in range(0, len(lines), 1000):  # a survey's 90,000 lines in 90 writes, not 90,000
        click.echo("\n".join(lines[start:start + 1000]))


def summary(outcome: ImportOutcome | None, plans: list[RowPlan], errors: int, skipped: int,
            batch: str | None, dry_run: bool) -> str:
    counts = {a: sum(1 for p in plans if p.action == a) for a in ("created", "updated", "unchanged", "skipped")}
    counts["skipped"] += skipped
    prefix = "dry run, nothing written: would be " if dry_run else ""
    tail = f"; batch {batch} (undo: qiaofang import undo {batch})" if batch else ""
    return (f"{prefix}{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['skipped']} skipped, {errors} errors{tail}")


@click.group("import")
def import_group() -> None:
    """Bring in survey sheets, photo folders and texts (each import is an undoable batch)."""


@import_group.command("sheet")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change, row by row; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even when others have errors.")
@click.option("--encoding", help="Read a CSV in this encoding (utf-8, gb18030, big5) instead of detecting it.")
@lang_option
@with_appcontext
def import_sheet(files: tuple[Path, ...], dry_run: bool, skip_invalid: bool, encoding: str | None, lang: str) -> None:
    """Import a survey sheet (.xlsx workbook or .csv) as described in spec/survey-sheet.md.

    Several files are one import (one batch, one undo): e.g. houses.csv records.csv, read in that
    order whatever the order given (houses first, so records can name the new houses).

    Re-importing updates houses by code and records by house, title and date. An empty cell keeps
    the stored value; a cell holding only - clears it. Coordinates equal to 5 decimals are unchanged.
    """
    require_schema()
    with _no_cycle_collection():
        _import_sheet(list(files), dry_run, skip_invalid, encoding, lang)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A survey is hundreds of thousands of row objects that live until the import ends, with no
    reference cycles among them: the cyclic collector would only rescan them, again and again
    (about a third of the time of writing the rows). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_sheet(files: list[Path], dry_run: bool, skip_invalid: bool, encoding: str | None, lang: str) -> None:
    from archive.services.sheets import read_survey_for_archive

    state = get_state()
    click.echo(f"reading {', '.join(map(str, files))} ...")
    result = read_survey_for_archive(state, files, encoding=encoding)
    show_problems(result.problems, lang)
    errors = len(result.errors)
    blocked = errors and not skip_invalid
    with state.transaction() as db:
        from archive.services.imports import apply_survey, plan_survey

        if dry_run or blocked:
            plans = plan_survey(db, result)
            show_plans(plans)
            db.rollback()
            click.echo(summary(None, plans, errors, 0, None, True))
            if blocked:
                click.echo("nothing imported: fix the errors above, or pass --skip-invalid to import the "
                           "valid rows only", err=True)
            sys.exit(1 if errors else 0)
        outcome = apply_survey(db, cli_actor(), result, source=" + ".join(map(str, files)))
    show_plans(outcome.plans)
    _drain()
    click.echo(summary(outcome, outcome.plans, errors, 0, outcome.batch_id, False))
    sys.exit(1 if errors else 0)


@import_group.command("photos")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@click.option("--public", is_flag=True, help="Mark the imported photos public.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: one per core).")
@lang_option
@with_appcontext
def import_photos(folder: Path, dry_run: bool, public: bool, workers: int | None, lang: str) -> None:
    """Import a folder of photos; each file goes to the house whose code starts its name or names its folder."""
    from archive.services.photo_import import import_photo_folder, scan_folder

    require_schema()
    state = get_state()
    scan = scan_folder(state, folder)
    show_problems(scan.problems, lang)
    started = time.monotonic()
    bar: Any
    with click.progressbar(length=len(scan.photos), label="photos", show_pos=True,
                           item_show_func=lambda _: _rate(started, bar.pos)) as bar:
        outcome = import_photo_folder(state, cli_actor(), folder, dry_run=dry_run, public=public,
                                      workers=workers, progress=bar.update)
    show_plans([p for p in outcome.plans if p.action != "created"] if not dry_run else outcome.plans)
    for refused in outcome.refused:
        text = cli_refusal(refused.refused, refused.params, lang) if refused.refused else refused.message
        click.echo(f"  ERROR   {refused.photo.path.relative_to(folder)}: {text}", err=True)
    # scan.problems already counts unmatched and unreadable files as errors.
    errors = len(outcome.refused) + sum(1 for p in scan.problems if p.is_error)
    if not dry_run:
        _drain()
    elapsed = time.monotonic() - started
    click.echo(summary(None, outcome.plans, errors, len(scan.skipped), outcome.batch_id, dry_run)
               + f"; {len(scan.photos) / elapsed if elapsed else 0:.1f} files/s")
    sys.exit(1 if errors else 0)


def _rate(started: float, done: int) -> str:
    elapsed = time.monotonic() - started
    return f"{done / elapsed:.1f} files/s" if elapsed > 0 and done else ""


@import_group.command("text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--house", "code", required=True, help="Code of the house the text is about.")
@click.option("--kind", default="news", show_default=True, help="Record kind (news, oral_history, ...).")
@click.option("--public", is_flag=True, help="Publish the record.")
@click.option("--encoding", help="Read the file in this encoding instead of detecting it.")
@lang_option
@with_appcontext
def import_text(file: Path, code: str, kind: str, public: bool, encoding: str | None, lang: str) -> None:
    """Turn an article or interview transcript into a record (title from its first line)."""
    from archive.services.sheets import import_article

    require_schema()
    try:
        with get_state().transaction() as db:
            outcome, cleanups = import_article(db, cli_actor(), file, code, kind=kind, public=public,
                                               encoding=encoding)
    except ServiceError as exc:
        fail(cli_message(exc, lang))
    except Exception as exc:  # an unreadable file: the importer's problem, rendered
        problem = getattr(exc, "problem", None)
        if problem is None:
            raise
        from importers.problems import render

        fail(render(problem, lang))
    for line in cleanups:
        click.echo(f"  cleaned: {line}")
    show_plans(outcome.plans)
    _drain()
    click.echo(summary(outcome, outcome.plans, 0, 0, outcome.batch_id, False))


@import_group.command("undo")
@click.argument("batch")
@with_appcontext
def import_undo(batch: str) -> None:
    """Restore the state before an import batch: created rows removed, updated rows restored."""
    from archive.services.import_undo import undo_batch

    require_schema()
    try:
        with get_state().transaction() as db:
            counts = undo_batch(db, cli_actor(), batch)
    except ServiceError as exc:
        fail(service_text(exc))
    _drain()
    click.echo(f"undone batch {batch}: {counts['removed']} removed, {counts['restored']} restored")


@import_group.command("redo")
@click.argument("batch")
@with_appcontext
def import_redo(batch: str) -> None:
    """Apply an undone import batch again (refused if the archive has changed what it touched since)."""
    from archive.services.import_undo import redo_batch

    require_schema()
    try:
        with get_state().transaction() as db:
            counts = redo_batch(db, cli_actor(), batch)
    except ServiceError as exc:
        fail(service_text(exc))
    _drain()
    click.echo(f"redone batch {batch}: {counts['recreated']} put back, {counts['reapplied']} updated again")


@import_group.command("list")
@with_appcontext
def import_list() -> None:
    """List import batches, newest first."""
    from archive.services.import_undo import batches

    require_schema()
    with get_state().db.session(write=False) as db:
        rows = batches(db)
        for b in rows:
            click.echo(f"{b.id}  {b.kind:6} {b.status:7} {b.actor:16} {b.summary}  {b.source}")
    click.echo(f"{len(rows)} batches")


def _drain() -> None:
    from archive.services.searching import drain_queue

    drain_queue(get_state(), allow_rebuild=True)

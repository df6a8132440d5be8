"""The qiaofang subcommands beyond init: serve, demo, users and tokens, media upkeep, checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from archive.cli import fail, get_state, service_text
from archive.services import ServiceError


def require_schema() -> None:
    from archive.services.setup import is_current

    if not is_current(get_state()):
        fail("the database is not initialised or not up to date: run `qiaofang init` first")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker process.")
@click.option("--workers", default=None, type=int, help="Worker processes (default: one per core, at least 2).")
@with_appcontext
def serve_command(host: str, port: int, threads: int, workers: int | None) -> None:
    """Serve the archive with gunicorn: several worker processes, each with several threads."""
    require_schema()
    from archive.services.searching import drain_queue

    # Changes committed just before a crash are still queued: bring the indexes up to date first.
    replayed = drain_queue(get_state(), allow_rebuild=True)
    if replayed:
        click.echo(f"search: {replayed} houses brought up to date from the queue")
    serve(host, port, threads, workers)


def warm_up(state: Any) -> None:
    """Load jieba and the index readers before the first request (else it waits 2-4 s)."""
    for name in ("public", "staff"):
        try:
            state.search_index(name).warm_up()
        except Exception as exc:  # a missing index is rebuilt on first use; serving goes on
            click.echo(f"search: {name} index not warmed up ({exc})", err=True)


def serve(host: str, port: int, threads: int, workers: int | None = None) -> None:
    """Run gunicorn with gthread workers, each building its own app after the fork.

    Processes, not only threads: photo derivatives and search analysis hold the GIL for a good
    part of each upload, so one process tops out near one core (benchmarks/upload_throughput.py).
    """
    from gunicorn.app.base import BaseApplication

    from archive import create_app
    from archive.services.workers import preload_web_workers

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    keep = {k: app.config[k] for k in ("DATA", "DATABASE_URL", "SECRET_KEY", "MAX_UPLOAD_MB", "SEARCH_SYNC")}
    get_state().close()  # nothing open may cross the fork: each worker connects for itself
    options = {
        "bind": f"{host}:{port}", "workers": workers or max(2, os.cpu_count() or 1), "threads": threads,
        "worker_class": "gthread", "timeout": 300, "graceful_timeout": 20, "accesslog": None,
        "errorlog": "-", "loglevel": "warning", "proc_name": "qiaofang",
    }

    class ArchiveServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            worker_app = create_app(dict(keep))
            warm_up(worker_app.extensions["qiaofang"])
            worker_app.extensions["qiaofang"].replicator.notify()  # copies left queued by a restart
            if not worker_app.config["SEARCH_SYNC"]:
                # Poll the search queue from the start: other app servers' changes arrive without a request here.
                worker_app.extensions["qiaofang"].drainer.start()
            return worker_app

    # Loaded once here and shared by the forked workers (copy-on-write), not once per worker.
    preload_web_workers()
    click.echo(f"Qiaofang Archive on http://{host}:{port}/ ({options['workers']} processes x {threads} "
               f"threads; data: {app.config['DATA']}); Ctrl+C stops")
    ArchiveServer().run()


@click.group("user")
def user_group() -> None:
    """Staff and researcher accounts."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "editor", "researcher"]), required=True)
@with_appcontext
def user_add(name: str, role: str) -> None:
    """Add a user; the password is read from standard input (one line)."""
    from archive.commands_import import cli_actor
    from archive.services.users import create_user

    require_schema()
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        with get_state().transaction() as db:
            create_user(db, name, password, role, actor=cli_actor())
    except ServiceError as exc:
        fail(service_text(exc))
    click.echo(f"user {name} added as {role}")


@click.group("token")
def token_group() -> None:
    """API bearer tokens."""


@token_group.command("create")
@click.argument("name")
@click.option("--label", default=None, help="What the token is for (shown by `token list`).")
@with_appcontext
def token_create(name: str, label: str | None) -> None:
    """Create a bearer token for user NAME and print it (it is shown only once)."""
    from archive.commands_import import cli_actor
    from archive.services.users import create_token

    require_schema()
    try:
        with get_state().transaction() as db:
            token = create_token(db, name, label, actor=cli_actor())
    except ServiceError as exc:
        fail(service_text(exc))
    click.echo(token)


@click.command("derivatives")
@click.option("--missing", "mode", flag_value="missing", default=True,
              help="Only derivatives that are missing or bad (not a JPEG, cut short, wrong size).")
@click.option("--all", "mode", flag_value="all", help="Remake every derivative.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core).")
@with_appcontext
def derivatives_command(mode: str, workers: int | None) -> None:
    """Regenerate photo derivatives from the originals."""
    from archive.services.maintenance import regenerate_derivatives

    require_schema()
    done, failed = regenerate_derivatives(get_state(), everything=mode == "all", echo=click.echo, workers=workers)
    click.echo(f"derivatives: {done} photos processed, {failed} failed")
    if failed:
        sys.exit(1)


@click.command("check")
@click.option("--repair", is_flag=True, help="Remove temporary files older than a day (left by killed uploads).")
@with_appcontext
def check_command(repair: bool) -> None:
    """Prove nothing is lost: every original present with its sha256, sound derivatives, no leftovers."""
    from archive.services.maintenance import check_archive

    require_schema()
    report = check_archive(get_state(), echo=click.echo, repair=repair)
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker process.")
@click.option("--workers", default=None, type=int, help="Worker processes (default: one per core, at least 2).")
@click.option("--no-serve", is_flag=True, help="Load the demo data set and stop.")
@with_appcontext
def demo_command(host: str, port: int, threads: int, workers: int | None, no_serve: bool) -> None:
    """Load the demonstration data set (through the importers) and serve it."""
    from archive.services.demo_load import load_demo
    from archive.services.setup import initialise

    state = get_state()
    click.echo(initialise(state))
    try:
        loaded = load_demo(state, click.echo)
    except ServiceError as exc:
        fail(service_text(exc))
    from archive.services.searching import reindex

    reindex(state, echo=click.echo)
    for name, password, role in loaded.logins:
        click.echo(f"demo login: {name} / {password} ({role})")
    if loaded.logins:
        click.echo("demo logins: shown this once and stored only as hashes; note them now")
    else:
        click.echo("demo logins: printed when the demo was first loaded; "
                   "`qiaofang user reset-password demo-admin` gives a new one")
    click.echo(f"demo: {loaded.created} houses and records created, {loaded.unchanged} unchanged, "
               f"{loaded.photos_created} photos added, {loaded.photos_skipped} already there "
               "(DEMONSTRATION DATA)")
    if not no_serve:
        serve(host, port, threads, workers)


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild both search indexes (public and staff) from the database."""
    from archive.services.searching import reindex

    require_schema()
    counts = reindex(get_state(), echo=click.echo)
    click.echo(f"reindex: {counts['public']} public and {counts['staff']} staff documents")


@click.command("export")
@click.argument("kind", type=click.Choice(["sheet", "json"]))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--public", "public_only", is_flag=True, help="Export only what the public may see.")
@with_appcontext
def export_command(kind: str, file: Path, public_only: bool) -> None:
    """Export houses and records: `sheet` (survey sheet: .xlsx, or .csv plus FILE-records.csv) or `json`."""
    from archive.access import PUBLIC
    from archive.services.export import export_json, export_sheet, export_sheet_csv
    from archive.services.searching import STAFF

    require_schema()
    viewer = PUBLIC if public_only else STAFF
    writer = export_json if kind == "json" else export_sheet_csv if file.suffix.lower() == ".csv" else export_sheet
    with get_state().db.session(write=False) as db:
        houses, records = writer(db, viewer, file)
    click.echo(f"export: {houses} houses and {records} records written to {file}"
               f" ({'public view' if public_only else 'everything'})")

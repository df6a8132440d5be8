"""Staff import pages: upload a survey sheet, preview it row by row, apply it; list, undo and redo batches."""

from __future__ import annotations

import dataclasses
import re
import secrets
from pathlib import Path
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from archive.messages import current_lang, problem_message, service_message
from archive.services import ServiceError
from archive.services.import_undo import batch_page, batch_results, redo_batch, undo_batch
from archive.services.imports import apply_survey, plan_survey
from archive.services.sheets import read_survey_for_archive
from archive.state import get_state
from archive.web.context import current_actor, get_db, lookup
from archive.web.field_words import field_label, field_value
from archive.web.forms import form_flag
from archive.web.guards import editor_required, staff_required
from archive.web.paging import past_the_end, requested_page
from archive.web.staff import bp
from importers.problems import Problem

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SHEET_SUFFIXES = (".csv", ".xlsx")
NAME_SUFFIX = ".name"  # beside the stored sheet: the file's name as uploaded


def _upload_dir() -> Path:
    folder = Path(get_state().config["DATA"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored_sheets(token: str) -> list[Path]:
    """The files of one upload, in the order chosen: ``<token>-<n>.csv`` or ``.xlsx`` (an upload
    from before several files could be sent at once is ``<token>.csv`` or ``.xlsx``)."""
    if not TOKEN.match(token):
        abort(404)
    numbered = re.compile(rf"{re.escape(token)}(?:-(\d+))?")
    found: list[tuple[int, Path]] = []
    for path in _upload_dir().glob(f"{token}*"):
        match = numbered.fullmatch(path.stem)
        if match and path.suffix in SHEET_SUFFIXES:
            found.append((int(match.group(1) or 0), path))
    if not found:
        abort(404)
    return [path for _n, path in sorted(found)]


def uploaded_name(filename: str) -> str:
    """The name a person gave the file: no folders (some browsers send a whole path), no control characters."""
    name = re.split(r"[\\/]", filename)[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip()[:255] or "upload"


def _name_of(path: Path) -> str:
    sidecar = path.with_suffix(NAME_SUFFIX)
    try:
        return sidecar.read_text(encoding="utf-8").strip() or path.name
    except FileNotFoundError:  # uploaded before names were kept
        return path.name


@bp.app_template_global("field_label")
def _field_label(name: str) -> str:
    return field_label(name, current_lang())


@bp.app_template_global("field_value")
def _field_value(name: str, value: Any) -> str:
    from archive.web import vocab_labels  # the app package imports this module

    return field_value(name, value, current_lang(), vocab_labels())


@bp.get("/imports")
@staff_required
def imports() -> Any:
    page = lookup(batch_page, requested_page())
    if (elsewhere := past_the_end(page.page, page.pages)) is not None:
        return elsewhere
    results = lookup(batch_results, page.items)
    return render_template("staff/imports.html", batches=page.items, page=page, results=results)


# Files sent together are one import (houses.csv with records.csv); more than this is a mistake.
MAX_SHEET_FILES = 10


@bp.post("/imports/sheet")
@editor_required
def import_sheet_upload() -> Any:
    uploads = [upload for upload in request.files.getlist("file") if upload.filename]
    try:
        if not uploads:
            flash(_("Choose a survey sheet (.xlsx or .csv) to upload."), "error")
            return redirect(url_for("staff.imports"))
        if len(uploads) > MAX_SHEET_FILES:
            flash(_("Choose at most %(num)d files for one import.", num=MAX_SHEET_FILES), "error")
            return redirect(url_for("staff.imports"))
        token = secrets.token_urlsafe(18)
        # Kept beside the data as the provenance of the batch they become.
        for number, upload in enumerate(uploads, start=1):
            name = upload.filename or ""
            suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
            upload.save(_upload_dir() / f"{token}-{number}{suffix}")
            (_upload_dir() / f"{token}-{number}{NAME_SUFFIX}").write_text(uploaded_name(name), encoding="utf-8")
    finally:
        for upload in request.files.getlist("file"):
            upload.close()  # a large upload is spooled to a temporary file: release it now
    return redirect(url_for("staff.import_sheet_preview", token=token,
                            encoding=request.form.get("encoding") or None))


def _named(problem: Problem, names: dict[str, str]) -> Problem:
    """A problem naming the file as it was uploaded, not as it is kept."""
    if problem.sheet in names:
        return dataclasses.replace(problem, sheet=names[problem.sheet])
    return problem


@bp.get("/imports/sheet/<token>")
@editor_required
def import_sheet_preview(token: str) -> Any:
    paths = _stored_sheets(token)
    encoding = request.args.get("encoding") or None
    result = read_survey_for_archive(get_state(), paths, encoding=encoding)
    plans = lookup(plan_survey, result)
    names = {path.name: _name_of(path) for path in paths}
    problems = [(p.is_error, problem_message(_named(p, names))) for p in result.problems]
    # A sheet with errors is input that cannot be taken as it is: say so in the status too.
    status = 422 if result.errors else 200
    return render_template("staff/import_preview.html", token=token, plans=plans, problems=problems,
                           errors=len(result.errors), encoding=encoding,
                           file_name=" + ".join(names.values())), status


@bp.post("/imports/sheet/<token>")
@editor_required
def import_sheet_apply(token: str) -> Any:
    paths = _stored_sheets(token)
    encoding = request.form.get("encoding") or None
    result = read_survey_for_archive(get_state(), paths, encoding=encoding)
    if result.errors and not form_flag("skip_invalid"):
        flash(_("The sheet has errors; nothing was imported."), "error")
        return redirect(url_for("staff.import_sheet_preview", token=token, encoding=encoding))
    outcome = apply_survey(get_db(), current_actor(), result, source=" + ".join(path.name for path in paths),
                           file_name=" + ".join(_name_of(path) for path in paths))
    flash(_("Imported: %(c)d created, %(u)d updated, %(n)d unchanged.", c=outcome.count("created"),
            u=outcome.count("updated"), n=outcome.count("unchanged")), "info")
    return redirect(url_for("staff.imports"))


@bp.post("/imports/<batch_id>/<any(undo, redo):action>")
@editor_required
def import_undo(batch_id: str, action: str) -> Any:
    """Undo or redo a batch; the confirmation page (GET on the same address) says what this will do."""
    try:
        if action == "undo":
            counts = undo_batch(get_db(), current_actor(), batch_id)
            message = _("Import %(batch)s undone: %(r)d removed, %(s)d restored.", batch=batch_id,
                        r=counts["removed"], s=counts["restored"])
        else:
            counts = redo_batch(get_db(), current_actor(), batch_id)
            message = _("Import %(batch)s redone: %(c)d put back, %(u)d updated again.", batch=batch_id,
                        c=counts["recreated"], u=counts["reapplied"])
    except ServiceError as exc:
        get_db().rollback()  # stopped half-way: nothing may stay half-undone or half-redone
        flash(service_message(exc), "error")
        return redirect(url_for("staff.imports"))
    flash(message, "info")
    return redirect(url_for("staff.imports"))

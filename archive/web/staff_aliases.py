"""The romanisation alias table (黄 = Wong): researchers and editors keep it; search uses it at once."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from archive.messages import service_message
from archive.services import ServiceError
from archive.services.search_aliases import ALIAS_KINDS, add_alias, delete_alias, list_aliases
from archive.web.context import current_actor, get_db
from archive.web.guards import staff_required
from archive.web.staff import bp


@bp.get("/aliases")
@staff_required
def aliases() -> Any:
    text = (request.args.get("q") or "")[:80]
    return render_template("staff/aliases.html", aliases=list_aliases(get_db(), text), q=text, kinds=ALIAS_KINDS)


@bp.post("/aliases")
@staff_required
def alias_add() -> Any:
    form = request.form
    try:
        alias = add_alias(get_db(), current_actor(), form.get("chinese", ""), form.get("spelling", ""),
                          form.get("kind", "surname"), (form.get("note") or "").strip()[:300] or None)
    except ServiceError as exc:
        get_db().rollback()
        flash(service_message(exc), "error")
        return redirect(url_for("staff.aliases", q=form.get("chinese", "")))
    flash(_("Added %(chinese)s = %(spelling)s; searches use it now.", chinese=alias.chinese,
            spelling=alias.spelling), "info")
    return redirect(url_for("staff.aliases", q=alias.chinese))


@bp.post("/aliases/<int:alias_id>/delete")
@staff_required
def alias_delete(alias_id: int) -> Any:
    delete_alias(get_db(), current_actor(), alias_id)
    flash(_("Alias removed."), "info")
    return redirect(url_for("staff.aliases", q=request.form.get("q", "")))

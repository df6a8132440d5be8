"""Confirmation pages: every removal (delete, import undo) and redo says what it will do, with counts.

Each one is a GET on the same address as the POST that acts, holding a form that posts there; it
works without JavaScript, and nothing changes until that form is sent.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from archive.services import houses as house_service
from archive.services import records as record_service
from archive.services.import_undo import batch_effect, get_batch
from archive.web.context import get_db
from archive.web.guards import editor_required
from archive.web.staff import bp
from archive.web.staff_photos import _photo

_COUNTED = {
    "house": lambda n: ngettext("%(num)d house", "%(num)d houses", n),
    "record": lambda n: ngettext("%(num)d record", "%(num)d records", n),
    "photo": lambda n: ngettext("%(num)d photo", "%(num)d photos", n),
}


def _counted(counts: dict[str, int]) -> str:
    parts = [_COUNTED[kind](counts[kind]) for kind in ("house", "record", "photo") if counts.get(kind)]
    return _(", ").join(parts) if parts else _("nothing")


def _page(heading: str, lines: list[str], action: str, button: str, cancel: str) -> Any:
    return render_template("staff/confirm.html", heading=heading, lines=lines, action=action, button=button,
                           cancel=cancel)


@bp.get("/imports/<batch_id>/<any(undo, redo):action>")
@editor_required
def import_confirm(batch_id: str, action: str) -> Any:
    batch = get_batch(get_db(), batch_id)
    effect = batch_effect(get_db(), batch)
    created, updated = _counted(effect["created"]), _counted(effect["updated"])
    if action == "undo":
        heading = _("Undo import %(batch)s?", batch=batch.id)
        lines = [_("Removes what it created: %(items)s.", items=created) if effect["created"] else "",
                 _("Puts back the values from before the import in what it updated: %(items)s.", items=updated)
                 if effect["updated"] else "",
                 _("The undone import stays in the list and can be redone.")]
        button = _("Undo the import")
    else:
        heading = _("Redo import %(batch)s?", batch=batch.id)
        lines = [_("Puts back what it had created: %(items)s.", items=created) if effect["created"] else "",
                 _("Sets again the values it had set in: %(items)s.", items=updated) if effect["updated"] else ""]
        button = _("Redo the import")
    if batch.status == ("undone" if action == "undo" else "applied"):
        lines = [_("Import batch %(batch)s was already undone.", batch=batch.id) if action == "undo"
                 else _("Import batch %(batch)s is not undone; there is nothing to redo.", batch=batch.id)]
    made = _("Imported by %(who)s on %(when)s from %(source)s.", who=batch.actor,
             when=batch.created_at.strftime("%Y-%m-%d %H:%M"), source=batch.shown_source)
    return _page(heading, [made, *(line for line in lines if line)],
                 url_for("staff.import_undo", batch_id=batch.id, action=action), button, url_for("staff.imports"))


@bp.get("/houses/<code>/delete")
@editor_required
def house_delete_confirm(code: str) -> Any:
    house = house_service.get_house(get_db(), code)
    records = sum(1 for r in house.records if r.deleted_at is None)
    photos = sum(1 for p in house.photos if p.deleted_at is None)
    lines = [_("%(code)s %(name)s moves to the trash, and with it from every page, search and export.",
               code=house.code, name=house.name_zh),
             _("It holds %(items)s; they go and come back with it.", items=_counted({"record": records,
                                                                                    "photo": photos}))
             if records or photos else _("It holds no records or photos."),
             _("It can be restored from the trash.")]
    return _page(_("Delete house %(code)s?", code=house.code), lines,
                 url_for("staff.house_action", code=house.code, action="delete"), _("Delete"),
                 url_for("public.house", code=house.code))


@bp.get("/records/<int:record_id>/delete")
@editor_required
def record_delete_confirm(record_id: int) -> Any:
    record = record_service.get_record(get_db(), record_id)
    houses = _(", ").join(h.code for h in record.houses) or "—"
    lines = [_("«%(title)s» moves to the trash; it leaves the pages of %(houses)s.", title=record.title,
               houses=houses),
             _("It can be restored from the trash.")]
    return _page(_("Delete this record?"), lines, url_for("staff.record_action", record_id=record.id,
                                                          action="delete"),
                 _("Delete"), url_for("public.record", record_id=record.id))


@bp.get("/photos/<int:photo_id>/delete")
@editor_required
def photo_delete_confirm(photo_id: int) -> Any:
    photo = _photo(photo_id)
    lines = [_("%(name)s leaves the page of %(code)s and moves to the trash.", name=photo.original_name,
               code=photo.house.code),
             _("The original file is kept; the photo can be restored from the trash.")]
    return _page(_("Delete this photo?"), lines, url_for("staff.photo_action", photo_id=photo.id, action="delete"),
                 _("Delete"), url_for("public.house", code=photo.house.code))


@bp.get("/people/<int:person_id>/delete")
@editor_required
def person_delete_confirm(person_id: int) -> Any:
    person = record_service.get_person(get_db(), person_id)
    lines = [_("%(name)s moves to the trash and leaves the pages of %(houses)s.", name=person.name_zh,
               houses=ngettext("%(num)d house", "%(num)d houses", len(person.roles))),
             _("It can be restored from the trash.")]
    return _page(_("Delete this person?"), lines, url_for("staff.person_action", person_id=person.id,
                                                          action="delete"),
                 _("Delete"), url_for("staff.person_form", person_id=person.id))

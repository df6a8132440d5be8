"""Staff pages for records (information items) and people."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from archive.models import Person
from archive.services import NotFound, ServiceError
from archive.services import houses as house_service
from archive.services import records as record_service
from archive.services.paging import page_of
from archive.web.context import current_actor, get_db
from archive.web.forms import PersonForm, RecordForm
from archive.web.guards import editor_required, staff_required
from archive.web.paging import past_the_end, requested_page
from archive.web.staff import attach_error, bp, prepared

PEOPLE_PAGE = 200


@bp.route("/houses/<code>/records/new", methods=["GET", "POST"])
@editor_required
def record_new(code: str) -> Any:
    db = get_db()
    house = house_service.get_house(db, code)
    form = prepared(RecordForm())
    if form.validate_on_submit():
        try:
            record_service.create_record(db, current_actor(), [house], form.values())
        except ServiceError as exc:
            attach_error(form, exc)
        else:
            flash(_("Record added."), "info")
            return redirect(url_for("public.house", code=code))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/record_form.html", form=form, house=house, record=None), status


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@editor_required
def record_edit(record_id: int) -> Any:
    db = get_db()
    record = record_service.get_record(db, record_id)
    form = prepared(RecordForm(obj=None if request.method == "POST" else record))
    if form.validate_on_submit():
        try:
            record_service.update_record(db, current_actor(), record, form.values())
        except ServiceError as exc:
            attach_error(form, exc)
        else:
            flash(_("Record saved."), "info")
            return redirect(url_for("public.record", record_id=record.id))
    status = 400 if request.method == "POST" else 200
    house = record.houses[0] if record.houses else None
    return render_template("staff/record_form.html", form=form, house=house, record=record), status


@bp.post("/records/<int:record_id>/<any(delete, restore):action>")
@editor_required
def record_action(record_id: int, action: str) -> Any:
    db = get_db()
    record = record_service.get_record(db, record_id, include_deleted=True)
    record_service.set_record_deleted(db, current_actor(), record, action == "delete")
    if action == "delete":
        flash(_("Record moved to the trash; it can be restored."), "info")
    target = record.houses[0].code if record.houses else None
    return redirect(url_for("public.house", code=target) if target else url_for("staff.trash"))


@bp.get("/people")
@staff_required
def people() -> Any:
    page = page_of(get_db(), record_service.live_people(), requested_page(), PEOPLE_PAGE)
    if (elsewhere := past_the_end(page.page, page.pages)) is not None:
        return elsewhere
    return render_template("staff/people.html", people=page.items, page=page)


@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@editor_required
def person_form(person_id: int | None = None) -> Any:
    db = get_db()
    person = record_service.get_person(db, person_id) if person_id else None
    form = prepared(PersonForm(obj=None if request.method == "POST" else _person_data(person)))
    if form.validate_on_submit():
        try:
            saved = _save_person(person, form)
        except ServiceError as exc:
            attach_error(form, exc)
        else:
            flash(_("Person saved."), "info")
            return redirect(url_for("staff.person_form", person_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/person_form.html", form=form, person=person), status


def _person_data(person: Person | None) -> Any:
    if person is None:
        return None
    fields = ("name_zh", "names_romanised", "dates_text", "notes", "public")
    data = {name: getattr(person, name) for name in fields}
    data["destinations"] = "；".join(person.destinations or [])
    return SimpleNamespace(**data)


def _save_person(person: Person | None, form: PersonForm) -> Person:
    db, actor = get_db(), current_actor()
    saved = record_service.save_person(db, actor, person, form.values())
    code = (form.house_code.data or "").strip()
    if code:
        try:
            house = house_service.get_house(db, code)
        except NotFound:
            raise ServiceError("unknown_house", "house_code", code=code) from None
        record_service.link_person(db, actor, saved, house, form.role.data or "builder")
    return saved


@bp.post("/people/<int:person_id>/links/<int:link_id>/unlink")
@editor_required
def person_unlink(person_id: int, link_id: int) -> Any:
    db = get_db()
    person = record_service.get_person(db, person_id)
    record_service.unlink_person(db, current_actor(), person, link_id)
    flash(_("Link removed."), "info")
    return redirect(url_for("staff.person_form", person_id=person.id))


@bp.post("/people/<int:person_id>/<any(delete, restore):action>")
@editor_required
def person_action(person_id: int, action: str) -> Any:
    db = get_db()
    person = record_service.get_person(db, person_id, include_deleted=True)
    record_service.set_person_deleted(db, current_actor(), person, action == "delete")
    return redirect(url_for("staff.people") if action == "delete" else url_for("staff.person_form",
                                                                                 person_id=person.id))

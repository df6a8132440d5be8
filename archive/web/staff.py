"""Staff pages for houses: list, create, edit, publish, delete, restore, history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from archive.access import house_data
from archive.messages import service_message
from archive.models import House
from archive.services import ServiceError
from archive.services import houses as house_service
from archive.services.audit import house_history
from archive.services.fixity import fixity_status
from archive.services.overview import TRASH_KINDS, live_counts, recent_changes, trashed
from archive.services.paging import page_of
from archive.services.vocab import labels
from archive.web.context import current_actor, current_viewer, get_db
from archive.web.forms import Form, HouseForm, fill_vocab_choices
from archive.web.guards import editor_required, staff_required
from archive.web.paging import past_the_end, requested_page

bp = Blueprint("staff", __name__)
HISTORY_PAGE, TRASH_PAGE = 100, 100


def prepared(form: Form) -> Form:
    from flask_babel import get_locale

    fill_vocab_choices(form, labels(get_db(), str(get_locale())))
    return form


def attach_error(form: Form, exc: ServiceError) -> None:
    """Show a service refusal beside the field it concerns (or at the top of the form)."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, service_message(exc)]
    else:
        flash(service_message(exc), "error")


@bp.get("/")
@staff_required
def dashboard() -> Any:
    db, viewer = get_db(), current_viewer()
    filters = house_service.HouseFilters.from_mapping(request.args)
    page = house_service.list_houses(db, viewer, filters, page=requested_page(), per_page=50)
    if (elsewhere := past_the_end(page.page, page.pages)) is not None:
        return elsewhere
    return render_template("staff/dashboard.html", page=page, recent=recent_changes(db), counts=live_counts(db),
                           filters=filters.values, fixity=fixity_status(db) if viewer.can_edit else None)


@bp.route("/houses/new", methods=["GET", "POST"])
@editor_required
def house_new() -> Any:
    form = prepared(HouseForm())
    if form.validate_on_submit():
        try:
            house = house_service.create_house(get_db(), current_actor(), form.values())
        except ServiceError as exc:
            attach_error(form, exc)
        else:
            flash(_("House %(code)s created.", code=house.code), "info")
            return redirect(url_for("public.house", code=house.code))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/house_form.html", form=form, house=None), status


@bp.route("/houses/<code>/edit", methods=["GET", "POST"])
@editor_required
def house_edit(code: str) -> Any:
    db = get_db()
    house = house_service.get_house(db, code)
    form = prepared(HouseForm(obj=None if request.method == "POST" else _form_data(house)))
    if form.validate_on_submit():
        try:
            changes = house_service.update_house(db, current_actor(), house, form.values())
        except ServiceError as exc:
            attach_error(form, exc)
        else:
            flash(_("Saved: %(n)d fields changed.", n=len(changes)), "info")
            return redirect(url_for("public.house", code=house.code))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/house_form.html", form=form, house=house), status


class _FormData:
    """A house as the form shows it: lists joined, numbers as text."""

    def __init__(self, house: House) -> None:
        for name in HouseForm.__dict__:
            if not name.startswith("_") and hasattr(house, name):
                setattr(self, name, getattr(house, name))
        self.aliases = "；".join(house.aliases or [])
        self.destinations = "；".join(house.destinations or [])
        self.lat = "" if house.lat is None else repr(house.lat)
        self.lon = "" if house.lon is None else repr(house.lon)
        self.storeys = "" if house.storeys is None else str(house.storeys)


def _form_data(house: House) -> _FormData:
    return _FormData(house)


@bp.post("/houses/<code>/<any(publish, unpublish, delete, restore):action>")
@editor_required
def house_action(code: str, action: str) -> Any:
    db, actor = get_db(), current_actor()
    house = house_service.get_house(db, code, include_deleted=action == "restore")
    if action in ("publish", "unpublish"):
        house_service.set_published(db, actor, house, action == "publish")
    elif action == "delete":
        house_service.delete_house(db, actor, house)
        flash(_("House %(code)s moved to the trash; it can be restored.", code=code), "info")
        return redirect(url_for("staff.dashboard"))
    else:
        house_service.restore_house(db, actor, house)
    return redirect(url_for("public.house", code=code))


@bp.get("/houses/<code>/history")
@staff_required
def house_history_page(code: str) -> Any:
    db = get_db()
    house = house_service.get_house(db, code, include_deleted=True)
    events = page_of(db, house_history(house.id), requested_page(), HISTORY_PAGE)
    if (elsewhere := past_the_end(events.page, events.pages)) is not None:
        return elsewhere
    return render_template("staff/history.html", house=house_data(current_viewer(), house),
                           events=events.items, page=events)


@bp.get("/trash")
@staff_required
def trash() -> Any:
    db, number = get_db(), requested_page()
    # Four lists, paged together: page N shows the Nth hundred of each; the longest sets the count.
    lists = {kind: page_of(db, trashed(kind), number, TRASH_PAGE) for kind in TRASH_KINDS}
    longest = max(lists.values(), key=lambda p: p.pages)
    if (elsewhere := past_the_end(number, longest.pages)) is not None:
        return elsewhere
    return render_template("staff/trash.html", page=longest, **{k: v.items for k, v in lists.items()})


"""Staff forms. Every message goes through Flask-Babel, so errors come in the user's language."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, request
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from archive.flags import parse_flag

LIST_SEPARATORS = re.compile(r"[;；、,，\n]+")
SHORT, MEDIUM, LONG = 200, 500, 20000


class _BabelTranslations:
    """WTForms' own messages ("Not a valid integer value.") translated by our catalogue."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _BabelTranslations:
            return _BabelTranslations()


def required() -> DataRequired:
    return DataRequired(message=_l("This field is required."))


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class OptionalNumber(StringField):
    """A number field that reads '', '3', '22.5' and says clearly when it is not a number."""

    def __init__(self, *args: Any, integer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.integer = integer
        self.number: float | int | None = None

    def pre_validate(self, form: Any) -> None:
        text = (self.data or "").strip()
        self.number = None
        if not text:
            return
        try:
            self.number = int(text) if self.integer else float(text)
        except ValueError:
            message = _l("Enter a whole number.") if self.integer else _l("Enter a number.")
            raise ValidationError(str(message)) from None


def flag_refused(name: str) -> str:
    return gettext("%(name)s must be yes or no (1/0, true/false, on/off).", name=name)


def form_flag(name: str, *, default: bool = False) -> bool:
    """A yes/no field of the posted form (a checkbox); another word answers 400 in the user's language."""
    from archive.web.errors import error_response

    try:
        return parse_flag(request.form.get(name), default=default)
    except ValueError:
        abort(error_response(400, "bad_parameter", flag_refused(name)))


class FlagField(BooleanField):
    """A checkbox read as form_flag reads one: a word that is neither yes nor no is a field error."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = parse_flag(valuelist[0] if valuelist else None)
        except ValueError:
            self.data = False
            raise ValueError(flag_refused(str(self.label.text))) from None


class InRange:
    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def __call__(self, form: Any, field: OptionalNumber) -> None:
        if field.number is not None and not self.low <= field.number <= self.high:
            raise ValidationError(gettext("Must be between %(min)s and %(max)s.", min=self.low, max=self.high))


def vocab_field(label: Any, vocab: str, *, allow_blank: bool = True) -> SelectField:
    return SelectField(label, choices=[], validate_choice=True, default="",
                       validators=[Optional()] if allow_blank else [required()])


class LoginForm(Form):
    username = StringField(_l("User name"), validators=[required(), at_most(80)])
    password = PasswordField(_l("Password"), validators=[required(), at_most(200)])


class HouseForm(Form):
    code = StringField(_l("Code"), validators=[
        required(), at_most(64),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", message=_l("Letters, digits, '-', '_' and '.' only.")),
    ])
    name_zh = StringField(_l("Chinese name"), validators=[required(), at_most(SHORT)])
    name_en = StringField(_l("English name"), validators=[at_most(SHORT)])
    aliases = StringField(_l("Other names"), validators=[at_most(MEDIUM)])
    province = StringField(_l("Province"), validators=[at_most(100)])
    city = StringField(_l("City"), validators=[at_most(100)])
    county = StringField(_l("County"), validators=[at_most(100)])
    township = StringField(_l("Township"), validators=[at_most(100)])
    village = StringField(_l("Village"), validators=[at_most(100)])
    address = StringField(_l("Address"), validators=[at_most(MEDIUM)])
    lat = OptionalNumber(_l("Latitude"), validators=[InRange(-90, 90)])
    lon = OptionalNumber(_l("Longitude"), validators=[InRange(-180, 180)])
    built_text = StringField(_l("Built"), validators=[at_most(100)])
    builder = StringField(_l("Builder"), validators=[at_most(300)])
    family = StringField(_l("Family"), validators=[at_most(50)])
    destinations = StringField(_l("Overseas destinations"), validators=[at_most(MEDIUM)])
    style = vocab_field(_l("Style"), "style")
    materials = StringField(_l("Materials"), validators=[at_most(300)])
    storeys = OptionalNumber(_l("Storeys"), integer=True, validators=[InRange(0, 200)])
    protection_level = vocab_field(_l("Protection level"), "protection_level")
    condition = vocab_field(_l("Condition"), "condition")
    current_use = StringField(_l("Current use"), validators=[at_most(300)])
    custody = StringField(_l("Custody"), validators=[at_most(300)])
    owner = StringField(_l("Owner"), validators=[at_most(300)])
    owner_contact = StringField(_l("Owner contact"), validators=[at_most(300)])
    summary_zh = TextAreaField(_l("Summary (Chinese)"), validators=[at_most(LONG)])
    summary_en = TextAreaField(_l("Summary (English)"), validators=[at_most(LONG)])
    history_zh = TextAreaField(_l("History (Chinese)"), validators=[at_most(LONG)])
    history_en = TextAreaField(_l("History (English)"), validators=[at_most(LONG)])
    owner_public = FlagField(_l("Owner's name is public"))
    contact_public = FlagField(_l("Contact is public"))
    location_public = FlagField(_l("Exact location is public"), default=True)

    def values(self) -> dict[str, Any]:
        """The form's data in the service's terms."""
        text = lambda f: (f.data or "").strip() or None  # noqa: E731
        out: dict[str, Any] = {name: text(getattr(self, name)) for name in (
            "code", "name_zh", "name_en", "province", "city", "county", "township", "village", "address",
            "built_text", "builder", "family", "style", "materials", "protection_level", "condition",
            "current_use", "custody", "owner", "owner_contact", "summary_zh", "summary_en", "history_zh",
            "history_en")}
        out["aliases"] = split_list(self.aliases.data)
        out["destinations"] = split_list(self.destinations.data)
        out["lat"], out["lon"] = self.lat.number, self.lon.number
        out["storeys"] = self.storeys.number
        for name in ("owner_public", "contact_public", "location_public"):
            out[name] = bool(getattr(self, name).data)
        return out


class RecordForm(Form):
    kind = vocab_field(_l("Kind"), "record_kind", allow_blank=False)
    title = StringField(_l("Title"), validators=[required(), at_most(MEDIUM)])
    body = TextAreaField(_l("Text"), validators=[at_most(200000)])
    date_text = StringField(_l("Date"), validators=[at_most(100)])
    source = StringField(_l("Source"), validators=[at_most(MEDIUM)])
    contributor = StringField(_l("Contributor"), validators=[at_most(SHORT)])
    public = FlagField(_l("Public"))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: (getattr(self, name).data or "").strip() or None
                               for name in ("kind", "title", "body", "date_text", "source", "contributor")}
        out["public"] = bool(self.public.data)
        return out


class PersonForm(Form):
    name_zh = StringField(_l("Chinese name"), validators=[required(), at_most(SHORT)])
    names_romanised = StringField(_l("Romanised names"), validators=[at_most(MEDIUM)])
    destinations = StringField(_l("Overseas destinations"), validators=[at_most(MEDIUM)])
    dates_text = StringField(_l("Dates"), validators=[at_most(100)])
    notes = TextAreaField(_l("Notes"), validators=[at_most(LONG)])
    public = FlagField(_l("Public"), default=True)
    house_code = StringField(_l("Linked house (code)"), validators=[at_most(64)])
    role = vocab_field(_l("Role"), "person_role")

    def values(self) -> dict[str, Any]:
        return {
            "name_zh": (self.name_zh.data or "").strip(),
            "names_romanised": (self.names_romanised.data or "").strip() or None,
            "destinations": split_list(self.destinations.data),
            "dates_text": (self.dates_text.data or "").strip() or None,
            "notes": (self.notes.data or "").strip() or None,
            "public": bool(self.public.data),
        }


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


def fill_vocab_choices(form: Form, labels: dict[str, dict[str, str]]) -> None:
    """Choices come from the vocabulary table, labelled in the user's language."""
    for name, vocab in (("style", "style"), ("protection_level", "protection_level"),
                        ("condition", "condition"), ("kind", "record_kind"), ("role", "person_role")):
        field = getattr(form, name, None)
        if field is None:
            continue
        choices = [(key, label) for key, label in labels.get(vocab, {}).items()]
        blank = [] if name == "kind" else [("", "—")]
        field.choices = blank + choices


"""Forms of the account pages: own password change, and the administrator's user forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, Length

from archive.web.forms import Form, at_most, required

ROLE_LABELS = {"admin": _l("administrator"), "editor": _l("editor"), "researcher": _l("researcher")}


class PasswordChangeForm(Form):
    current = PasswordField(_l("Current password"), validators=[required(), at_most(200)])
    new = PasswordField(_l("New password"), validators=[required(), at_most(200)])
    confirm = PasswordField(_l("New password again"), validators=[
        required(), EqualTo("new", message=_l("The two new passwords differ.")),
    ])


class UserAddForm(Form):
    username = StringField(_l("User name"), validators=[required(), Length(max=80, message=_l(
        "At most %(max)d characters.", max=80))])
    role = SelectField(_l("Role"), default="researcher")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_role_choices(self)


class RoleForm(Form):
    role = SelectField(_l("Role"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_role_choices(self)


def with_role_choices(form: UserAddForm | RoleForm) -> None:
    # Set after binding, as forms.fill_vocab_choices does: WTForms warns on tuple choices given
    # to the constructor (and the suite turns warnings into errors).
    form.role.choices = [(key, str(label)) for key, label in ROLE_LABELS.items()]


class TokenForm(Form):
    label = StringField(_l("Token name"), validators=[at_most(80)])

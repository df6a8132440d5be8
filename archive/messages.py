"""Refusal codes turned into sentences in the user's language: the one place, for the web and the CLI.

* ServiceError codes (archive.services) and MediaError codes (media) are said here, through
  Flask-Babel, so the web and the command line share one wording and one set of translations.
* Import problems (importers.problems) are said by the importers' own catalogue,
  importers/messages.py (简体, 繁體 and English; the importers use neither Flask nor Babel);
  `problem_message` renders one in the current language.

The web uses the request's language; the CLI (`cli_message`) the language of $QIAOFANG_LANG or
$LANG, and names the field or item a message does not name itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from archive.services import ServiceError

if TYPE_CHECKING:  # neither the image nor the spreadsheet stack is loaded for the command line's sake
    from importers.problems import Problem
    from media import MediaError

# Codes whose sentence does not say which field or item it is about.
_UNNAMED = frozenset({"required", "out_of_range", "unknown_term", "unknown_field", "not_found",
                      "username_too_long", "wrong_password", "password_unchanged"})


def service_messages(exc: ServiceError) -> dict[str, Callable[[], str]]:
    """Every service refusal code and how it is said (a test renders each in every language)."""
    p = exc.params
    return {
        "required": lambda: _("This field is required."),
        "out_of_range": lambda: _("Must be between %(min)s and %(max)s.", min=p.get("min"), max=p.get("max")),
        "unknown_term": lambda: _("Unknown value: %(value)s.", value=p.get("value")),
        "bad_period": lambda: _("A period is given as years such as 1920, between %(min)s and %(max)s; "
                                "not %(value)s.", min=p.get("min"), max=p.get("max"), value=p.get("value")),
        "period_order": lambda: _("The period starts (%(start)s) after it ends (%(end)s).",
                                  start=p.get("start"), end=p.get("end")),
        "duplicate_code": lambda: _("A house with the code %(code)s already exists.", code=p.get("code")),
        "not_found": lambda: _("Not found."),
        "bad_cursor": lambda: _("This after cursor is not one the API gave out; start again without it."),
        "unknown_field": lambda: _("Unknown field."),
        "unknown_house": lambda: _("No house has the code %(code)s.", code=p.get("code")),
        "alias_chinese": lambda: _("Give the name in Chinese characters."),
        "alias_spelling": lambda: _("Give the spelling in letters (e.g. Wong, Toishan)."),
        "alias_exists": lambda: _("%(chinese)s = %(spelling)s is already in the table.",
                                  chinese=p.get("chinese"), spelling=p.get("spelling")),
        "duplicate_photo": lambda: _("This house already has this exact photo (%(name)s); it was not added again.",
                                     name=p.get("name")),
        "unknown_batch": lambda: _("There is no import batch %(batch)s.", batch=p.get("batch")),
        "unknown_role": lambda: _("Unknown role: %(value)s.", value=p.get("value")),
        "unknown_user": lambda: _("There is no user named %(username)s.", username=p.get("username")),
        "duplicate_user": lambda: _("A user named %(username)s already exists.", username=p.get("username")),
        "username_too_long": lambda: _("At most %(max)d characters.", max=p.get("max")),
        "password_too_short": lambda: _("The password must have at least %(min)d characters.", min=p.get("min")),
        "password_too_long": lambda: _("The password may have at most %(max)d characters.", max=p.get("max")),
        "wrong_password": lambda: _("This is not your current password."),
        "password_unchanged": lambda: _("Choose a password different from the current one."),
        "last_admin": lambda: _("%(username)s is the last active administrator; make another one first.",
                                username=p.get("username")),
        "user_inactive": lambda: _("%(username)s is deactivated.", username=p.get("username")),
        "already_undone": lambda: _("Import batch %(batch)s was already undone.", batch=p.get("batch")),
        "not_undone": lambda: _("Import batch %(batch)s is not undone; there is nothing to redo.",
                                batch=p.get("batch")),
        "redo_blocked": lambda: _("Import batch %(batch)s cannot be redone: %(item)s has been taken or removed "
                                  "since the undo; nothing was changed.", batch=p.get("batch"), item=p.get("item")),
        "redo_conflict": lambda: _("Import batch %(batch)s cannot be redone: %(item)s was edited after the undo "
                                   "(%(what)s); nothing was changed.", batch=p.get("batch"), item=p.get("item"),
                                   what=p.get("what")),
        "redo_unavailable": lambda: _("Import batch %(batch)s was undone before undo kept what it removed; it "
                                      "cannot be redone. Import its file again instead.", batch=p.get("batch")),
        "undo_blocked": lambda: _(
            "Import batch %(batch)s created house %(code)s, which now has photos from another import; "
            "undo that import first.", batch=p.get("batch"), code=p.get("code")),
        "demo_invalid": lambda: _("The demo data set did not import: %(detail)s", detail=p.get("detail")),
    }


def service_message(exc: ServiceError) -> str:
    """A refused change, said in the current language."""
    make = service_messages(exc).get(exc.code)
    return make() if make else _("The change was refused (%(code)s).", code=exc.code)


def media_message(exc: MediaError) -> str:
    """A refused file, said in the user's language."""
    make = media_messages(exc).get(exc.code)
    return make() if make else _("The file was refused (%(code)s).", code=exc.code)


def media_messages(exc: MediaError) -> dict[str, Callable[[], str]]:
    """Every refusal of an uploaded file and how it is said."""
    return {
        "empty": lambda: _("The file is empty."),
        "too_large": lambda: _("The file is larger than the upload limit."),
        "hash_mismatch": lambda: _("The file's sha256 does not match the one sent with it; it was not stored."),
        "not_image": lambda: _("This is not an image file."),
        "format_not_allowed": lambda: _(
            "This image format is not accepted (%(detail)s). Use JPEG, PNG, WebP, TIFF or HEIC.",
            detail=str(exc.params.get("format", "?"))),
        "unreadable": lambda: _("The image header cannot be read; the file is not a usable image."),
        "decompression_bomb": lambda: _("The image declares too many pixels to be opened safely."),
    }


def refusal_message(code: str, params: Mapping[str, str | int]) -> str:
    """A file refused by a folder import: a MediaError code, else a service code (unknown_house)."""
    from media import MediaError

    media_error = MediaError(code, code, params)
    if code in media_messages(media_error):
        return media_message(media_error)
    return service_message(ServiceError(code, None, **params))


def current_lang() -> str:
    """The language messages are said in now (a Babel locale name: zh_Hans, zh_Hant, en)."""
    return str(get_locale() or "zh_Hans")


def problem_message(problem: Problem, *, location: bool = True) -> str:
    """An import problem in the current language, from the importers' catalogue."""
    from importers.problems import render

    return render(problem, current_lang(), location=location)


def cli_lang() -> str:
    """The command line's language, from $QIAOFANG_LANG or $LANG: zh-Hans, zh-Hant or en."""
    env = (os.environ.get("QIAOFANG_LANG") or os.environ.get("LANG") or "").lower()
    if env.startswith(("zh_tw", "zh_hk", "zh-hant", "zh_hant")):
        return "zh-Hant"
    return "zh-Hans" if env.startswith("zh") else "en"


def cli_refusal(code: str, params: Mapping[str, str | int], lang: str | None = None) -> str:
    """refusal_message in the command line's language."""
    with force_locale((lang or cli_lang()).replace("-", "_")):
        return refusal_message(code, params)


def cli_message(exc: ServiceError, lang: str | None = None) -> str:
    """A service refusal for the command line, prefixed with the field or item when the sentence lacks it."""
    lang = lang or cli_lang()
    with force_locale(lang.replace("-", "_")):
        text = service_message(exc)
    if exc.code not in _UNNAMED:
        return text
    if exc.code == "not_found":
        subject = f"{exc.params.get('what', '')} {exc.params.get('key', '')}".strip()
    else:
        subject = exc.field or ""
    return f"{subject}: {text}" if subject else text

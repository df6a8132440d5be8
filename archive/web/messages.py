"""Service error codes turned into sentences in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _

from archive.services import ServiceError
from media import MediaError


def service_message(exc: ServiceError) -> str:
    p = exc.params
    messages = {
        "required": lambda: _("This field is required."),
        "out_of_range": lambda: _("Must be between %(min)s and %(max)s.", min=p.get("min"), max=p.get("max")),
        "unknown_term": lambda: _("Unknown value: %(value)s.", value=p.get("value")),
        "bad_period": lambda: _("A period is given as years such as 1920, between %(min)s and %(max)s; "
                                "not %(value)s.", min=p.get("min"), max=p.get("max"), value=p.get("value")),
        "period_order": lambda: _("The period starts (%(start)s) after it ends (%(end)s).",
                                  start=p.get("start"), end=p.get("end")),
        "duplicate_code": lambda: _("A house with the code %(code)s already exists.", code=p.get("code")),
        "not_found": lambda: _("Not found."),
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
    }
    make = messages.get(exc.code)
    return make() if make else _("The change was refused (%(code)s).", code=exc.code)


def media_message(exc: MediaError) -> str:
    """A refused file, said in the user's language."""
    messages = {
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
    make = messages.get(exc.code)
    return make() if make else _("The file was refused (%(code)s).", code=exc.code)

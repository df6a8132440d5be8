"""Page numbers from the query string: the same answer for every list, on pages and in the API.

A page number that is not a whole number from 1 gets a 400 with a message in the user's
language (JSON in the API), never a 500 and never a silent page 1. A page past the end sends a
browser to the last page (so "page 99 of 4" or "found 34" over "nothing found" is never shown)
and gets a 400 in the API, whose callers read `pages` from the answer.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from archive.web.errors import error_response, wants_json

MAX_PAGE = 1_000_000


def requested_page() -> int:
    """The `page` argument (1 when absent); aborts with 400 when it is not a page number."""
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(error_response(400, "bad_parameter", _("The page number must be a whole number from 1 to %(max)d.",
                                                 max=MAX_PAGE)))
    return int(raw)


def past_the_end(page: int, pages: int) -> Any:
    """None when `page` exists; otherwise the answer to give instead (a redirect, or a JSON 400)."""
    if page <= pages:
        return None
    if wants_json():
        return error_response(400, "page_out_of_range", ngettext(
            "There is only %(num)d page.", "There are only %(num)d pages.", pages))
    from archive.web import with_page

    args = {**(request.view_args or {}), **with_page(request.args, pages)}
    return redirect(url_for(request.endpoint or "public.index", **args))

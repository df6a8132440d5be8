"""The OAI-PMH endpoint: GET and POST /oai, answered from `services.oai` in the public view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request, url_for

from archive.services.oai import Repository, respond
from archive.state import get_state

bp = Blueprint("oai", __name__)


def repository() -> Repository:
    """Settings: QIAOFANG_OAI_REPOSITORY_ID (default: the host name), _OAI_ADMIN_EMAIL, _OAI_PAGE_SIZE."""
    config = current_app.config
    host = request.host.split(":")[0]
    return Repository(
        identifier=str(config.get("OAI_REPOSITORY_ID") or host),
        base_url=url_for("oai.endpoint", _external=True),
        site=request.host_url.rstrip("/"),
        name="侨房档案 Qiaofang Archive",
        admin_email=str(config.get("OAI_ADMIN_EMAIL") or f"webmaster@{host}"),
        page_size=max(1, int(config.get("OAI_PAGE_SIZE", 100))),
        secret=str(config["SECRET_KEY"]).encode(),
    )


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Any:
    # The protocol allows POST with form-encoded arguments; the query string counts only for GET.
    source = request.form if request.method == "POST" else request.args
    args = {name: source.getlist(name) for name in source}
    # A read-only session of its own: a POST must not take SQLite's write lock as a form would.
    with get_state().db.session(write=False) as db:
        body = respond(db, repository(), args)
    return Response(body, mimetype="text/xml", headers={"Cache-Control": "no-cache"})

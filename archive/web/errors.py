"""Error pages and JSON errors: a clear message in the user's language, never a stack trace or data."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from archive.services import NotFound, ServiceError


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/api":
        return True
    # The upload page's script asks for JSON; a browser's own requests prefer HTML.
    return request.accept_mimetypes.best == "application/json"


def error_message(code: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The upload is larger than the limit of %(mb)s MB.", mb=_max_mb()),
        429: _("Too many requests; please slow down."),
    }.get(code, _("Something went wrong on our side; nothing was saved."))


def _max_mb() -> int:
    from flask import current_app

    return int(current_app.config["MAX_UPLOAD_MB"])


def error_response(status: int, code: str, message: str) -> Response:
    if wants_json():
        return make_response(jsonify({"error": {"code": code, "message": message}}), status)
    return make_response(render_template("error.html", status=status, message=message), status)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        return error_response(400, "csrf", _("The form has expired or is not from this site; reload and try again."))

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> Any:
        return error_response(404, "not_found", error_message(404))

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError) -> Any:
        from archive.messages import service_message

        return error_response(400, exc.code, service_message(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        return error_response(status, (exc.name or "error").lower().replace(" ", "_"), error_message(status))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal", error_message(500))

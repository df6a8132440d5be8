"""Qiaofang Archive (侨房档案): the Flask application.

`create_app` is the one place where configuration, the database, the media store, the search
indexes, extensions and blueprints are wired together; nothing connects at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from archive.state import ArchiveState

ROOT = Path(__file__).resolve().parent.parent


def build_state(config: Mapping[str, Any]) -> ArchiveState:
    """The application's state for a loaded config: the database, the media store, both search
    indexes, the background index updater and the replica copier (no thread starts yet). What
    `create_app` gives the app; `restore` builds one for the data folder it fills."""
    from archive.services.replication import BackgroundReplicator
    from archive.services.searching import BackgroundDrainer
    from archive.state import ArchiveState

    return ArchiveState.from_config(config, drainer=BackgroundDrainer, replicator=BackgroundReplicator)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from archive.config import load_config
    from archive.web import register_web

    settings = load_config(config)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config.update(settings)
    app.config.update(
        MAX_CONTENT_LENGTH=int(settings["MAX_UPLOAD_MB"]) * 1024 * 1024,
        # Long text fields get a field-level message from the form, not a bare 413 from Werkzeug.
        MAX_FORM_MEMORY_SIZE=12 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings["SECURE_COOKIES"]),
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_I18N_ENABLED=False,
        BABEL_DEFAULT_LOCALE="zh_Hans",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        JSON_SORT_KEYS=False,
    )
    hops = int(settings["PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.extensions["qiaofang"] = build_state(app.config)
    register_web(app)
    return app

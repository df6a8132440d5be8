"""Blueprints and request wiring: locale, login, CSRF, commit at the edge, errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale

from archive.extensions import babel, csrf, login_manager
from archive.web import context, errors

LOCALES = ("zh_Hans", "zh_Hant", "en")
# Accept-Language tags that mean traditional script.
_HANT = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


def select_locale() -> str:
    """?lang= (remembered), then the session, then the browser's Accept-Language, then 简体."""
    wanted = request.args.get("lang")
    if wanted in LOCALES:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in LOCALES:
        return str(session["lang"])
    for tag, _quality in request.accept_languages:
        tag = tag.lower()
        if tag.startswith(_HANT):
            return "zh_Hant"
        if tag.startswith("zh"):
            return "zh_Hans"
        if tag.startswith("en"):
            return "en"
    return "zh_Hans"


def vocab_labels() -> dict[str, dict[str, str]]:
    """{vocab: {key: label}} in the request's language, read once per request."""
    from archive.services.vocab import labels
    from archive.web.context import get_db

    if "vocab_labels" not in g:
        g.vocab_labels = labels(get_db(), str(get_locale() or "zh_Hans"))
    result: dict[str, dict[str, str]] = g.vocab_labels
    return result


def vocab_label(vocab: str, key: str) -> str:
    """A Jinja global (so imported macros can use it without the template context)."""
    return vocab_labels().get(vocab, {}).get(key, key)


def _template_globals() -> dict[str, Any]:
    from archive.web.context import current_viewer

    locale = str(get_locale() or "zh_Hans")
    return {
        "viewer": current_viewer(),
        "locale": locale,
        "locales": LOCALES,
        "vocab": vocab_labels(),
        "html_lang": {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant"}.get(locale, "en"),
    }


def register_web(app: Flask) -> None:
    # The staff pages are spread over several modules that add their routes to staff.bp when
    # imported (staff.py itself imports none of them): all of them before the blueprint is registered.
    from archive.web import (  # noqa: F401
        api,
        api_reads,
        auth,
        confirm,
        gazetteer_views,
        iiif,
        map_views,
        media_views,
        oai,
        open_data,
        people_views,
        public,
        search_views,
        staff,
        staff_aliases,
        staff_imports,
        staff_items,
        staff_photos,
        staff_users,
        statistics_views,
        uploads,
    )

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    babel.init_app(app, locale_selector=select_locale)

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(staff.bp, url_prefix="/staff")
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(media_views.bp)
    app.register_blueprint(iiif.bp)
    app.register_blueprint(oai.bp)
    app.register_blueprint(open_data.bp)
    app.register_blueprint(map_views.bp)
    app.register_blueprint(statistics_views.bp)
    app.register_blueprint(people_views.bp)
    map_views.configure(app)
    csrf.exempt(oai.bp)  # harvesters POST form-encoded requests (read-only) without a session
    # The JSON API takes no cookies for writes: POSTs there need a bearer token instead of CSRF.
    csrf.exempt(api.bp)

    app.before_request(api.authenticate_bearer)
    app.after_request(context.finish_request)
    app.after_request(_security_headers)
    app.teardown_appcontext(context.close_session)
    app.context_processor(_template_globals)
    errors.register(app)

    app.jinja_env.filters["lang_query"] = lang_query
    app.jinja_env.globals["vocab_label"] = vocab_label
    gazetteer_views.install(app)  # place(), zh(): places and descriptive text in the page's language
    app.jinja_env.filters["facet_toggle"] = facet_toggle
    app.jinja_env.filters["with_page"] = with_page


def with_page(args: Any, page: int) -> dict[str, list[str] | int]:
    """Query arguments for another page, keeping repeated ones (two counties stay two)."""
    out: dict[str, list[str] | int] = {k: args.getlist(k) for k in args if k != "page"}
    out["page"] = page
    return out


def facet_toggle(args: Any, name: str, value: str) -> dict[str, list[str]]:
    """Query arguments with one facet value switched on or off (and back to page 1)."""
    out: dict[str, list[str]] = {k: args.getlist(k) for k in args if k != "page"}
    values = out.get(name, [])
    out[name] = [v for v in values if v != value] if value in values else [*values, value]
    return out


def lang_query(args: Any, code: str) -> str:
    """The current query string with lang= replaced, so switching language keeps filters and page."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != "lang"]
    return urlencode([*pairs, ("lang", code)])


def _security_headers(response: Any) -> Any:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")  # the same as frame-ancestors, for old browsers
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Map tiles (if configured) are images from their own host: img-src only, nothing else.
    tiles = current_app.config.get("MAP_TILE_ORIGIN")
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; img-src 'self' data:{' ' + tiles if tiles else ''}; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'",
    )
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Only when the site is served over HTTPS (secure cookies on): over plain HTTP the header
        # would be ignored, and on a mixed set-up it would lock browsers out of the HTTP site.
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages that depend on who is asking must never sit in a shared cache.
    if request.path.startswith(("/staff", "/api", "/login")) or session.get("_user_id"):
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response

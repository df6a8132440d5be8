"""Request context: the request's database session, the viewer, the actor, and commit at the edge."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import Session

from archive.access import PUBLIC, Viewer
from archive.services import Actor
from archive.state import get_state

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db() -> Session:
    """One session per request; unsafe methods start with BEGIN IMMEDIATE on SQLite."""
    if "db" not in g:
        g.db = get_state().db.session(write=request.method not in SAFE_METHODS)
    session: Session = g.db
    return session


def lookup(fn: Any, *args: Any) -> Any:
    """Run a read (who is this token / session?) in its own short session.

    Identity checks must not open the request's write transaction: on SQLite that would take
    the write lock before an upload has even been read from the network.
    """
    session = get_state().db.session(write=False)
    try:
        return fn(session, *args)
    finally:
        session.close()


def current_viewer() -> Viewer:
    api_viewer: Viewer | None = g.get("api_viewer")
    if api_viewer is not None:
        return api_viewer
    if current_user.is_authenticated:
        return Viewer(current_user.user_id, current_user.username, current_user.role)
    return PUBLIC


def current_actor() -> Actor:
    viewer = current_viewer()
    return Actor(viewer.username or "anonymous", viewer.user_id)


def finish_request(response: Any) -> Any:
    """Commit what the request did when it succeeded; a 4xx/5xx response rolls everything back."""
    session: Session | None = g.get("db")
    if session is None:
        return response
    if response.status_code < 400:
        session.commit()
        if session.info.pop("search_dirty", False):
            drain_search_queue()
        if session.info.pop("replicas_dirty", False) and get_state().config.get("REPLICATE_IN_BACKGROUND", True):
            get_state().replicator.notify()  # copies start now, after the answer is decided
    else:
        session.rollback()
        session.info.pop("replicas_dirty", None)
    return response


def close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db", None)
    if session is not None:
        session.close()


def drain_search_queue() -> None:
    """After a committed change, bring the search indexes up to date (well within a second).

    A failure here must not turn a saved change into an error page: the queue keeps the house
    and the next drain (or `qiaofang reindex`) catches up.
    """
    from archive.services.searching import drain_queue

    state = get_state()
    if not state.config.get("SEARCH_SYNC", False):
        state.drainer.notify()  # searchable in well under a second, without waiting
        return
    try:
        drain_queue(state)
    except Exception:
        current_app.logger.exception("updating the search index failed; the queue keeps the change")

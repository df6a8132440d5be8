"""Role checks for views: staff pages need a login; changes need an editor or admin; accounts an admin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from archive.web.context import current_viewer

F = TypeVar("F", bound=Callable[..., Any])


def staff_required(view: F) -> F:
    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_viewer().sees_private:
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapped)


def editor_required(view: F) -> F:
    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or not current_viewer().can_edit:
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapped)


def admin_required(view: F) -> F:
    @login_required
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated or current_viewer().role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapped)

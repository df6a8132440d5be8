"""Business rules: typed functions that take a Session, flush, and never commit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a user (web, API) or a command-line operator."""

    name: str
    user_id: int | None = None


SYSTEM = Actor("system")


class ServiceError(Exception):
    """A refused change, with a stable code, the field it concerns and message parameters."""

    def __init__(self, code: str, field: str | None = None, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


class NotFound(ServiceError):  # noqa: N818 - it names the situation, like werkzeug.exceptions.NotFound
    def __init__(self, what: str, key: object) -> None:
        super().__init__("not_found", None, what=what, key=key)

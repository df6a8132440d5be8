"""Login attempt limits per account and per address, counted in the database.

Why a table and not Flask-Limiter: `qiaofang serve` runs several gunicorn processes, and
Flask-Limiter's in-memory storage counts per process (two workers = twice the attempts); its
shared storages (Redis, Memcached, MongoDB) are a service to run beside an archive that otherwise
needs none. The archive's own database is already shared by every worker, on SQLite and PostgreSQL
alike, and the counts survive a restart.

An attempt is written down (as "pending") before the password is checked and counted with the
failures, so requests sent in parallel cannot all slip under the limit while each one is still
hashing. A refused attempt is not counted (nor kept): the lock ends when the window slides past
the failures, however hard an attacker keeps knocking.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import LoginAttempt

COUNTED = ("pending", "failed")


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginLimits:
        return cls(int(config["LOGIN_MAX_FAILURES_ACCOUNT"]), int(config["LOGIN_MAX_FAILURES_ADDRESS"]),
                   timedelta(minutes=int(config["LOGIN_FAILURE_WINDOW_MINUTES"])))


@dataclass(frozen=True)
class Attempt:
    """A started attempt (`id`), or a refusal with the seconds until one is possible again."""

    id: int | None
    retry_after: int = 0

    @property
    def refused(self) -> bool:
        return self.id is None


def name_key(username: str) -> str:
    # Hashed: a name that is no account's may be a password typed into the wrong field.
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()


def begin_attempt(db: Session, limits: LoginLimits, username: str, address: str) -> Attempt:
    """Record a pending attempt, or refuse it when the account or the address is over its limit."""
    now = utcnow()
    since = now - limits.window
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
    row = LoginAttempt(at=now, name_sha256=name_key(username), address=address[:64], outcome="pending")
    db.add(row)
    db.flush()
    oldest: list[datetime] = []
    for column, value, limit in ((LoginAttempt.name_sha256, row.name_sha256, limits.per_account),
                                 (LoginAttempt.address, row.address, limits.per_address)):
        where = (column == value, LoginAttempt.at >= since, LoginAttempt.outcome.in_(COUNTED))
        if (db.scalar(select(func.count()).select_from(LoginAttempt).where(*where)) or 0) > limit:
            first = db.scalar(select(func.min(LoginAttempt.at)).where(*where))
            oldest.append(_aware(first or now))
    if not oldest:
        return Attempt(row.id)
    db.delete(row)
    db.flush()
    wait = (min(oldest) + limits.window - now).total_seconds()
    return Attempt(None, max(1, math.ceil(wait)))


def finish_attempt(db: Session, attempt_id: int, *, succeeded: bool) -> None:
    db.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id)
               .values(outcome="succeeded" if succeeded else "failed"))


def clear_failures(db: Session, username: str) -> int:
    """Lift an account's lock (an administrator's reset or `user unlock`); the number cleared."""
    done = db.execute(delete(LoginAttempt).where(LoginAttempt.name_sha256 == name_key(username),
                                                 LoginAttempt.outcome.in_(COUNTED)))
    return int(getattr(done, "rowcount", 0) or 0)


def account_failures(db: Session, limits: LoginLimits, username: str) -> int:
    """Failures counted against the account in the current window (the users page shows them)."""
    return db.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.name_sha256 == name_key(username), LoginAttempt.outcome == "failed",
        LoginAttempt.at >= utcnow() - limits.window)) or 0


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value

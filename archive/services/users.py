"""Accounts, login sessions that logout really ends, and API bearer tokens.

Every change to an account is audited with the account as the entity (`entity_type` "user",
tokens "apitoken"). Deactivating, resetting and changing a password end sessions here, in the
database: the request loader reads the session and the user on every request, so the effect is
immediate on every worker process.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from archive.db import utcnow
from archive.models import ApiToken, AuditEvent, User, UserSession
from archive.models.user import ROLES
from archive.services import SYSTEM, Actor, NotFound, ServiceError
from archive.services.audit import record_event

# ASVS 4.0 level 2, 2.1.1: user-chosen passwords of at least 12 characters (passphrases welcome;
# no composition rules, 2.1.9).
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# A token's last use is written at most this often: reading the API must not write on every call.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError("password_too_short", "password", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ServiceError("password_too_long", "password", max=MAX_PASSWORD_LENGTH)


def create_user(db: Session, username: str, password: str, role: str, *, actor: Actor = SYSTEM) -> User:
    username = username.strip()
    if role not in ROLES:
        raise ServiceError("unknown_role", "role", value=role, choices=", ".join(ROLES))
    if not username:
        raise ServiceError("required", "username")
    if len(username) > 80:
        raise ServiceError("username_too_long", "username", max=80)
    _check_password(password)
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise ServiceError("duplicate_user", "username", username=username)
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    db.add(user)
    db.flush()
    record_event(db, actor, "create", user, label=username, house_id=None, changes={"role": [None, role]})
    return user


def find_user(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise ServiceError("unknown_user", "username", username=username)
    return user


def get_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("user", user_id)
    return user


def list_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.active.desc(), User.username)))


def authenticate(db: Session, username: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        # Hash anyway so a wrong user name costs as much time as a wrong password.
        check_password_hash(generate_password_hash("x"), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def start_session(db: Session, user: User, *, address: str | None = None) -> UserSession:
    """A fresh random session id per login: a cookie from before login is worth nothing after it."""
    session = UserSession(id=secrets.token_urlsafe(32), user=user)
    db.add(session)
    user.last_login_at = utcnow()
    db.flush()
    record_event(db, Actor(user.username, user.id), "login", user, label=user.username, house_id=None,
                 changes={"address": address} if address else None)
    return session


def record_failed_login(db: Session, username: str, address: str | None) -> None:
    """Audit a refused password. The password is never recorded, nor a name that is no account's."""
    user = db.scalar(select(User).where(User.username == username.strip()))
    changes = {"address": address} if address else None
    if user is None:
        record_event(db, Actor("anonymous"), "login_failed", None, entity_type="user", label="?",
                     house_id=None, changes=changes)
    else:
        record_event(db, Actor("anonymous"), "login_failed", user, label=user.username, house_id=None,
                     changes=changes)


def end_session(db: Session, session_id: str) -> None:
    session = db.get(UserSession, session_id)
    if session is not None and session.revoked_at is None:
        session.revoked_at = utcnow()
        user = session.user
        record_event(db, Actor(user.username, user.id), "logout", user, label=user.username, house_id=None)
        db.flush()


def _end_sessions(db: Session, user: User, *, keep: str | None = None) -> int:
    """Revoke every open session of the user (but `keep`); the number ended."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep)
    ended = db.execute(stmt.values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    return int(getattr(ended, "rowcount", 0) or 0)


def user_for_session(db: Session, session_id: str, max_age: timedelta | None = None) -> tuple[User, UserSession] | None:
    """The live session's user; None once revoked, expired (older than max_age) or the user deactivated."""
    session = db.get(UserSession, session_id)
    if session is None or session.revoked_at is not None or not session.user.active:
        return None
    if max_age is not None and utcnow() - _aware(session.created_at) > max_age:
        return None
    return session.user, session


def _other_active_admins(db: Session, user: User) -> int:
    # Every active admin's row locked, in id order (PostgreSQL; SQLite writers are serialised
    # anyway): two admins demoting each other at once must not both succeed and leave none.
    admins = db.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))
                        .order_by(User.id).with_for_update()).all()
    return sum(1 for admin_id in admins if admin_id != user.id)


def set_role(db: Session, actor: Actor, user: User, role: str) -> bool:
    """Change the role (effective on the user's next request); False when it was already that."""
    if role not in ROLES:
        raise ServiceError("unknown_role", "role", value=role, choices=", ".join(ROLES))
    if role == user.role:
        return False
    if user.role == "admin" and user.active and not _other_active_admins(db, user):
        raise ServiceError("last_admin", "role", username=user.username)
    old, user.role = user.role, role
    db.flush()
    record_event(db, actor, "role", user, label=user.username, house_id=None, changes={"role": [old, role]})
    return True


def set_active(db: Session, actor: Actor, user: User, active: bool) -> bool:
    """Deactivate (every session and token ends at once) or reactivate; False when nothing changed."""
    if user.active == active:
        return False
    if not active and user.role == "admin" and not _other_active_admins(db, user):
        raise ServiceError("last_admin", None, username=user.username)
    user.active = active
    changes: dict[str, object] = {"active": [not active, active]}
    if not active:
        # Revoked, not only refused while inactive: reactivating must not bring old credentials back.
        changes["sessions_ended"] = _end_sessions(db, user)
        changes["tokens_revoked"] = _revoke_tokens(db, user)
    db.flush()
    record_event(db, actor, "reactivate" if active else "deactivate", user, label=user.username,
                 house_id=None, changes=changes)
    return True


def reset_password(db: Session, actor: Actor, user: User) -> str:
    """A random one-time password (shown once); the user must choose a new one at the next login."""
    temporary = secrets.token_urlsafe(12)
    user.password_hash = generate_password_hash(temporary)
    user.must_change_password = True
    ended = _end_sessions(db, user)
    db.flush()
    record_event(db, actor, "reset_password", user, label=user.username, house_id=None,
                 changes={"sessions_ended": ended})
    return temporary


def change_password(db: Session, user: User, current: str, new: str, *, keep_session: str | None) -> int:
    """The user's own change: needs the current password; ends the other sessions (their number)."""
    if not check_password_hash(user.password_hash, current):
        raise ServiceError("wrong_password", "current")
    _check_password(new)
    if new == current:
        raise ServiceError("password_unchanged", "new")
    user.password_hash = generate_password_hash(new)
    user.must_change_password = False
    ended = _end_sessions(db, user, keep=keep_session)
    db.flush()
    record_event(db, Actor(user.username, user.id), "change_password", user, label=user.username,
                 house_id=None, changes={"sessions_ended": ended})
    return ended


def account_events(db: Session, user: User, *, limit: int = 50) -> list[AuditEvent]:
    """The account's recent events (changes, logins, failed logins, its tokens), newest first."""
    token_ids = select(ApiToken.id).where(ApiToken.user_id == user.id)
    stmt = (select(AuditEvent)
            .where(or_(and_(AuditEvent.entity_type == "user", AuditEvent.entity_id == user.id),
                       and_(AuditEvent.entity_type == "apitoken", AuditEvent.entity_id.in_(token_ids))))
            .order_by(AuditEvent.id.desc()).limit(limit))
    return list(db.scalars(stmt))


# --- API tokens -------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, username: str, label: str | None = None, *, actor: Actor = SYSTEM) -> str:
    """A new bearer token for the user; only its hash is stored, so it is shown once."""
    user = find_user(db, username)
    if not user.active:
        raise ServiceError("user_inactive", "username", username=username)
    label = (label or "").strip()[:80] or None
    token = "qf_" + secrets.token_urlsafe(32)
    row = ApiToken(user=user, token_sha256=_token_hash(token), label=label)
    db.add(row)
    db.flush()
    record_event(db, actor, "token_create", row, label=_token_label(row), house_id=None)
    return token


def _token_label(row: ApiToken) -> str:
    return f"{row.user.username}: {row.label or '#' + str(row.id)}"


def list_tokens(db: Session, user: User | None = None, *, include_revoked: bool = False) -> Sequence[ApiToken]:
    stmt = select(ApiToken).join(User).order_by(User.username, ApiToken.id)
    if user is not None:
        stmt = stmt.where(ApiToken.user_id == user.id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return list(db.scalars(stmt))


def revoke_token(db: Session, actor: Actor, token_id: int) -> ApiToken:
    row = db.get(ApiToken, token_id)
    if row is None:
        raise NotFound("token", token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.flush()
        record_event(db, actor, "token_revoke", row, label=_token_label(row), house_id=None)
    return row


def _revoke_tokens(db: Session, user: User) -> int:
    rows = list(db.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)


def token_for_bearer(db: Session, token: str) -> ApiToken | None:
    """The live token row (its user active) for a presented bearer token, or None."""
    row = db.scalar(select(ApiToken).where(ApiToken.token_sha256 == _token_hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row


def user_for_token(db: Session, token: str) -> User | None:
    row = token_for_bearer(db, token)
    return None if row is None else row.user


def token_use_due(row: ApiToken) -> bool:
    """Whether this use should be written down (the last recorded use is older than the resolution)."""
    return row.last_used_at is None or utcnow() - _aware(row.last_used_at) >= TOKEN_USE_RESOLUTION


def mark_token_used(db: Session, token_id: int) -> None:
    db.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value

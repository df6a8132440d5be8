"""Accounts, login sessions that logout really ends, and API bearer tokens."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from archive.db import utcnow
from archive.models import ApiToken, User, UserSession
from archive.models.user import ROLES
from archive.services import ServiceError

MIN_PASSWORD_LENGTH = 8


def create_user(db: Session, username: str, password: str, role: str) -> User:
    username = username.strip()
    if role not in ROLES:
        raise ServiceError("unknown_role", "role", value=role, choices=", ".join(ROLES))
    if not username:
        raise ServiceError("required", "username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError("password_too_short", "password", min=MIN_PASSWORD_LENGTH)
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise ServiceError("duplicate_user", "username", username=username)
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    db.add(user)
    db.flush()
    return user


def authenticate(db: Session, username: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.active:
        # Hash anyway so a wrong user name costs as much time as a wrong password.
        check_password_hash(generate_password_hash("x"), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def start_session(db: Session, user: User) -> UserSession:
    """A fresh random session id per login: a cookie from before login is worth nothing after it."""
    session = UserSession(id=secrets.token_urlsafe(32), user=user)
    db.add(session)
    db.flush()
    return session


def end_session(db: Session, session_id: str) -> None:
    session = db.get(UserSession, session_id)
    if session is not None and session.revoked_at is None:
        session.revoked_at = utcnow()
        db.flush()


def user_for_session(db: Session, session_id: str) -> tuple[User, UserSession] | None:
    session = db.get(UserSession, session_id)
    if session is None or session.revoked_at is not None or not session.user.active:
        return None
    return session.user, session


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, username: str) -> str:
    """A new bearer token for the user; only its hash is stored, so it is shown once."""
    user = db.scalar(select(User).where(User.username == username))
    if user is None:
        raise ServiceError("unknown_user", "username", username=username)
    token = "qf_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user=user, token_sha256=_token_hash(token)))
    db.flush()
    return token


def user_for_token(db: Session, token: str) -> User | None:
    row = db.scalar(select(ApiToken).where(ApiToken.token_sha256 == _token_hash(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row.user

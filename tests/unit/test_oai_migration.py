"""Migration 0006 gives every house that is public at upgrade time an OAI row (and nothing else one)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from archive.services.setup import alembic_config


def test_upgrade_backfills_public_houses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0005")
    engine = create_engine(url)
    when = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    with engine.begin() as conn:
        for code, county, published, deleted in (("KP-1", "开平市", True, None), ("KP-2", "开平市", False, None),
                                                 ("KP-3", None, True, None), ("KP-4", "台山市", True, when)):
            conn.execute(text(
                "INSERT INTO house (code, name_zh, aliases, destinations, extra, published, owner_public, "
                "contact_public, location_public, county, created_at, updated_at, deleted_at) VALUES "
                "(:code, '楼', '[]', '[]', '{}', :published, 0, 0, 1, :county, :when, :when, :deleted)"),
                {"code": code, "county": county, "published": published, "when": when, "deleted": deleted})
    command.upgrade(config, "head")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT code, set_spec, set_name, datestamp, deleted, digest FROM oai_item ORDER BY code")).all()
    engine.dispose()
    assert [(r.code, r.set_spec, r.set_name, r.deleted, r.digest) for r in rows] == [
        ("KP-1", "county:kaipingshi", "开平市", 0, ""), ("KP-3", None, None, 0, "")]
    assert str(rows[0].datestamp).startswith("2025-03-01 08:30:15")  # whole seconds
    assert ".123456" not in str(rows[0].datestamp)

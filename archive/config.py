"""Configuration: defaults, then QIAOFANG_* environment variables, then the create_app argument.

The data folder holds everything the archive writes: the SQLite database (unless
QIAOFANG_DATABASE_URL points elsewhere), the media store, derivatives and the search indexes.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

ENV_PREFIX = "QIAOFANG_"

DEFAULTS: dict[str, Any] = {
    "DATA": "instance",
    "DATABASE_URL": None,
    "SECRET_KEY": None,
    "SECURE_COOKIES": False,
    # Failed logins allowed per account and per client address within the window; more are refused
    # (429) until the window slides past them (services/login_limits.py).
    "LOGIN_MAX_FAILURES_ACCOUNT": 10,
    "LOGIN_MAX_FAILURES_ADDRESS": 30,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    # A login session ends this long after the login, however active (OWASP ASVS 3.3.2: re-authenticate
    # at least every 12 hours).
    "SESSION_MAX_HOURS": 12,
    # Reverse proxies in front of the app (nginx, a load balancer) that set X-Forwarded-For/-Proto/
    # -Host: the per-address login limit then counts the client's address, not the proxy's. Leave 0
    # when clients reach the app directly: the headers would be the client's to forge.
    "PROXY_HOPS": 0,
    # Photos of 50 MP and more are 20-40 MB; a few layers of margin, and nothing unbounded.
    "MAX_UPLOAD_MB": 100,
    # Survey workbooks are zips: what one may unpack to, and its rows and columns, bound the memory
    # an import or a staff preview can take (importers/workbook.py).
    "SHEET_MAX_INFLATED_MB": 512,
    "SHEET_MAX_ROWS": 500_000,
    "SHEET_MAX_COLUMNS": 200,
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    # False: a background thread updates the search index after each commit (the request does
    # not wait); True: the request does it before answering (tests, single-threaded tools).
    "SEARCH_SYNC": False,
    "LANGUAGES": ["zh_Hans", "zh_Hant", "en"],
    # Second copies of every original: folders and s3://bucket/prefix URLs, separated by spaces or
    # commas (media/replicas.py). S3 keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
    # AWS_DEFAULT_REGION as boto3 reads them; S3_ENDPOINT_URL names a non-AWS server (MinIO, OSS...).
    "REPLICAS": [],
    "S3_ENDPOINT_URL": None,
    "S3_ADDRESSING_STYLE": None,  # path | virtual; unset lets botocore choose
    # False: uploads only queue their copies, `qiaofang replicate` makes them (tests, tools).
    "REPLICATE_IN_BACKGROUND": True,
    # Map tiles (archive/web/map_views.py): a tile URL template ({z}/{x}/{y}, optional {s}); unset,
    # the map draws its markers on a plain background (offline machines). MAP_TILES_CRS is wgs84, or
    # gcj02 for Chinese web maps (markers are shifted for display; stored data stays WGS84).
    "MAP_TILES": None,
    "MAP_TILES_CRS": "wgs84",
    "MAP_TILES_ATTRIBUTION": "",
}

# Environment values are strings; these keys are converted to the default's type.
_BOOL_TRUE = {"1", "true", "yes", "on"}


def _coerce(key: str, value: str) -> Any:
    default = DEFAULTS.get(key)
    if isinstance(default, bool):
        return value.strip().lower() in _BOOL_TRUE
    if isinstance(default, int):
        return int(value)
    return value


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Merge defaults, QIAOFANG_* environment variables and explicit overrides, then derive paths."""
    config = dict(DEFAULTS)
    for name, value in os.environ.items():
        if name.startswith(ENV_PREFIX):
            key = name[len(ENV_PREFIX):]
            config[key] = _coerce(key, value)
    config.update(overrides or {})
    data = Path(config["DATA"]).expanduser().resolve()
    config["DATA"] = data
    config.setdefault("MEDIA_DIR", data / "media")
    config.setdefault("DERIVATIVES_DIR", data / "derivatives")
    config.setdefault("INDEX_DIR", data / "index")
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{data / 'qiaofang.db'}"
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _secret_key(data)
    return config


def _secret_key(data: Path) -> str:
    """Keep one random key per data folder so sessions survive restarts and workers agree."""
    path = data / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    # Another worker may have won the race; its key is as good as ours, keep the first.
    with contextlib.suppress(FileExistsError):
        os.link(tmp, path)
    tmp.unlink(missing_ok=True)
    return path.read_text().strip()

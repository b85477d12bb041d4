"""Where things live. One place, overridable by environment variables."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The knowledge files: $JIUYE_DATA_DIR, else the repository's data/ folder."""
    return Path(os.environ.get("JIUYE_DATA_DIR", REPO_ROOT / "data"))


def today() -> dt.date:
    """Today's date; $JIUYE_TODAY pins it (tests, reproducible reports)."""
    pinned = os.environ.get("JIUYE_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def var_dir() -> Path:
    """Run-time state (the embedded database, attachments): $JIUYE_VAR_DIR, else var/ at the repo root."""
    return Path(os.environ.get("JIUYE_VAR_DIR", REPO_ROOT / "var"))


def database_url() -> str:
    """$JIUYE_DATABASE_URL (e.g. postgresql+psycopg://user@127.0.0.1:5432/jiuye), else the embedded
    SQLite file var/jiuye.sqlite3 (its folder is created here)."""
    url = os.environ.get("JIUYE_DATABASE_URL")
    if url:
        return url
    folder = var_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'jiuye.sqlite3'}"


def database_is_embedded() -> bool:
    """True when no database was configured: the embedded SQLite default (migrated and given demo
    data on first use)."""
    return not os.environ.get("JIUYE_DATABASE_URL")


def attachments_dir() -> Path:
    """Where uploaded materials are stored: $JIUYE_ATTACHMENTS_DIR, else var/attachments."""
    return Path(os.environ.get("JIUYE_ATTACHMENTS_DIR", var_dir() / "attachments"))


def session_secret() -> str:
    """The key that signs the web session cookie: $JIUYE_SECRET_KEY, else a random key kept in
    var/secret_key (created on first start, readable by its owner only), so sessions survive restarts."""
    key = os.environ.get("JIUYE_SECRET_KEY")
    if key:
        return key
    import secrets

    path = var_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def max_body_bytes() -> int:
    """Largest request body other than a file upload (JSON, forms): $JIUYE_MAX_BODY_BYTES, default
    256 KiB (a screening request for an enterprise with 500 employees is about 100 KiB)."""
    return _int_env("JIUYE_MAX_BODY_BYTES", 256 * 1024)


def roster_max_bytes() -> int:
    """Largest roster accepted by the console (and so the largest multipart upload):
    $JIUYE_ROSTER_MAX_BYTES, default 20 MiB (about 100 000 persons as CSV)."""
    return _int_env("JIUYE_ROSTER_MAX_BYTES", 20 * 1024 * 1024)


def https() -> bool:
    """$JIUYE_HTTPS=1 when the site is served over HTTPS (directly or behind a proxy that terminates
    TLS): the session cookie is then sent over HTTPS only, and browsers are told to stay on HTTPS."""
    return os.environ.get("JIUYE_HTTPS", "").strip().lower() in ("1", "true", "yes", "on")


def cors_origins() -> list[str]:
    """Web origins (https://example.org) allowed to call the API from a browser on another site:
    $JIUYE_CORS_ORIGINS, comma-separated; default none."""
    return [o.strip().rstrip("/") for o in os.environ.get("JIUYE_CORS_ORIGINS", "").split(",") if o.strip()]

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


def parameters_check_seconds() -> float:
    """How often (at most) a server process asks the database whether another process changed a rules
    parameter (then it reloads them): $JIUYE_PARAMETERS_CHECK_SECONDS, default 2; 0 checks on every request."""
    return max(0.0, float(os.environ.get("JIUYE_PARAMETERS_CHECK_SECONDS", "2")))


def parameter_edit_years_ahead() -> int:
    """How far ahead a parameter change made in the console may take effect: $JIUYE_PARAMETER_YEARS_AHEAD
    years after today (default 5)."""
    return int(os.environ.get("JIUYE_PARAMETER_YEARS_AHEAD", "5"))

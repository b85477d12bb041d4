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


def as_of_years_ahead() -> int:
    """How many years past today (or the last dated parameter value) an as_of may be:
    $JIUYE_AS_OF_YEARS_AHEAD, default 3 (jiuye.rules.period.supported_range)."""
    return max(0, int(os.environ.get("JIUYE_AS_OF_YEARS_AHEAD", "3")))


# Rate limits shared by every worker process (jiuye.cases.throttle; counters in the database).
# name -> (events, window in seconds, lock in seconds: 0 = no lock, refused until the window ends)
THROTTLE_DEFAULTS: dict[str, tuple[int, int, int]] = {
    "login_account": (5, 900, 900),      # 5 failed logins for one user name in 15 min -> locked 15 min
    "login_address": (20, 900, 900),     # 20 failed logins from one address in 15 min -> locked 15 min
    "register_address": (10, 3600, 0),   # 10 registration submits per address per hour
    "apply_account": (10, 3600, 0),      # 10 application submits per account per hour
    "apply_address": (30, 3600, 0),      # 30 application submits per address per hour
}


def throttle_limit(name: str) -> tuple[int, int, int]:
    """(events, window s, lock s) for `name`: $JIUYE_THROTTLE_<NAME> = "events/window[/lock]"
    (e.g. JIUYE_THROTTLE_LOGIN_ACCOUNT=5/900/900), else THROTTLE_DEFAULTS."""
    raw = os.environ.get(f"JIUYE_THROTTLE_{name.upper()}")
    if not raw:
        return THROTTLE_DEFAULTS[name]
    parts = [int(x) for x in raw.split("/")]
    default = THROTTLE_DEFAULTS[name]
    return (parts[0], parts[1] if len(parts) > 1 else default[1], parts[2] if len(parts) > 2 else default[2])


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

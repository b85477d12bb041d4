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


def _int_setting(name: str, default: int) -> int:
    """A whole-number setting from $name (underscores and commas allowed: 2_000_000), else ``default``."""
    raw = os.environ.get(name, "").replace("_", "").replace(",", "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"环境变量 {name}「{os.environ.get(name)}」应为整数") from None
    return value if value > 0 else default


def roster_max_rows() -> int:
    """Most records read from one roster (CSV / Parquet): $JIUYE_ROSTER_MAX_ROWS, default 2,000,000."""
    return _int_setting("JIUYE_ROSTER_MAX_ROWS", 2_000_000)


def roster_xlsx_max_rows() -> int:
    """Most rows read from one .xlsx roster: $JIUYE_ROSTER_XLSX_MAX_ROWS, default 1,048,576 (Excel's own
    limit; openpyxl reads about 7,000 rows a second)."""
    return _int_setting("JIUYE_ROSTER_XLSX_MAX_ROWS", 1_048_576)


def roster_xlsx_max_bytes() -> int:
    """Largest .xlsx roster accepted (on disk): $JIUYE_ROSTER_XLSX_MAX_BYTES, default 100 MiB."""
    return _int_setting("JIUYE_ROSTER_XLSX_MAX_BYTES", 100 * 1024 * 1024)


def roster_xlsx_max_unzipped() -> int:
    """Most bytes the parts of one .xlsx may unpack to (a zip bomb is refused before parsing):
    $JIUYE_ROSTER_XLSX_MAX_UNZIPPED, default 1 GiB."""
    return _int_setting("JIUYE_ROSTER_XLSX_MAX_UNZIPPED", 1024 * 1024 * 1024)

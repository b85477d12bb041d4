"""Where things live. One place, overridable by environment variables."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The knowledge files: $JIUYE_DATA_DIR, else the repository's data/ folder."""
    return Path(os.environ.get("JIUYE_DATA_DIR", REPO_ROOT / "data"))


BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def today() -> dt.date:
    """Today's date in Beijing, where the league is (a server on UTC would still be on yesterday from 16:00 to
    24:00 UTC: deadlines, as-of dates and closed windows would be a day late); $JIUYE_TODAY pins it (tests,
    reproducible reports)."""
    pinned = os.environ.get("JIUYE_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.datetime.now(BEIJING).date()


def beijing_time(value, seconds: bool = False) -> str:
    """A stored time (ISO text or datetime; without a zone it is UTC, as the database keeps it) shown
    as Beijing time: 'YYYY-MM-DD HH:MM'. Users see Beijing time only (pages and command line)."""
    if value in (None, ""):
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    beijing = dt.timezone(dt.timedelta(hours=8), "北京时间")
    return moment.astimezone(beijing).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


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
    # 打工直通车 sign-ups without an account, per address per hour: a station's terminal is one address
    # for a whole village, so the limit is high; it stops a script, not a busy station.
    "dagong_signup_address": (300, 3600, 0),
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
    var/secret_key (created on first start, readable by its owner only), so sessions survive restarts.

    Race-free for several worker processes starting at once: the key is written whole to a private
    temporary file and linked into place (link fails if another process won); everyone then reads
    the one file, never a half-written or empty one."""
    key = os.environ.get("JIUYE_SECRET_KEY")
    if key:
        return key
    import secrets

    path = var_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another worker created it first: use theirs
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def _int_setting(name: str, default: int, minimum: int = 1) -> int:
    """A whole-number setting from $name (underscores and commas allowed: 2_000_000), else ``default``
    (also when the value is below ``minimum``)."""
    raw = os.environ.get(name, "").replace("_", "").replace(",", "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"环境变量 {name}「{os.environ.get(name)}」应为整数") from None
    return value if value >= minimum else default


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


def queue_url() -> str:
    """The task queue of long jobs (roster screening, the retention clean-up): $JIUYE_QUEUE_URL, e.g.
    redis://127.0.0.1:6379/0 in production; unset: a SQLite file var/queue.sqlite3 (embedded default,
    whose consumer `jiuye serve` starts itself)."""
    url = os.environ.get("JIUYE_QUEUE_URL", "").strip()
    return url or f"sqlite:///{var_dir() / 'queue.sqlite3'}"


def queue_is_embedded() -> bool:
    """True when no queue was configured: `jiuye serve` then runs the consumer as its own child process."""
    return not os.environ.get("JIUYE_QUEUE_URL", "").strip()


def queue_name() -> str:
    """The queue's name inside its storage (Redis key prefix): $JIUYE_QUEUE_NAME, default jiuye."""
    return os.environ.get("JIUYE_QUEUE_NAME", "").strip() or "jiuye"


def console_jobs() -> int:
    """How many roster jobs run at the same time (the consumer's worker threads): $JIUYE_CONSOLE_JOBS, default 1."""
    return _int_setting("JIUYE_CONSOLE_JOBS", 1)


def roster_chunk_rows() -> int:
    """Rows per chunk of a console roster job (progress and resume step): $JIUYE_ROSTER_CHUNK_ROWS, default 20 000."""
    return _int_setting("JIUYE_ROSTER_CHUNK_ROWS", 20_000)


def retention_days() -> int:
    """Days that uploaded rosters and their results (full 身份证号) are kept: $JIUYE_RETENTION_DAYS, default 30."""
    return _int_setting("JIUYE_RETENTION_DAYS", 30)


def worker_header() -> bool:
    """$JIUYE_WORKER_HEADER=1: every reply names the serving process (X-Jiuye-Worker: pid), for tests
    and load checks of `jiuye serve --workers N`; off by default."""
    return os.environ.get("JIUYE_WORKER_HEADER", "") == "1"


def max_body_bytes() -> int:
    """Largest request body other than a file upload (JSON, forms): $JIUYE_MAX_BODY_BYTES, default
    256 KiB (a screening request for an enterprise with 500 employees is about 100 KiB)."""
    return _int_setting("JIUYE_MAX_BODY_BYTES", 256 * 1024)


def roster_max_bytes() -> int:
    """Largest roster accepted by the console (and so the largest multipart upload):
    $JIUYE_ROSTER_MAX_BYTES, default 20 MiB (about 100 000 persons as CSV)."""
    return _int_setting("JIUYE_ROSTER_MAX_BYTES", 20 * 1024 * 1024)


def https() -> bool:
    """$JIUYE_HTTPS=1 when the site is served over HTTPS (directly or behind a proxy that terminates
    TLS): the session cookie is then sent over HTTPS only, and browsers are told to stay on HTTPS."""
    return os.environ.get("JIUYE_HTTPS", "").strip().lower() in ("1", "true", "yes", "on")


def cors_origins() -> list[str]:
    """Web origins (https://example.org) allowed to call the API from a browser on another site:
    $JIUYE_CORS_ORIGINS, comma-separated; default none."""
    return [o.strip().rstrip("/") for o in os.environ.get("JIUYE_CORS_ORIGINS", "").split(",") if o.strip()]
def parameters_check_seconds() -> float:
    """How often (at most) a server process asks the database whether another process changed a rules
    parameter (then it reloads them): $JIUYE_PARAMETERS_CHECK_SECONDS, default 2; 0 checks on every request."""
    return max(0.0, float(os.environ.get("JIUYE_PARAMETERS_CHECK_SECONDS", "2")))


def parameter_edit_years_ahead() -> int:
    """How far ahead a parameter change made in the console may take effect: $JIUYE_PARAMETER_YEARS_AHEAD
    years after today (default 5)."""
    return int(os.environ.get("JIUYE_PARAMETER_YEARS_AHEAD", "5"))

"""Backups of the case database and its attachments: `jiuye db backup PATH` / `jiuye db restore PATH`.

A backup is a folder (or the same folder as a ``.tar`` file when PATH ends in .tar) holding

- ``database.sqlite3`` — the embedded SQLite database, copied with SQLite's online backup API
  (consistent while the server runs), or ``database.pgdump`` — ``pg_dump --format=custom`` of the
  configured PostgreSQL schema (only that schema: ``-n``);
- ``attachments/`` — the uploaded materials ($JIUYE_ATTACHMENTS_DIR), as stored;
- ``manifest.json`` — format, time, backend, schema, the Alembic revision, row counts per table and
  the sha256 and size of every file above.

`restore` checks the manifest (every file present, same size and sha256) before touching anything,
refuses to overwrite a database or an attachments folder that is not empty unless ``force``, then
restores the database (SQLite: the backup API again; PostgreSQL: pg_restore, into the configured
schema even when it differs from the one dumped) and copies the attachments.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
ATTACHMENTS = "attachments"


class BackupError(RuntimeError):
    """A refused or failed backup / restore (Chinese message, no server paths beyond the user's own)."""


# --- helpers ----------------------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pg_schema(engine: Engine) -> str:
    """The schema the engine's tables live in: -csearch_path=… in the URL's options, else public."""
    opts = engine.url.query.get("options")
    for opt in ([opts] if isinstance(opts, str) else list(opts or [])):
        m = re.search(r"-csearch_path=([A-Za-z0-9_]+)", unquote(opt))
        if m:
            return m.group(1)
    with engine.connect() as c:
        return c.execute(text("select current_schema()")).scalar() or "public"


def _libpq_url(engine: Engine) -> str:
    """The URL for pg_dump / pg_restore / psql (no driver name, no SQLAlchemy options)."""
    u = engine.url.set(drivername="postgresql", query={})
    return u.render_as_string(hide_password=False)


def _run(cmd: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(cmd, capture_output=True, **kw)
    except FileNotFoundError:
        raise BackupError(f"{what}失败：找不到 {cmd[0]}（需要安装 PostgreSQL 客户端工具）") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace") if isinstance(done.stderr, bytes) else str(done.stderr)
        raise BackupError(f"{what}失败：{err.strip()[-800:]}")
    return done


def _counts(engine: Engine) -> dict[str, int]:
    insp = inspect(engine)
    out = {}
    with engine.connect() as c:
        for name in sorted(insp.get_table_names()):
            out[name] = int(c.execute(text(f'select count(*) from "{name}"')).scalar() or 0)
    return out


def _revision(engine: Engine) -> str | None:
    from jiuye.store.db import current_revision

    return current_revision(engine)


def _sqlite_path(engine: Engine) -> Path:
    db = engine.url.database
    if not db or db == ":memory:":
        raise BackupError("内存中的 SQLite 数据库不能备份或恢复")
    return Path(db)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- backup -----------------------------------------------------------------------------------------
def backup(engine: Engine, attachments: Path, target: Path) -> dict:
    """Write a backup of the database behind `engine` and of the `attachments` folder to `target`
    (a new or empty folder, or a .tar file that does not exist yet). Returns the manifest."""
    as_tar = target.suffix == ".tar"
    if as_tar and target.exists():
        raise BackupError(f"{target} 已存在：请换一个文件名（备份不覆盖已有文件）")
    if not as_tar and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} 已存在且不是空文件夹：请换一个位置（备份不覆盖已有文件）")
    work = Path(tempfile.mkdtemp(prefix=".jiuye-backup-", dir=target.parent)) if as_tar else target
    work.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _write(engine, attachments, work)
        if as_tar:
            with tarfile.open(target, "w") as tar:
                for p in sorted(work.iterdir()):
                    tar.add(p, arcname=p.name)
        return manifest
    except BaseException:
        if as_tar:
            target.unlink(missing_ok=True)
        raise
    finally:
        if as_tar:
            shutil.rmtree(work, ignore_errors=True)


def _write(engine: Engine, attachments: Path, work: Path) -> dict:
    backend = engine.url.get_backend_name()
    manifest: dict = {"format": FORMAT, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                      "backend": backend, "alembic_revision": _revision(engine), "rows": _counts(engine)}
    if backend == "sqlite":
        src = sqlite3.connect(str(_sqlite_path(engine)))
        dst = sqlite3.connect(str(work / SQLITE_FILE))
        try:
            with dst:
                src.backup(dst)  # the online backup API: a consistent copy while others write
        finally:
            dst.close()
            src.close()
    elif backend == "postgresql":
        schema = _pg_schema(engine)
        manifest["schema"] = schema
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-n", schema,
              "-f", str(work / PG_FILE), "-d", _libpq_url(engine)], "pg_dump 备份")
    else:
        raise BackupError(f"不支持备份 {backend} 数据库（只支持 SQLite 和 PostgreSQL）")
    (work / ATTACHMENTS).mkdir(exist_ok=True)
    for f in _files(attachments):
        dest = work / ATTACHMENTS / f.relative_to(attachments)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dest)
    files = {}
    for f in _files(work):
        rel = f.relative_to(work).as_posix()
        files[rel] = {"sha256": _sha256(f), "size": f.stat().st_size}
    manifest["files"] = files
    (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


# --- restore ----------------------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict:
    """The manifest of an unpacked backup, after checking every file it lists (size and sha256)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"不是备份：缺少 {MANIFEST}") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{MANIFEST} 已损坏（不是有效的 JSON）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{MANIFEST} 的格式不对（需要 format {FORMAT}）")
    root = folder.resolve()
    for rel, meta in manifest["files"].items():
        path = (folder / rel).resolve()
        if root not in path.parents:
            raise BackupError(f"清单中的文件名「{rel}」不在备份目录内，拒绝恢复")
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少文件 {rel}")
        if path.stat().st_size != meta.get("size") or _sha256(path) != meta.get("sha256"):
            raise BackupError(f"备份已损坏：文件 {rel} 的大小或 sha256 与清单不符")
    listed = set(manifest["files"]) | {MANIFEST}
    extra = [f.relative_to(folder).as_posix() for f in _files(folder) if f.relative_to(folder).as_posix() not in listed]
    if extra:
        raise BackupError(f"备份中有清单未列出的文件：{'、'.join(extra[:5])}")
    return manifest


def _database_is_empty(engine: Engine) -> bool:
    counts = _counts(engine)
    return not counts  # no table at all (an upgraded but empty database has tables: refused too)


def restore(engine: Engine, attachments: Path, source: Path, *, force: bool = False) -> dict:
    """Restore the backup at `source` (folder or .tar) into the database behind `engine` and the
    `attachments` folder. Refuses a database with tables, or attachments, unless `force`."""
    from jiuye.store import db

    if not source.exists():
        raise BackupError(f"找不到备份 {source}")
    tmp = None
    try:
        if source.is_file():
            tmp = Path(tempfile.mkdtemp(prefix=".jiuye-restore-"))
            try:
                with tarfile.open(source) as tar:
                    tar.extractall(tmp, filter="data")
            except (tarfile.TarError, OSError) as exc:
                raise BackupError(f"无法读取备份文件 {source.name}：{type(exc).__name__}") from None
            folder = tmp
        else:
            folder = source
        manifest = read_manifest(folder)
        backend = engine.url.get_backend_name()
        if manifest.get("backend") != backend:
            raise BackupError(f"备份来自 {manifest.get('backend')} 数据库，不能恢复到 {backend} 数据库")
        if not force:
            if not _database_is_empty(engine):
                raise BackupError("目标数据库不是空的：恢复会覆盖其中的数据。确认要覆盖请加 --force")
            if _files(attachments):
                raise BackupError(f"附件目录 {attachments} 不是空的。确认要覆盖请加 --force")
        db.forget()  # no pooled connection of this process keeps the old database open
        engine.dispose()
        if backend == "sqlite":
            _restore_sqlite(engine, folder / SQLITE_FILE)
        else:
            _restore_pg(engine, folder / PG_FILE, manifest.get("schema") or "public")
        if force and attachments.exists():
            shutil.rmtree(attachments)
        src = folder / ATTACHMENTS
        for f in _files(src):
            dest = attachments / f.relative_to(src)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dest)
        engine.dispose()
        return manifest
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    path = _sqlite_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(dump))
    dst = sqlite3.connect(str(path))
    try:
        with dst:
            src.backup(dst)  # replaces every page of the target
    finally:
        dst.close()
        src.close()


def _restore_pg(engine: Engine, dump: Path, dumped_schema: str) -> None:
    """pg_restore into the engine's schema. The dump holds one schema (pg_dump -n); when the target
    schema has another name, the SQL pg_restore writes is renamed outside the COPY data blocks and
    run by psql in one transaction. Only the target schema is touched."""
    schema = _pg_schema(engine)
    url = _libpq_url(engine)
    with engine.begin() as c:
        c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    script = _run(["pg_restore", "--no-owner", "--no-privileges", "-f", "-", str(dump)], "pg_restore 读取备份").stdout
    sql = _rename_schema(script.decode("utf-8"), dumped_schema, schema)
    _run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-d", url], "psql 恢复",
         input=sql.encode("utf-8"))


def _rename_schema(sql: str, old: str, new: str) -> str:
    """The restore script with schema `old` replaced by `new` in the statements (never in COPY data),
    and without its CREATE SCHEMA (the target schema was just created)."""
    out, in_copy = [], False
    stmt = re.compile(rf'(?<![A-Za-z0-9_"]){re.escape(old)}(?=\.)|"{re.escape(old)}"(?=\.)')
    for line in sql.splitlines(keepends=True):
        if in_copy:
            out.append(line)
            if line.rstrip("\r\n") == "\\.":
                in_copy = False
            continue
        if re.match(rf'CREATE SCHEMA ("?){re.escape(old)}\1;', line):
            continue
        if line.startswith("SELECT pg_catalog.set_config('search_path'"):
            line = f"SELECT pg_catalog.set_config('search_path', '{new}', false);\n"
        elif old != new:
            line = stmt.sub(f'"{new}"', line)
            line = re.sub(rf"^(COMMENT ON SCHEMA |ALTER SCHEMA )\"?{re.escape(old)}\"?", rf'\1"{new}"', line)
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            in_copy = True
        out.append(line)
    return "".join(out)

"""`jiuye db backup` / `jiuye db restore` (issue 13, item 14): a database with cases, events and
attachments round-trips identical (every table row by row, every file by sha256), on SQLite and on
PostgreSQL (a fresh schema dumped, restored into another fresh schema; no other schema touched);
restore refuses a non-empty target without --force and a backup whose manifest does not match."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, select, text
from sqlalchemy.orm import Session

from cases_support import configured, database, pg_schema

BACKENDS = ["sqlite", "postgresql"]


def _add_attachments(engine, root: Path, n: int = 3) -> None:
    from jiuye.cases.attachments import store_bytes
    from jiuye.cases.models import Attachment, Case, CaseEvent, User

    with Session(engine) as s:
        cases = list(s.scalars(select(Case).order_by(Case.id).limit(n)))
        staff = s.scalar(select(User).where(User.role != "applicant").order_by(User.id))
        for i, case in enumerate(cases):
            data = b"%PDF-1.4\n" + f"材料 {i} 案件 {case.id}".encode() + os.urandom(64)
            digest, rel = store_bytes(data, root)
            att = Attachment(case_id=case.id, material="其他材料", filename=f"材料{i}.pdf", content_type="application/pdf",
                             size=len(data), sha256=digest, storage_path=rel, uploaded_by_id=staff.id)
            s.add(att)
            s.flush()
            s.add(CaseEvent(case_id=case.id, actor_id=staff.id, actor_role=staff.role, actor_name=staff.display_name,
                            kind="attachment", comment=f"上传材料 {i}",
                            data={"attachment_id": att.id, "sha256": digest}))
        s.commit()


def _dump(engine) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (values compared as text: driver types aside)."""
    md = MetaData()
    md.reflect(engine)
    out = {}
    with engine.connect() as c:
        for name, table in sorted(md.tables.items()):
            rows = c.execute(select(table)).all()
            out[name] = sorted(tuple(str(v) for v in r) for r in rows)
    return out


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _cli(args: list[str], url: str, attachments: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "JIUYE_DATABASE_URL": url, "JIUYE_ATTACHMENTS_DIR": str(attachments)}
    return subprocess.run([sys.executable, "-m", "jiuye.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("as_tar", [False, True], ids=["folder", "tar"])
def test_backup_and_restore_round_trip_everything(tmp_path, backend, as_tar):
    from jiuye.store import db
    from jiuye.cases.backup import BackupError, backup, restore
    from jiuye.cases.models import Attachment, Case, CaseEvent

    src_att, dst_att = tmp_path / "att-src", tmp_path / "att-dst"
    target = tmp_path / ("backup.tar" if as_tar else "backup")
    with database(backend, tmp_path) as url, configured(url, tmp_path) as engine:
        _add_attachments(engine, src_att)
        before, files = _dump(engine), _files(src_att)
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(Case)) > 5
            assert s.scalar(select(func.count()).select_from(CaseEvent)) > 5
            assert s.scalar(select(func.count()).select_from(Attachment)) == 3 == len(files)
        manifest = backup(engine, src_att, target)
        assert manifest["alembic_revision"] == db.head_revision() and manifest["backend"] == backend
        assert sum(1 for k in manifest["files"] if k.startswith("attachments/")) == 3
        with pytest.raises(BackupError, match="已存在"):
            backup(engine, src_att, target)  # never overwrites
        # restore into a fresh, separate database and attachments folder
        if backend == "sqlite":
            ctx = _null(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
        else:
            ctx = pg_schema()
        with ctx as other:
            other_url = other if isinstance(other, str) else other[0]
            dst = db.make_engine(other_url)
            try:
                restore(dst, dst_att, target)
                assert _dump(dst) == before
                assert _files(dst_att) == files
                # a second restore into the now non-empty database is refused without --force …
                with pytest.raises(BackupError, match="不是空的.*--force"):
                    restore(dst, dst_att, target)
                # … and works with it
                restore(dst, dst_att, target, force=True)
                assert _dump(dst) == before and _files(dst_att) == files
                with Session(dst) as s:  # the sequences came along: a new event gets the next id
                    case = s.scalar(select(Case).order_by(Case.id))
                    ev = CaseEvent(case_id=case.id, actor_role="admin", actor_name="x", kind="comment", comment="新")
                    s.add(ev)
                    s.commit()
                    assert ev.id == max(int(r[0]) for r in before["case_events"]) + 1
            finally:
                dst.dispose()
        # the source is untouched
        assert _dump(engine) == before and _files(src_att) == files


class _null:
    def __init__(self, value):
        self.value = value

    def __enter__(self):
        return self.value

    def __exit__(self, *exc):
        return False


def test_restore_checks_the_manifest(tmp_path):
    from jiuye.cases.backup import BackupError, backup, restore

    with database("sqlite", tmp_path) as url, configured(url, tmp_path) as engine:
        _add_attachments(engine, tmp_path / "att", 2)
        backup(engine, tmp_path / "att", tmp_path / "b")
    from jiuye.store import db

    dst = db.make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    victim = next(p for p in sorted((tmp_path / "b" / "attachments").rglob("*")) if p.is_file())
    original = victim.read_bytes()
    victim.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(BackupError, match="sha256"):
        restore(dst, tmp_path / "att2", tmp_path / "b")
    victim.write_bytes(original)
    (tmp_path / "b" / "extra.txt").write_text("x")
    with pytest.raises(BackupError, match="清单未列出"):
        restore(dst, tmp_path / "att2", tmp_path / "b")
    (tmp_path / "b" / "extra.txt").unlink()
    m = json.loads((tmp_path / "b" / "manifest.json").read_text())
    m["files"]["../../etc/passwd"] = {"sha256": "0", "size": 1}
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(BackupError, match="不在备份目录内"):
        restore(dst, tmp_path / "att2", tmp_path / "b")
    assert not (tmp_path / "new.sqlite3").exists() or not _dump(dst)  # nothing restored
    assert not (tmp_path / "att2").exists()
    dst.dispose()


def test_cli_backup_and_restore_in_chinese(tmp_path):
    with database("sqlite", tmp_path) as url, configured(url, tmp_path) as engine:
        _add_attachments(engine, tmp_path / "attachments", 1)
        before = _dump(engine)
    r = _cli(["db", "backup", str(tmp_path / "b.tar")], url, tmp_path / "attachments")
    assert r.returncode == 0 and "已备份到" in r.stdout and "1 个附件文件" in r.stdout, r.stderr
    new = f"sqlite:///{tmp_path / 'n.sqlite3'}"
    r = _cli(["db", "restore", str(tmp_path / "b.tar")], new, tmp_path / "att-new")
    assert r.returncode == 0 and "已从" in r.stdout, r.stderr
    r = _cli(["db", "restore", str(tmp_path / "b.tar")], new, tmp_path / "att-new")
    assert r.returncode == 2 and "--force" in r.stderr and "Traceback" not in r.stderr
    from jiuye.store import db

    eng = db.make_engine(new)
    assert _dump(eng) == before
    eng.dispose()
    r = _cli(["db", "restore", "--help"], new, tmp_path / "att-new")
    assert "从备份恢复数据库和附件" in r.stdout and "--force" in r.stdout


def test_pg_restore_touches_no_other_schema(tmp_path):
    """Restoring into a fresh schema leaves the dumped schema and every other schema as it was."""
    from jiuye.store import db
    from jiuye.cases.backup import backup, restore

    with pg_schema() as (bystander_url, bystander):
        by = db.make_engine(bystander_url)
        with by.begin() as c:
            c.execute(text("create table keep (x int)"))
            c.execute(text("insert into keep values (1), (2)"))
        with database("postgresql", tmp_path) as url, configured(url, tmp_path) as engine:
            backup(engine, tmp_path / "att", tmp_path / "b")
            before = _dump(engine)
            with pg_schema() as (new_url, _):
                dst = db.make_engine(new_url)
                restore(dst, tmp_path / "att2", tmp_path / "b")
                assert _dump(dst) == before
                dst.dispose()
            assert _dump(engine) == before
        with by.connect() as c:
            assert c.execute(text("select count(*) from keep")).scalar() == 2
        by.dispose()

"""`jiuye db` (migrations, backup and restore) and `jiuye demo-data`: the database the services share, set up and kept
from the command line. Registered by jiuye.cases.cli.register."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import fail as _fail, out

db_app = typer.Typer(help="数据库：迁移（jiuye db upgrade）、备份与恢复（jiuye db backup / restore）", no_args_is_help=True, add_completion=False)


@db_app.command("upgrade")
def upgrade_cmd(
    revision: str = typer.Option("head", "--revision", help="迁移到哪个版本（默认最新）"),
    url: Optional[str] = typer.Option(None, "--url", help="数据库地址（默认 $JIUYE_DATABASE_URL 或内嵌 SQLite）"),
) -> None:
    """把迁移应用到配置的数据库（新库或已有的库）。"""
    from jiuye.store.db import current_revision, make_engine, upgrade
    from jiuye.config import database_url

    target = url or database_url()
    engine = make_engine(target)
    before = current_revision(engine)
    now = upgrade(engine, revision)
    shown = engine.url.render_as_string(hide_password=True)
    out.print(f"数据库 {shown}：{before or '（空库）'} → {now}" if before != now else f"数据库 {shown} 已是最新版本 {now}")


@db_app.command("current")
def current_cmd() -> None:
    """显示数据库当前的迁移版本和最新版本。"""
    from jiuye.store.db import current_revision, head_revision, make_engine

    engine = make_engine()
    out.print(f"当前：{current_revision(engine) or '（未初始化）'}；最新：{head_revision()}")


@db_app.command("backup")
def backup_cmd(path: Path = typer.Argument(..., help="备份写到哪里：新的（或空的）文件夹，或以 .tar 结尾的新文件")) -> None:
    """备份数据库（SQLite 用在线备份，PostgreSQL 用 pg_dump）和附件，附带清单（各文件的 sha256、迁移版本）。"""
    from jiuye.cases.backup import BackupError, backup
    from jiuye.store.db import make_engine
    from jiuye.config import attachments_dir

    try:
        m = backup(make_engine(), attachments_dir(), path)
    except BackupError as exc:
        _fail(exc)
    files = sum(1 for f in m["files"] if f.startswith("attachments/"))
    out.print(f"已备份到 {path}：{m['backend']} 数据库（迁移版本 {m['alembic_revision']}，"
              f"{sum(m['rows'].values())} 行）和 {files} 个附件文件")


@db_app.command("restore")
def restore_cmd(path: Path = typer.Argument(..., help="jiuye db backup 写出的文件夹或 .tar 文件"),
                force: bool = typer.Option(False, "--force", help="目标数据库或附件目录不是空的时也覆盖")) -> None:
    """从备份恢复数据库和附件：先按清单核对每个文件，目标不是空库时需加 --force。"""
    from jiuye.cases.backup import BackupError, restore
    from jiuye.store.db import head_revision, make_engine
    from jiuye.config import attachments_dir

    try:
        m = restore(make_engine(), attachments_dir(), path, force=force)
    except BackupError as exc:
        _fail(exc)
    out.print(f"已从 {path} 恢复：{sum(m['rows'].values())} 行数据、"
              f"{sum(1 for f in m['files'] if f.startswith('attachments/'))} 个附件文件（备份于 {m['created_at']}）")
    if m.get("alembic_revision") != head_revision():
        out.print(f"备份的迁移版本 {m.get('alembic_revision')} 不是最新的 {head_revision()}：请运行 jiuye db upgrade")


def demo_data_cmd() -> None:
    """加载演示数据（几个机构、用户和案件，以及演示招聘岗位和求职登记；可重复运行，已加载则不再加载）。"""
    from jiuye.store.db import is_current, make_engine, upgrade
    from jiuye.cases.demo import load_demo_data
    from jiuye.config import database_is_embedded

    engine = make_engine()
    if not is_current(engine):
        if not database_is_embedded():
            _fail(RuntimeError("数据库尚未初始化或版本较旧：请先运行 jiuye db upgrade"))
        upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as s:
        res = load_demo_data(s)
    from jiuye.market.demo import load_demo_market

    with Session(engine, expire_on_commit=False) as s:
        market = load_demo_market(s)
    if market["loaded"]:
        out.print(f"演示招聘：{market['postings']} 个岗位、{market['seekers']} 条求职登记。")
        res.setdefault("accounts", [])
        if res["loaded"]:
            res["accounts"] += market["accounts"]
    if not res["loaded"]:
        out.print(res["reason"])
        return
    t = Table(title=f"演示账号（密码均为 {res['password']}）")
    for col in ("用户名", "角色", "名称", "旗县市"):
        t.add_column(col)
    from jiuye.cases.roles import label

    for a in res["accounts"]:
        t.add_row(a["username"], label(a["role"]), a["name"], a["district"] or "")
    out.print(t)
    out.print(f"免申即享导入：新建 {len(res['batch']['created'])} 件，跳过 {len(res['batch']['skipped'])} 行")

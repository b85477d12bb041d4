"""`jiuye market …`: the labour market from the command line, over the same services as the pages
and the API. Commands that act as a user take `--as` (or $JIUYE_USER) and the password from
$JIUYE_PASSWORD or a prompt, so the access rules hold here too. Personal data is masked in every
output. Errors a user can fix print a Chinese message and exit with code 2."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, actor as _actor, fail as _fail, session as _session, out, run_service as _run

market_app = typer.Typer(help="招聘求职：岗位、求职登记、审核、投递、统计、消息", no_args_is_help=True, add_completion=False)


def register(app: typer.Typer) -> None:
    app.add_typer(market_app, name="market")


def _date(value: Optional[str], name: str) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(ValueError(f"{name}「{value}」应为日期，格式 YYYY-MM-DD"))


@market_app.command("demo")
def demo_cmd() -> None:
    """加载演示招聘数据（需先有演示账号：jiuye demo-data；已有岗位时不再加载）。"""
    from jiuye.market.demo import load_demo_market

    with _session() as s:
        res = load_demo_market(s)
    out.print(f"已加载：{res['postings']} 个岗位、{res['seekers']} 条求职登记。" if res["loaded"] else res["reason"])


@market_app.command("postings")
def postings_cmd(state: Optional[str] = typer.Option(None, "--state", help="状态：draft 草稿、pending 待审核、returned 已退回、"
                                                                           "published 招聘中、expired、filled、withdrawn"),
                 as_: Optional[str] = AS, as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出岗位：单位看本单位的，工作人员看本旗县市的（各种状态）。"""
    from jiuye.market import postings

    with _session() as s:
        me = _actor(s, as_)
        rows = _run(lambda: [postings.view(p, staff=True) for p in postings.list_for(s, me, state=state)])
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    t = Table(title=f"岗位（{len(rows)}）")
    for col in ("编号", "岗位", "单位", "地点", "工资", "人数", "状态", "提示"):
        t.add_column(col)
    for p in rows:
        t.add_row(str(p["id"]), p["title"], p["employer_name"], p["district"] or "盟外", p["wage"],
                  f"{p['places_left']}/{p['places']}", p["state_label"], p["flag_summary"] or "")
    out.print(t)


@market_app.command("import")
def import_cmd(path: Path = typer.Argument(..., help="岗位文件：.csv（UTF-8 或 GBK）或 .xlsx，中文表头"),
               draft: bool = typer.Option(False, "--draft", help="只保存为草稿，不提交审核"), as_: Optional[str] = AS) -> None:
    """批量导入岗位（单位账号）：每一行导入或拒绝，拒绝的写明行号、字段和原因。"""
    from jiuye.market import importing

    with _session() as s:
        me = _actor(s, as_)
        rep = _run(lambda: importing.import_file(s, me, path, submit=not draft)).as_dict()
    out.print(f"导入 {rep['accepted']} 个岗位；{rep['rejected']} 处问题。")
    for r in rep["rejected_rows"]:
        out.print(f"  {r['message']}")
    if rep["ignored_columns"]:
        out.print(f"未识别的列（已忽略）：{'、'.join(rep['ignored_columns'])}")
    if rep["rejected"]:
        raise typer.Exit(1)


@market_app.command("export")
def export_cmd(path: Path = typer.Argument(..., help="写到哪里：.csv 或 .xlsx"),
               state: Optional[str] = typer.Option(None, "--state", help="只导出这个状态的岗位"), as_: Optional[str] = AS) -> None:
    """导出岗位（与导入相同的中文表头）。"""
    from jiuye.market import importing

    if path.suffix.lower() not in (".csv", ".xlsx"):
        _fail(ValueError("导出文件应以 .csv 或 .xlsx 结尾"))
    with _session() as s:
        me = _actor(s, as_)
        _run(lambda: importing.export_file(s, me, path, state=state))
    out.print(f"已导出到 {path}")


@market_app.command("review")
def review_cmd(posting_id: int = typer.Argument(..., help="岗位编号"),
               decision: str = typer.Option(..., "--decision", help="approve 通过并公开；return 退回修改"),
               note: Optional[str] = typer.Option(None, "--note", help="审核意见（退回必填；有提示而通过须写明理由）"),
               as_: Optional[str] = AS) -> None:
    """审核一个待审核的岗位（旗县市中心；盟中心全盟）。"""
    from jiuye.market import postings

    with _session() as s:
        me = _actor(s, as_)
        p = _run(lambda: postings.review_post(s, me, posting_id, decision, note))
        out.print(f"岗位 {p.id}「{p.title}」：{postings.STATE_LABELS[p.state]}")


@market_app.command("seekers")
def seekers_cmd(state: Optional[str] = typer.Option(None, "--state", help="状态：active 登记中、expired 已过期、closed 已关闭"),
                as_: Optional[str] = AS) -> None:
    """列出求职登记（工作人员：本旗县市；姓名、身份证号、电话已脱敏）。"""
    from jiuye.market import seekers

    with _session() as s:
        me = _actor(s, as_)
        rows = _run(lambda: [seekers.view(sk) for sk in seekers.list_for(s, me, state=state)])
    t = Table(title=f"求职登记（{len(rows)}）")
    for col in ("编号", "求职者", "身份证号", "想做", "愿去", "期望工资", "状态"):
        t.add_column(col)
    for r in rows:
        t.add_row(str(r["id"]), r["name"], r["id_number"] or "", "、".join(r["desired_titles"]),
                  "、".join(r["districts"]) or "不限", r["expected_wage_text"], r["state_label"])
    out.print(t)


@market_app.command("register")
def register_cmd(titles: str = typer.Option(..., "--titles", help="想做的工作，用顿号或逗号隔开，如 电焊工、钳工"),
                 districts: Optional[str] = typer.Option(None, "--districts", help="愿意工作的旗县市，用顿号隔开"),
                 wage: Optional[float] = typer.Option(None, "--wage", help="期望月工资（元）"),
                 id_number: Optional[str] = typer.Option(None, "--id-number", help="窗口登记：求职者身份证号"),
                 name: Optional[str] = typer.Option(None, "--name", help="窗口登记：求职者姓名"),
                 phone: Optional[str] = typer.Option(None, "--phone", help="接收通知的手机号"),
                 as_: Optional[str] = AS) -> None:
    """求职登记：个人账号登记本人；工作人员窗口登记（须填身份证号和姓名）。"""
    import re

    from jiuye.market import seekers

    data = {"desired_titles": [x for x in re.split(r"[、，,\s]+", titles) if x],
            "districts": [x for x in re.split(r"[、，,\s]+", districts or "") if x]}
    if wage is not None:
        data["expected_wage"] = wage
    with _session() as s:
        me = _actor(s, as_)
        sk = _run(lambda: seekers.register(s, me, data, id_number=id_number, name=name, phone=phone))
        v = seekers.view(sk)
    out.print(f"求职登记 {v['id']}：{v['name']}（{v['id_number']}），{v['district']}受理，有效期至 {v['expires_on']}")


@market_app.command("stats")
def stats_cmd(start: Optional[str] = typer.Option(None, "--start", help="开始日期 YYYY-MM-DD"),
              end: Optional[str] = typer.Option(None, "--end", help="结束日期 YYYY-MM-DD"),
              out_path: Optional[Path] = typer.Option(None, "--out", help="导出到文件（.csv 或 .xlsx）"),
              as_: Optional[str] = AS) -> None:
    """供求统计（经办人员）：求职登记、岗位、录用、岗位满足率、招满用时、单位答复率。"""
    from jiuye.market import stats

    a, b = _date(start, "--start"), _date(end, "--end")
    with _session() as s:
        me = _actor(s, as_)
        d = _run(lambda: stats.compute(s, me, start=a, end=b))
    if out_path is not None:
        if out_path.suffix.lower() not in (".csv", ".xlsx"):
            _fail(ValueError("导出文件应以 .csv 或 .xlsx 结尾"))
        stats.export(d, out_path)
        out.print(f"已导出到 {out_path}")
    t = Table(title=f"供求统计：{d['scope']}")
    t.add_column("统计项")
    t.add_column("数值", justify="right")
    for k, v in d["totals"].items():
        t.add_row(stats.TOTAL_LABELS[k], "—" if v is None else str(v))
    out.print(t)


@market_app.command("housekeeping")
def housekeeping_cmd() -> None:
    """立即执行定时任务：提醒即将到期的求职登记、使过期的登记和岗位到期并通知（队列每小时自动执行）。"""
    from jiuye.market import postings, seekers

    with _session() as s:
        res = seekers.remind_and_expire(s)
        res["postings_expired"] = postings.expire_due(s)
    out.print(f"提醒 {res['reminded']} 条求职登记，过期 {res['expired']} 条；到期岗位 {res['postings_expired']} 个。")


@market_app.command("dispatch")
def dispatch_cmd() -> None:
    """立即发送待发的短信（队列每分钟自动发送；未配置短信平台时写入日志，号码脱敏）。"""
    from jiuye.market import notify

    with _session() as s:
        try:
            counts = notify.dispatch(s)
        except notify.SenderConfigError as exc:
            _fail(exc)
    out.print(f"已发送 {counts['sent']} 条，未发送 {counts['skipped']} 条（退订或超过每日上限），失败 {counts['failed']} 条，"
              f"待重试 {counts['retry']} 条。")

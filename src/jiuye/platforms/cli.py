"""`jiuye dagong …`: 兴安打工直通车 from the command line, over the same services as the pages and the API.
Commands that act as a user take `--as` (or $JIUYE_USER) and the password from $JIUYE_PASSWORD or a
prompt, so the access rules hold here too. Names and phones are masked in every list. Errors a user
can fix print a Chinese message and exit with code 2."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, out
from jiuye.cases.acting import actor as _actor, fail as _fail, session as _session, run_service as _run, print_json as _json

dagong_app = typer.Typer(help="兴安打工直通车：工作站名录、报名、24小时跟进、推荐上岗、在岗回访、报表", no_args_is_help=True,
                         add_completion=False)
stations_app = typer.Typer(help="工作站名录", no_args_is_help=True, add_completion=False)
dagong_app.add_typer(stations_app, name="stations")


def register(app: typer.Typer) -> None:
    app.add_typer(dagong_app, name="dagong")


@dagong_app.command("about")
def about_cmd() -> None:
    """服务承诺与依据：24 小时内联系（原文）、是否按工作时间计、30 天在岗回访、工作站数量。"""
    from jiuye.platforms import stations
    from jiuye.platforms.settings import dagong, follow_up_basis

    d = stations.declared()
    out.print(f"联系时限：{follow_up_basis()}")
    out.print(f"在岗回访：上岗后 {dagong().retention_visit.days} 天。{dagong().retention_visit.source}")
    out.print(f"工作站：资料称全盟 {d['count']} 个（{d['sources'][0]}）。{d['note']}")


@dagong_app.command("demo")
def demo_cmd() -> None:
    """加载打工直通车演示数据（需先有演示账号和演示岗位：jiuye demo-data、jiuye market demo）。"""
    from jiuye.platforms.demo import load_demo_platforms

    with _session() as s:
        res = load_demo_platforms(s)
    out.print(f"已加载：{res['stations']} 个工作站、站长账号 " + "、".join(a["username"] for a in res["accounts"])
              if res["loaded"] else res["reason"])


@stations_app.command("sync")
def stations_sync_cmd(demo: bool = typer.Option(False, "--demo", help="也载入标为演示的虚构工作站（只用于演示库）")) -> None:
    """从 data/platforms/stations.yaml 载入数据库中还没有的工作站（按编号；不覆盖工作台中的修改）。"""
    from jiuye.platforms import stations

    with _session() as s:
        res = stations.sync_from_file(s, include_demo=demo)
    out.print(f"新载入 {res['added']} 个工作站（文件中共 {res['in_file']} 个；未载入演示工作站 {res['skipped_demo']} 个）。")


@stations_app.command("list")
def stations_list_cmd(as_: Optional[str] = AS, as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出工作站（本人范围内），与资料所称数量对照。"""
    from jiuye.platforms import stations

    with _session() as s:
        me = _actor(s, as_)
        rows = [stations.view(x) for x in stations.list_for(s, me)]
        declared = stations.declared()
    if as_json:
        _json({"declared": declared, "stations": rows})
        return
    t = Table(title=f"工作站（名录 {len(rows)} 个；资料称全盟 {declared['count']} 个）")
    for col in ("编号", "名称", "旗县市", "苏木镇/嘎查", "站长", "电话", "状态"):
        t.add_column(col)
    for x in rows:
        t.add_row(x["code"], x["name"] + ("（演示）" if x["demo"] and "演示" not in x["name"] else ""), x["district"],
                  f"{x['town'] or ''} {x['village'] or ''}".strip(), x["master_name"], x["phone"] or "", x["state_label"])
    out.print(t)


@dagong_app.command("signup")
def signup_cmd(post: int = typer.Option(..., "--post", help="岗位编号"), name: str = typer.Option(..., "--name", help="姓名"),
               phone: str = typer.Option(..., "--phone", help="电话"),
               station: Optional[str] = typer.Option(None, "--station", help="工作站编号（在工作站报名时）"),
               as_: Optional[str] = typer.Option(None, "--as", help="站长或工作人员代报名时的用户名（不填为本人报名）")) -> None:
    """报名：选岗位，留下姓名和电话，开始 24 小时跟进计时。"""
    from jiuye.platforms import signups

    with _session() as s:
        me = _actor(s, as_) if as_ else None
        su, created = _run(lambda: signups.create(s, me, posting_id=post, name=name, phone=phone, station_code=station))
        v = signups.view(su)
    out.print(("已报名" if created else "已报过这个岗位") + f"（编号 {v['id']}）：{v['posting_title']}，{v['name']} {v['phone']}；"
              f"请在 {v['due_text']}（北京时间）前联系。")


@dagong_app.command("queue")
def queue_cmd(tab: str = typer.Option("contact", "--tab", help="contact 待联系、open 跟进中、visit 待回访、done 已结束、all 全部"),
              as_: Optional[str] = AS, as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """报名队列：待联系的按剩余时间排（超时的在前）。"""
    from jiuye.platforms import signups

    with _session() as s:
        me = _actor(s, as_)
        total, rows = _run(lambda: signups.queue(s, me, tab=tab, limit=500))
        views = [signups.view(r) for r in rows]
    if as_json:
        _json({"total": total, "signups": views})
        return
    t = Table(title=f"报名（{total}）")
    for col in ("编号", "报名时间", "姓名", "电话", "岗位", "工作站", "状态", "时限", "联系次数"):
        t.add_column(col)
    for v in views:
        limit = v["time_left"] or ("按时联系" if v["contacted_in_time"] else "超时" if v["contacted_in_time"] is False else "")
        t.add_row(str(v["id"]), v["created_text"], v["name"], v["phone"], v["posting_title"], v["station_name"],
                  v["state_label"], limit + ("（已转交中心）" if v["escalated"] else ""), str(v["attempts"]))
    out.print(t)


@dagong_app.command("contact")
def contact_cmd(signup_id: int = typer.Argument(..., help="报名编号"),
                result: str = typer.Option(..., "--result", help="reached 已接通、no_answer 无人接听、busy 占线、switched_off 关机、"
                                                                 "wrong_number 号码有误、callback 稍后回电"),
                channel: str = typer.Option("phone", "--channel", help="phone 电话、sms 短信、wechat 微信、visit 上门"),
                note: Optional[str] = typer.Option(None, "--note", help="记录"), as_: Optional[str] = AS) -> None:
    """记录一次联系；第一次「已接通」停止计时。"""
    from jiuye.platforms import followup, signups

    with _session() as s:
        me = _actor(s, as_)
        _run(lambda: followup.contact(s, me, signup_id, result=result, channel=channel, note=note))
        out.print(f"已记录。状态：{signups.view(signups.load(s, me, signup_id))['state_label']}")


@dagong_app.command("identify")
def identify_cmd(signup_id: int = typer.Argument(..., help="报名编号"), id_number: str = typer.Option(..., "--id-number", help="身份证号"),
                 as_: Optional[str] = AS) -> None:
    """记录身份证号（校验 GB 11643；不在任何列表中显示全号）。"""
    from jiuye.platforms import followup

    with _session() as s:
        me = _actor(s, as_)
        _run(lambda: followup.identify(s, me, signup_id, id_number))
    out.print("已记录身份证号。")


@dagong_app.command("recommend")
def recommend_cmd(signup_id: int = typer.Argument(..., help="报名编号"),
                  post: Optional[int] = typer.Option(None, "--post", help="推荐到的岗位（默认报名的岗位）"),
                  note: Optional[str] = typer.Option(None, "--note", help="推荐说明"), as_: Optional[str] = AS) -> None:
    """已推荐；有身份证号时同时办理求职登记并推荐给用人单位。"""
    from jiuye.platforms import followup

    with _session() as s:
        me = _actor(s, as_)
        _su, warning = _run(lambda: followup.recommend(s, me, signup_id, posting_id=post, note=note))
    out.print("已推荐。" + (warning or "已同时推荐给用人单位。"))


@dagong_app.command("depart")
def depart_cmd(signup_id: int = typer.Argument(..., help="报名编号"), as_: Optional[str] = AS) -> None:
    """已出发。"""
    from jiuye.platforms import followup

    with _session() as s:
        me = _actor(s, as_)
        _run(lambda: followup.depart(s, me, signup_id))
    out.print("已记录出发。")


@dagong_app.command("start")
def start_cmd(signup_id: int = typer.Argument(..., help="报名编号"), on: str = typer.Option(..., "--on", help="上岗日期 YYYY-MM-DD"),
              as_: Optional[str] = AS) -> None:
    """已上岗；30 天后回访。"""
    from jiuye.platforms import followup

    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        _fail(ValueError(f"上岗日期「{on}」应为 YYYY-MM-DD"))
    with _session() as s:
        me = _actor(s, as_)
        su = _run(lambda: followup.start(s, me, signup_id, started_on=day))
        out.print(f"已记录上岗，{su.followup_due_on.isoformat()} 起回访。")


@dagong_app.command("visit")
def visit_cmd(signup_id: int = typer.Argument(..., help="报名编号"),
              working: bool = typer.Option(..., "--working/--left", help="--working 仍在岗；--left 已不在岗"),
              note: Optional[str] = typer.Option(None, "--note", help="回访记录"), as_: Optional[str] = AS) -> None:
    """30 天在岗回访。"""
    from jiuye.platforms import followup

    with _session() as s:
        me = _actor(s, as_)
        _run(lambda: followup.visit(s, me, signup_id, still_working=working, note=note))
    out.print("已记录回访。")


@dagong_app.command("close")
def close_cmd(signup_id: int = typer.Argument(..., help="报名编号"),
              reason: str = typer.Option(..., "--reason", help="not_reachable 联系不上、declined 不再需要、not_suitable 不合适、"
                                                               "not_hired 未录用、left_job 已离岗、duplicate 重复、other 其他"),
              note: Optional[str] = typer.Option(None, "--note", help="说明（other 必填）"), as_: Optional[str] = AS) -> None:
    """结束报名。"""
    from jiuye.platforms import followup

    with _session() as s:
        me = _actor(s, as_)
        _run(lambda: followup.close(s, me, signup_id, reason=reason, note=note))
    out.print("报名已结束。")


@dagong_app.command("tables")
def tables_cmd(as_: Optional[str] = AS, start: Optional[str] = typer.Option(None, "--start", help="报名日期从（YYYY-MM-DD）"),
               end: Optional[str] = typer.Option(None, "--end", help="报名日期到（YYYY-MM-DD）"),
               out_path: Optional[Path] = typer.Option(None, "--out", help="导出到 .csv 或 .xlsx 文件"),
               as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """工作站和旗县市报表：报名、24小时内联系率、上岗、30天仍在岗。"""
    from jiuye.platforms import tables

    def day(v, what):
        try:
            return dt.date.fromisoformat(v) if v else None
        except ValueError:
            _fail(ValueError(f"{what}「{v}」应为 YYYY-MM-DD"))

    if out_path is not None and out_path.suffix.lower() not in (".csv", ".xlsx"):
        _fail(ValueError("导出文件应为 .csv 或 .xlsx"))
    with _session() as s:
        me = _actor(s, as_)
        d = _run(lambda: tables.compute(s, me, start=day(start, "开始日期"), end=day(end, "结束日期")))
    if out_path is not None:
        tables.export(d, out_path)
        out.print(f"已导出：{out_path}")
        return
    if as_json:
        _json(d)
        return
    header, rows = tables.long_rows(d)
    t = Table(title=f"打工直通车报表 · {d['scope']}（截至 {d['as_of']}）")
    for col in header:
        t.add_column(col)
    for r in rows:
        t.add_row(*r)
    out.print(t)


@dagong_app.command("escalate")
def escalate_cmd() -> None:
    """立即执行定时任务：超过 24 小时未联系上的报名转交旗县市中心，并提醒到期的在岗回访。"""
    from jiuye.platforms import tasks

    res = {**tasks.escalate(), **tasks.visits()}
    if not res:
        out.print("数据库尚未初始化（jiuye db upgrade），未执行。")
        return
    out.print(f"转交 {res['escalated']} 条；回访提醒 {res['visit_reminders']} 条。")

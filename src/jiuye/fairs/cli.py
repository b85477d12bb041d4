"""`jiuye fairs …`: 招聘会 and 直播带岗 from the command line, over the same services as the pages and the
API. Commands that act as a user take `--as` (or $JIUYE_USER) and the password from $JIUYE_PASSWORD or a
prompt, so the access rules hold here too. Errors a user can fix print a Chinese message and exit 2."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, actor as _actor, session as _session, out, run_service as _run

fairs_app = typer.Typer(help="招聘会与直播带岗：排期、展位、入场签到、意向回访、报告", no_args_is_help=True,
                        add_completion=False)


def register(app: typer.Typer) -> None:
    app.add_typer(fairs_app, name="fairs")


@fairs_app.command("about")
def about_cmd() -> None:
    """每周现场招聘会、直播带岗的时间地点与出处，用人单位参会材料。"""
    from jiuye.fairs.settings import cite, fairs as settings

    cfg = settings()
    w, ls = cfg.weekly, cfg.livestream
    out.print(f"现场招聘会：{w.place}，每周五 {w.start:%H:%M}–{w.end:%H:%M}，提供岗位 {w.posts_min}-{w.posts_max} 个。依据：{cite(w.sources[0])}")
    out.print(f"展位数：{w.booths}（{w.booths_source}）")
    out.print(f"直播带岗：每周五 {ls.start:%H:%M}–{ls.end:%H:%M}，{'、'.join(ls.platforms)}。依据：{cite(ls.sources[0])}")
    out.print("用人单位材料：" + "、".join(m.name for m in cfg.employer_materials) + f"。依据：{cite(cfg.employer_materials_source)}")


@fairs_app.command("schedule")
def schedule_cmd(weeks: Optional[int] = typer.Option(None, "--weeks", min=1, max=52, help="排几周（默认取数据文件）")) -> None:
    """排出今后几周的每周现场招聘会和直播带岗（已有的不重复）。"""
    from jiuye.fairs.fairs import ensure_schedule

    with _session() as s:
        made = ensure_schedule(s, weeks=weeks)
    out.print(f"新排现场招聘会 {made['onsite']} 场、直播带岗 {made['stream']} 期。")


@fairs_app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """今后的招聘会和直播带岗。"""
    from jiuye.fairs import fairs

    with _session() as s:
        rows = [fairs.view(f, s=s) for f in fairs.upcoming(s, limit=60)]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    t = Table("编号", "时间", "名称", "类型", "地点或平台", "展位", "预约")
    for r in rows:
        t.add_row(str(r["id"]), r["when"], r["name"], r["kind_label"], r["place"] or r["platform"] or "",
                  f"{r['approved']}/{r['booths']}" if r["kind"] != "stream" else "", str(r["visitors"]))
    out.print(t)


@fairs_app.command("check-in")
def check_in_cmd(fair_id: int = typer.Argument(..., help="招聘会编号"), code: str = typer.Argument(..., help="签到码"),
                 as_user: Optional[str] = AS) -> None:
    """入场签到（现场经办人员）。"""
    from jiuye.fairs import visitors

    with _session() as s:
        me = _actor(s, as_user)
        v, first = _run(lambda: visitors.check_in(s, me, fair_id, code))
    out.print(f"{'签到成功' if first else '已签到过'}：{visitors.view(v)['name']}")


@fairs_app.command("report")
def report_cmd(fair_id: int = typer.Argument(..., help="招聘会编号"), as_user: Optional[str] = AS,
               csv: bool = typer.Option(False, "--csv", help="输出 CSV（含展位表）")) -> None:
    """招聘会报告：参会单位、岗位、求职者、签到、意向、回访、录用、30 天在岗。"""
    from jiuye.fairs import report

    with _session() as s:
        me = _actor(s, as_user)
        if csv:
            sys.stdout.write(_run(lambda: report.csv_text(s, me, fair_id)).lstrip("\ufeff"))
            return
        r = _run(lambda: report.compute(s, me, fair_id))
    t = Table("项目", "数值")
    for label, key in (("参会单位", "employers"), ("候补", "waiting"), ("岗位", "posts"), ("预约", "visitors"),
                       ("签到", "checked_in"), ("意向", "intentions"), ("已回访", "followed_up"), ("按时回访", "in_time"),
                       ("录用", "hired"), ("30 天在岗", "working_30")):
        t.add_row(label, str(r[key]))
    out.print(t)


@fairs_app.command("followups")
def followups_cmd() -> None:
    """立即运行一次意向回访的定时任务（通常由任务队列每 5 分钟运行）。"""
    from jiuye.fairs.tasks import run_followups

    with _session() as s:
        res = run_followups(s)
    out.print(f"生成回访任务 {res['opened']} 条，超时 {res['overdue']} 条，30 天在岗回访提醒 {res['checks']} 条。")


@fairs_app.command("demo")
def demo_cmd() -> None:
    """加载招聘会演示数据（需先有演示账号和演示岗位：jiuye demo-data、jiuye market demo）。"""
    from jiuye.fairs.demo import load_demo_fairs

    with _session() as s:
        res = load_demo_fairs(s)
    out.print("已加载招聘会演示数据。" if res["loaded"] else res["reason"])

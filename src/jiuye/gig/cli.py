"""`jiuye gig …`: 零工市场 from the command line, over the same services as the pages and the API.
Commands that act as a user take `--as` (or $JIUYE_USER) and the password from $JIUYE_PASSWORD or a
prompt, so the access rules hold here too. Errors a user can fix print a Chinese message and exit 2."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from jiuye.cases.acting import AS, actor as _actor, session as _session, out, run_service as _run, print_json as _json

gig_app = typer.Typer(help="零工市场：发布接活和零工、按地点和工种撮合、确认上工和结清、欠薪报告、各旗县市统计",
                      no_args_is_help=True, add_completion=False)


def register(app: typer.Typer) -> None:
    app.add_typer(gig_app, name="gig")


@gig_app.command("phones")
def phones_cmd() -> None:
    """各旗县市零工市场咨询电话（003 表照印，行名错位的推定需盟中心核实）。"""
    from jiuye.gig.settings import phone_lines

    d = phone_lines()
    for x in d["districts"]:
        usable = "、".join(p["phone"] for p in x["usable"]) or "—"
        inferred = "、".join(f"{p['phone']}（推定，需核实）" for p in x["inferred"])
        warn = "；".join(p["warning"] for p in x["printed"] if p["warning"])
        out.print(f"{x['district']}：{usable}" + (f"；{inferred}" if inferred else "") + (f"。注意：{warn}" if warn else ""),
                  soft_wrap=True)
    for o in d["outside"]:
        out.print(f"资料错误：原表印「{o['quote']}」，兴安盟没有科右后旗。{o['inference']}", soft_wrap=True)


@gig_app.command("demo")
def demo_cmd() -> None:
    """加载零工市场演示数据（需先有演示账号：jiuye demo-data）。"""
    from jiuye.gig.demo import load_demo_gig

    with _session() as s:
        res = _run(lambda: load_demo_gig(s))
    out.print("已加载零工市场演示数据" if res["loaded"] else res["reason"])


@gig_app.command("jobs")
def jobs_cmd(district: Optional[str] = typer.Option(None, "--district", help="旗县市"),
             occupation: Optional[str] = typer.Option(None, "--occupation", help="工种，口语即可"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """正在招人的零工，最新的在前（不含电话）。"""
    from jiuye.gig import posts

    with _session() as s:
        rows = _run(lambda: [posts.job_view(s, j, full=False) for j in posts.board(s, district=district, occupation=occupation)])
    if as_json:
        return _json(rows)
    for j in rows:
        out.print(f"{j['id']}  {j['title']}（{j['occupation']}）{j['pay']}，要 {j['people_needed']} 人，"
                  f"{j['district']}{j['town'] or ''}，{j['start_on']} 起 {j['days']} 天", soft_wrap=True)
    if not rows:
        out.print("现在没有招人的零工。")


@gig_app.command("post-worker")
def post_worker_cmd(occupation: str = typer.Option(..., "--occupation", help="能干什么活"),
                    district: str = typer.Option(..., "--district", help="旗县市"),
                    town: Optional[str] = typer.Option(None, "--town", help="苏木镇/街道"),
                    start: str = typer.Option(..., "--from", help="哪天起有空（YYYY-MM-DD）"),
                    end: Optional[str] = typer.Option(None, "--to", help="到哪天"),
                    rate: str = typer.Option(..., "--rate", help="期望每天工钱（元）"),
                    phone: Optional[str] = typer.Option(None, "--phone", help="电话（默认账号的电话）"),
                    as_user: Optional[str] = AS) -> None:
    """发布我能干的活（个人账号）。"""
    from jiuye.gig import posts

    with _session() as s:
        me = _actor(s, as_user)
        w = _run(lambda: posts.post_availability(s, me, {"occupation": occupation, "district": district, "town": town,
                                                         "available_from": start, "available_to": end,
                                                         "daily_rate": rate, "phone": phone}))
        out.print(f"已发布接活信息 {w.id}：{w.occupation_text}，{w.district}{w.town or ''}")


@gig_app.command("post-job")
def post_job_cmd(title: str = typer.Option(..., "--title", help="干什么活"),
                 district: str = typer.Option(..., "--district", help="旗县市"),
                 start: str = typer.Option(..., "--start", help="开始日期（YYYY-MM-DD）"),
                 pay: str = typer.Option(..., "--pay", help="工钱（元）"),
                 end: Optional[str] = typer.Option(None, "--end", help="结束日期"),
                 occupation: Optional[str] = typer.Option(None, "--occupation", help="工种（默认按活认）"),
                 town: Optional[str] = typer.Option(None, "--town", help="苏木镇/街道"),
                 piece_unit: Optional[str] = typer.Option(None, "--piece-unit", help="按件时的单位；给了就按件计"),
                 people: int = typer.Option(1, "--people", help="要几个人"),
                 phone: Optional[str] = typer.Option(None, "--phone", help="电话（默认账号的电话）"),
                 as_user: Optional[str] = AS) -> None:
    """发布零工（单位或个人账号）。"""
    from jiuye.gig import posts

    with _session() as s:
        me = _actor(s, as_user)
        j = _run(lambda: posts.post_job(s, me, {"title": title, "occupation": occupation, "district": district, "town": town,
                                                "start_on": start, "end_on": end, "pay": pay, "people_needed": str(people),
                                                "pay_type": "piece" if piece_unit else "day", "piece_unit": piece_unit,
                                                "phone": phone}))
        out.print(f"已发布零工 {j.id}：{j.title}")


@gig_app.command("suggest")
def suggest_cmd(worker_id: int = typer.Argument(..., help="接活信息编号"), as_user: Optional[str] = AS) -> None:
    """适合这条接活信息的零工，最新的在前，附理由。"""
    from jiuye.gig import matching, posts

    with _session() as s:
        me = _actor(s, as_user)
        w = _run(lambda: posts.load_worker(s, me, worker_id))
        for j, reasons in matching.jobs_for(s, w):
            out.print(f"{j.id}  {j.title}：" + "；".join(reasons), soft_wrap=True)


@gig_app.command("apply")
def apply_cmd(job_id: int = typer.Argument(..., help="零工编号"), as_user: Optional[str] = AS) -> None:
    """报名这条零工。"""
    from jiuye.gig import matches

    with _session() as s:
        me = _actor(s, as_user)
        m = _run(lambda: matches.apply(s, me, job_id))
        out.print(f"已报名（撮合 {m.id}），等雇主接受。")


@gig_app.command("act")
def act_cmd(match_id: int = typer.Argument(..., help="撮合编号"),
            action: str = typer.Argument(..., help="accept 接受、decline 谢绝、worked 确认上工、paid 确认结清、unpaid 没拿到工钱"),
            days: Optional[int] = typer.Option(None, "--days", help="上工天数"),
            note: Optional[str] = typer.Option(None, "--note", help="说明"), as_user: Optional[str] = AS) -> None:
    """办理一次撮合：接受、谢绝、确认上工、确认结清、报告没拿到工钱。"""
    from jiuye.gig import matches

    with _session() as s:
        me = _actor(s, as_user)
        m = _run(lambda: matches.act(s, me, match_id, action, days=days, note=note))
        v = matches.view(s, me, m)
        out.print(f"撮合 {m.id}：{v['state_label']}")
        phone = v.get("worker_phone") or v.get("poster_phone")
        if phone:
            out.print(f"对方电话：{phone}")


@gig_app.command("stats")
def stats_cmd(csv_path: Optional[Path] = typer.Option(None, "--csv", help="导出为 CSV 文件"), as_user: Optional[str] = AS) -> None:
    """各旗县市：招满用时中位数、确认结清比例、欠薪报告（经办人员，按辖区）。"""
    from jiuye.gig import access, stats

    with _session() as s:
        me = _actor(s, as_user)
        a = access.actor_for(me)
        _run(lambda: access.require(access.stats(a)))
        rows = stats.table(s, access.scope(a))
    if csv_path:
        csv_path.write_bytes(stats.to_csv(rows))
        out.print(f"已导出：{csv_path}")
        return
    for r in map(stats.shown, rows):
        out.print("  ".join(f"{label}：{r[k]}" for k, label in stats.COLUMNS), soft_wrap=True)


@gig_app.command("arrears-sweep")
def sweep_cmd() -> None:
    """补建未建成的欠薪报告案件，超时未办的提醒盟中心（任务队列每10分钟也会做）。"""
    from jiuye.gig import arrears

    with _session() as s:
        res = arrears.sweep(s)
    out.print(f"补建案件 {res['opened']} 件，已办结 {res['handled']} 件，督办 {res['escalated']} 件。")

"""`jiuye startup …`: 创业项目库 and 孵化基地 admission from the command line, over the same services as the
pages and the API. Commands that act as a user take `--as` (or $JIUYE_USER) and the password from
$JIUYE_PASSWORD or a prompt, so the access rules hold here too; contacts are masked in lists. Errors a
user can fix print a Chinese message and exit with code 2."""
from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, out
from jiuye.cases.acting import actor as _actor, fail as _fail, session as _session, run_service as _run, print_json as _json

startup_app = typer.Typer(help="创业服务：创业项目库（提交、审核、浏览、意向跟进）、孵化基地入驻（申请、评审、决定、入驻统计）",
                          no_args_is_help=True, add_completion=False)


def register(app: typer.Typer) -> None:
    app.add_typer(startup_app, name="startup")


@startup_app.command("demo")
def demo_cmd() -> None:
    """加载创业服务演示数据（需先有演示账号：jiuye demo-data）。"""
    from jiuye.startup.demo import load_demo_startup

    with _session() as s:
        res = load_demo_startup(s)
    out.print(f"已加载：{res['projects']} 个创业项目、{res['applications']} 份入驻申请" if res["loaded"] else res["reason"])


@startup_app.command("projects")
def projects_cmd(sector: Optional[str] = typer.Option(None, "--sector", help="项目类别（键，见 jiuye startup about）"),
                 district: Optional[str] = typer.Option(None, "--district", help="旗县市"),
                 max_investment: Optional[int] = typer.Option(None, "--max-investment", min=0, help="投资不超过（元）"),
                 as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """已发布的创业项目（联系人脱敏）。"""
    from jiuye.startup import projects

    with _session() as s:
        total, rows = _run(lambda: projects.browse(s, sector=sector, district=district, max_investment=max_investment,
                                                   limit=100))
        views = [projects.view(p) for p in rows]
    if as_json:
        _json({"total": total, "projects": views})
        return
    t = Table("编号", "项目", "合作方式", "类别", "旗县市", "投资（元）", "联系人", title=f"创业项目库：共 {total} 个")
    for v in views:
        t.add_row(str(v["id"]), v["title"], v["mode_label"], v["sector_label"], v["district"], f"{v['investment_yuan']:,}",
                  f"{v['contact_name']} {v['contact_phone']}")
    out.print(t)


@startup_app.command("about")
def about_cmd() -> None:
    """合作方式、项目类别、入库优惠（原文）和孵化期限（原文）。"""
    from jiuye.startup.settings import startup

    cfg = startup()
    out.print("合作方式：" + "、".join(f"{v}（{k}）" for k, v in cfg.modes.items()))
    out.print("项目类别：" + "、".join(f"{v}（{k}）" for k, v in cfg.sectors.items()))
    out.print("入库优惠：" + "；".join(a.text for a in cfg.advantages))
    out.print(f"孵化期限：一般不超过 {cfg.incubation.period_years} 年（{cfg.incubation.period_source[0].quote}）")
    out.print(f"入驻评审：{cfg.incubation.review.source}")


@startup_app.command("review-project")
def review_project_cmd(project_id: int = typer.Argument(..., help="项目编号"),
                       publish: bool = typer.Option(False, "--publish", help="发布"),
                       reason: Optional[str] = typer.Option(None, "--return", help="退回修改，并写明原因"),
                       as_user: Optional[str] = AS) -> None:
    """审核项目：--publish 发布，或 --return 原因 退回修改。"""
    from jiuye.startup import projects

    if publish == bool(reason):
        _fail(ValueError("请二选一：--publish 发布，或 --return 原因 退回修改"))
    with _session() as s:
        me = _actor(s, as_user)
        p = _run(lambda: projects.review(s, me, project_id, publish=publish, reason=reason))
        out.print(f"项目「{p.title}」：{projects.STATE_LABELS[p.state]}")


@startup_app.command("bases")
def bases_cmd(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """全盟重点创业园孵化基地目录，和按入驻记录统计的在孵、毕业、按期退出、带动就业。"""
    from jiuye.startup import incubation
    from jiuye.startup.settings import startup

    with _session() as s:
        rows = [(b, incubation.figures(s, b.id)) for b in startup().bases]
    if as_json:
        _json([{**b.model_dump(), "figures": f} for b, f in rows])
        return
    t = Table("基地", "旗县市", "类别", "电话", "在孵", "累计入驻", "毕业", "按期退出", "带动就业", title="孵化基地（数字由入驻记录统计）")
    for b, f in rows:
        t.add_row(b.name, b.district, b.category, b.phone, str(f["tenants_now"]), str(f["tenancies_total"]),
                  str(f["graduates"]), f"{f['on_time_exits']}/{f['exits']}", str(f["jobs_created"]))
    out.print(t)


@startup_app.command("applications")
def applications_cmd(as_user: Optional[str] = AS) -> None:
    """待办的入驻申请（本中心的、指派给本人评审的；申请人：本人的）。申请人姓名脱敏。"""
    from jiuye.startup import incubation

    with _session() as s:
        me = _actor(s, as_user)
        rows = incubation.mine(s, me) if me.role == "applicant" else incubation.queue(s, me)
        views = [incubation.view(s, me, a) for a in rows]
    t = Table("编号", "基地", "创业实体", "申请人", "状态", title="入驻申请")
    for v in views:
        t.add_row(str(v["id"]), v["base_name"], v["business_name"], v["founder"], v["state_label"])
    out.print(t)


@startup_app.command("declare")
def declare_cmd(app_id: int = typer.Argument(..., help="申请编号"),
                conflict: bool = typer.Option(..., "--conflict/--no-conflict", help="是否存在利益冲突"),
                note: Optional[str] = typer.Option(None, "--note", help="存在冲突时说明"),
                as_user: Optional[str] = AS) -> None:
    """评审声明利益冲突（评分前必须声明；有冲突不能评分）。"""
    from jiuye.startup import incubation

    with _session() as s:
        me = _actor(s, as_user)
        _run(lambda: incubation.declare(s, me, app_id, conflict=conflict, note=note))
    out.print("已声明：存在利益冲突，不参与评分" if conflict else "已声明：无利益冲突，可以评分")


@startup_app.command("score")
def score_cmd(app_id: int = typer.Argument(..., help="申请编号"), score: int = typer.Option(..., "--score", help="评分"),
              comment: str = typer.Option(..., "--comment", help="评审意见"), as_user: Optional[str] = AS) -> None:
    """评审评分。"""
    from jiuye.startup import incubation

    with _session() as s:
        me = _actor(s, as_user)
        _run(lambda: incubation.score(s, me, app_id, value=score, comment=comment))
    out.print(f"已评分：{score} 分")

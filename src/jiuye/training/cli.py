"""`jiuye training …`: courses, providers, vouchers, completion and the provider table from the command
line, over the same services as the pages and the API. Commands that act as a user take `--as` (or
$JIUYE_USER) and the password from $JIUYE_PASSWORD or a prompt, so the access rules hold here too.
Names, phones and 身份证号 are masked in lists. Errors a user can fix print a Chinese message and exit 2."""
from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, actor as _actor, session as _session, out, run_service as _run, print_json as _json

training_app = typer.Typer(help="职业培训与创业培训：课程、培训机构、报名、签到、结业与补贴自动建案、职业培训券、统计",
                           no_args_is_help=True, add_completion=False)


def register(app: typer.Typer) -> None:
    app.add_typer(training_app, name="training")


@training_app.command("about")
def about_cmd() -> None:
    """规则与依据：开班反馈时限（原文与适用性说明）、创业培训的天数与课时、补贴付给谁、培训券的资料问题。"""
    from jiuye.training.settings import settings

    cfg = settings()
    r = cfg.open_class
    out.print(f"开班反馈：开班 {r.days_before_start} 天前。依据：{r.source.quote}（{r.source.document} {r.source.section}）。{r.caveat}")
    for k in cfg.course_kinds.values():
        if k.days:
            out.print(f"{k.label}：{k.days} 天，不少于 {k.min_hours} 课时（{k.source.document} {k.source.section}）")
    out.print(f"补贴付给谁：{cfg.payee.rule}")
    out.print(f"{cfg.voucher.label}：{cfg.voucher.source_problem}")


@training_app.command("courses")
def courses_cmd(q: str = typer.Option("", "--q", help="关键词"), district: Optional[str] = typer.Option(None, "--district", help="旗县市"),
                kind: Optional[str] = typer.Option(None, "--kind", help="培训类别：vocational 职业技能 / labour_preparation 劳动预备制 / syb / iyb / online_startup 网络创业"),
                free: bool = typer.Option(False, "--free", help="只看免费"),
                as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """找课程（招生中或已开班、未结业）。"""
    from jiuye.training import courses

    with _session() as s:
        total, rows = _run(lambda: courses.search(s, q=q, district=district, kind=kind, free_only=free, limit=100))
        views = [courses.view(c) for c in rows]
    if as_json:
        _json({"total": total, "courses": views})
        return
    t = Table(title=f"课程（共 {total} 门）")
    for col in ("编号", "课程", "类别", "开班", "机构", "学费", "剩余名额"):
        t.add_column(col)
    for v in views:
        t.add_row(str(v["id"]), v["title"], v["kind_label"], v["start_on"], v["provider"], v["price"], str(v["seats_left"]))
    out.print(t)


@training_app.command("providers")
def providers_cmd(as_user: Optional[str] = AS) -> None:
    """培训机构名录（本地区；机构只看自己）。"""
    from jiuye.training import providers

    with _session() as s:
        me = _actor(s, as_user)
        for p in _run(lambda: providers.listing(s, me)):
            v = providers.view(p)
            out.print(f"{v['id']}  {v['name']}（{v['kind_label']}，{v['district']}）{v['state_label']}  资质：{'、'.join(v['approvals'])}")


@training_app.command("approve")
def approve_cmd(provider_id: int = typer.Argument(..., help="机构编号"), suspend: bool = typer.Option(False, "--suspend", help="暂停而不是审批通过"),
                as_user: Optional[str] = AS) -> None:
    """审批（或暂停）培训机构：旗县市就业服务中心或盟中心。"""
    from jiuye.training import providers

    with _session() as s:
        me = _actor(s, as_user)
        p = _run(lambda: providers.decide(s, me, provider_id, "suspend" if suspend else "approve"))
        out.print(f"{p.name}：{providers.view(p)['state_label']}")


@training_app.command("voucher")
def voucher_cmd(id_number: str = typer.Option(..., "--id-number", help="身份证号"), name: str = typer.Option(..., "--name", help="姓名"),
                course_kind: str = typer.Option("vocational", "--course-kind", help="培训类别"),
                sign_in_only: bool = typer.Option(False, "--sign-in-only", help="发放打卡签到专用培训券"),
                as_user: Optional[str] = AS) -> None:
    """发放兴安盟职业培训券（本系统电子券）。"""
    from jiuye.training import vouchers

    with _session() as s:
        me = _actor(s, as_user)
        v = _run(lambda: vouchers.issue(s, me, id_number=id_number, name=name, course_kind=course_kind,
                                        kind="sign_in_only" if sign_in_only else "subsidised"))
        view = vouchers.view(s, v)
        out.print(f"已发放 {view['label']}：{view['kind_label']}，持券人 {view['id_number']}，有效期至 {view['expires_on']}")


@training_app.command("voucher-stats")
def voucher_stats_cmd(as_user: Optional[str] = AS, as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """培训券每月发放、使用、核销数与使用率。"""
    from jiuye.training import vouchers

    with _session() as s:
        me = _actor(s, as_user)
        data = _run(lambda: vouchers.monthly(s, me))
    if as_json:
        _json(data)
        return
    for m in data["months"]:
        out.print(f"{m['month']}：发放 {m['issued']}，使用 {m['used']}，核销 {m['closed']}，过期 {m['expired']}")
    rate = "—" if data["use_rate"] is None else f"{data['use_rate']:.1%}"
    out.print(f"合计发放 {data['issued']} 张，使用 {data['used']} 张，使用率 {rate}。{data['source_problem']}")


@training_app.command("table")
def table_cmd(as_user: Optional[str] = AS, as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """培训机构统计表：报名、结业、取证、结业后就业、补贴建案与拨付。"""
    from jiuye.training import tables

    with _session() as s:
        me = _actor(s, as_user)
        data = _run(lambda: tables.compute(s, me))
    if as_json:
        _json(data)
        return
    t = Table(title=f"培训机构统计（结业后 {data['employed_within_months']} 个月内就业）")
    t.add_column("机构")
    for label in data["columns"].values():
        t.add_column(label)
    for r in data["providers"]:
        t.add_row(r["provider"], *[str(r[k]) for k in data["columns"]])
    out.print(t)


@training_app.command("housekeeping")
def housekeeping_cmd() -> None:
    """立即执行定时任务：过期培训券作废；待办理流程上线的补贴自动建案。"""
    from jiuye.training import completion, vouchers

    with _session() as s:
        out.print(f"过期培训券 {vouchers.expire_due(s)} 张；补贴自动建案 {completion.retry_waiting(s)} 件")


@training_app.command("demo")
def demo_cmd() -> None:
    """载入演示培训机构和课程（已有机构时不重复载入）。"""
    from jiuye.training.demo import load_demo_training

    with _session() as s:
        res = load_demo_training(s)
    out.print("已载入演示数据：机构 {providers} 个，课程 {courses} 门".format(**res) if res["loaded"] else "已有培训机构，未重复载入")

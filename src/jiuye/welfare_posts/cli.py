"""`jiuye welfare …`: 公益性岗位 from the command line, over the same services as the pages (the access
rules hold: commands that act take `--as` or $JIUYE_USER, the password from $JIUYE_PASSWORD or a
prompt). Names, phones and 身份证号 are masked in lists; refusals print the Chinese message, exit 2."""
from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, actor as _actor, print_json as _json, session as _session, out, run_service as _run

welfare_app = typer.Typer(help="公益性岗位：岗位、报名人员、安排上岗、每月补贴、使用期限", no_args_is_help=True,
                          add_completion=False)


def register(app: typer.Typer) -> None:
    app.add_typer(welfare_app, name="welfare")


@welfare_app.command("about")
def about_cmd() -> None:
    """依据：岗位类别、安置对象、补贴标准、使用期限及其例外（原文），以及资料未写明、本系统推定的做法。"""
    from jiuye.welfare_posts.settings import settings

    cfg = settings()
    for k, t in cfg.post_types.items():
        out.print(f"{k}：{t.label}（{t.examples}）")
    out.print("安置对象：" + cfg.eligibility.sources[0].cite())
    out.print(f"{cfg.subsidy.wage.label}：" + cfg.subsidy.wage.sources[0].cite())
    out.print(f"{cfg.subsidy.social_insurance.label}：{cfg.subsidy.social_insurance.source.cite()}；{cfg.subsidy.social_insurance.not_given}")
    out.print("使用期限：" + cfg.term.source.cite())
    for e in cfg.term.exceptions.values():
        out.print(f"例外：{e.label}（{e.source.cite()}）")
    out.print(cfg.publishing.assumption)
    out.print(cfg.signup.assumption)


@welfare_app.command("posts")
def posts_cmd(district: Optional[str] = typer.Option(None, "--district", help="旗县市"),
              as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """招收中、还有名额的公益性岗位。"""
    from jiuye.welfare_posts import posts

    with _session() as s:
        total, rows = _run(lambda: posts.search(s, district=district, limit=200))
        views = [posts.view(p) for p in rows]
    if as_json:
        _json({"total": total, "posts": views})
        return
    t = Table(title=f"公益性岗位（共 {total} 个）")
    for col in ("编号", "岗位", "用人单位", "旗县市", "剩余名额", "报名截止"):
        t.add_column(col)
    for v in views:
        t.add_row(str(v["id"]), v["title"], v["unit"], v["district"], f"{v['places_left']}/{v['places']}", v["end_on"])
    out.print(t)


@welfare_app.command("publish")
def publish_cmd(title: str = typer.Option(..., "--title", help="岗位名称"), unit: str = typer.Option(..., "--unit", help="用人单位"),
                post_type: str = typer.Option(..., "--type", help="岗位类别：community_service / public_management / institution_support / other"),
                place: str = typer.Option(..., "--place", help="工作地点（苏木镇、街道或社区）"),
                places: str = typer.Option(..., "--places", help="招收人数"), start_on: str = typer.Option(..., "--start", help="招收开始日期 YYYY-MM-DD"),
                end_on: str = typer.Option(..., "--end", help="招收截止日期 YYYY-MM-DD"), contact: str = typer.Option(..., "--contact", help="联系方式"),
                district: Optional[str] = typer.Option(None, "--district", help="旗县市（默认本人所在）"),
                duties: Optional[str] = typer.Option(None, "--duties", help="工作内容"), as_user: Optional[str] = AS) -> None:
    """发布公益性岗位（旗县市就业服务中心或人社局）。"""
    from jiuye.welfare_posts import posts

    with _session() as s:
        me = _actor(s, as_user)
        data = {"title": title, "unit": unit, "post_type": post_type, "place": place, "places": places, "start_on": start_on,
                "end_on": end_on, "contact": contact, "duties": duties, "district": district or me.district}
        p = _run(lambda: posts.publish(s, me, data))
        out.print(f"已发布公益性岗位 {p.id}：{p.title}，{p.places} 个名额，{p.start_on} 至 {p.end_on}")


@welfare_app.command("applicants")
def applicants_cmd(post_id: int = typer.Argument(..., help="岗位编号"), as_user: Optional[str] = AS,
                   as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """一个岗位的报名人员（姓名、电话、身份证号已遮盖）和剩余名额。"""
    from jiuye.welfare_posts import posts, signups

    with _session() as s:
        me = _actor(s, as_user)
        rows = _run(lambda: signups.applicants(s, me, post_id))
        p = posts.view(posts.load(s, post_id))
        views = [signups.view(s, r) for r in rows]
    if as_json:
        _json({"post": p, "applicants": views})
        return
    out.print(f"{p['title']}：名额 {p['places']}，已安排 {p['filled']}，剩余 {p['places_left']}（{p['state_label']}）")
    for v in views:
        out.print(f"{v['id']}  {v['name']}  {v['id_number']}  {v['status_label']}  {v['state_label']}  案件 {v['case_id']}"
                  + (f"  期满 {v['term_ends_on']}" if v["term_ends_on"] else ""))


@welfare_app.command("place")
def place_cmd(signup_id: int = typer.Argument(..., help="报名编号"), comment: Optional[str] = typer.Option(None, "--comment", help="意见"),
              as_user: Optional[str] = AS) -> None:
    """安排上岗（案件的「安排上岗」一步；扣减一个名额）。"""
    from jiuye.welfare_posts import placement

    with _session() as s:
        me = _actor(s, as_user)
        row = _run(lambda: placement.place(s, me, signup_id, comment=comment))
        out.print(f"已安排上岗：上岗日期 {row.placed_on}，使用期满日 {row.term_ends_on}（{row.term_basis}）")


@welfare_app.command("month")
def month_cmd(signup_id: int = typer.Argument(..., help="报名编号"), month: str = typer.Argument(..., help="月份 YYYY-MM"),
              as_user: Optional[str] = AS) -> None:
    """记录一个月的岗位补贴和社会保险补贴（金额按规则参数；资料没有给出的如实说明）。"""
    from jiuye.welfare_posts import placement

    with _session() as s:
        me = _actor(s, as_user)
        item = _run(lambda: placement.record_month(s, me, signup_id, month))
        from jiuye.welfare_posts.common import money
        from jiuye.welfare_posts.settings import settings

        wage = money(item.wage_fen) if item.wage_fen is not None else settings().subsidy.wage.not_given
        out.print(f"已记录 {item.month}：岗位补贴 {wage}")


@welfare_app.command("close-expired")
def close_expired_cmd() -> None:
    """结束招收期已过的岗位。"""
    from jiuye.welfare_posts import posts

    with _session() as s:
        out.print(f"已结束 {posts.close_expired(s)} 个招收期已过的岗位")


@welfare_app.command("demo")
def demo_cmd() -> None:
    """载入演示公益性岗位（已有岗位时不重复载入）。"""
    from jiuye.welfare_posts.demo import load_demo_welfare

    with _session() as s:
        res = load_demo_welfare(s)
    out.print(f"已载入演示岗位 {res['posts']} 个" if res["loaded"] else "已有公益性岗位，未重复载入")

"""The `jiuye` command: mirrors the library and the JSON API (same service functions, same data).

Errors a user can fix (unknown policy id, district or topic; invalid data files) print a Chinese
message with the nearest valid names and exit with code 2.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Optional

import typer
from rich.table import Table

from jiuye.cli_support import _as_of, _fail, _kb, _labels, _print_json, _say, _source, err, out  # noqa: F401
from jiuye.knowledge import catalogue
from jiuye.knowledge.audit import audit
from jiuye.knowledge.catalogue import UnknownName

app = typer.Typer(help="就业 Jiuye：兴安盟就业政策与服务系统", no_args_is_help=True, add_completion=False)

KIND_LABEL = {"computed": "可计算", "eligibility": "资格判断", "service": "服务事项"}
FOR_LABEL = {"person": "个人", "enterprise": "单位"}
STATE_LABEL = {"open": "受理中", "closed": "已截止", "not_yet_open": "未开始", "no_window_stated": "资料未载明期限"}


@app.command("policies")
def policies_cmd(
    for_: Optional[str] = typer.Option(None, "--for", help="person（个人）或 enterprise（单位）"),
    group: Optional[str] = typer.Option(None, "--group", help="面向人群，如 高校毕业生"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断期限（默认今天）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出政策目录。"""
    kb, day = _kb(), _as_of(as_of)
    try:
        items = catalogue.list_policies(kb, for_, group)
    except UnknownName as exc:
        _fail(exc)
    findings = audit(kb, day)
    rows = [catalogue.policy_summary(p, day, sum(p.id in f.policies for f in findings)) for p in items]
    if as_json:
        _print_json({"as_of": day.isoformat(), "count": len(rows), "policies": rows})
        return
    t = Table(title=f"政策目录（{len(rows)} 项，截至 {day.isoformat()}）")
    for col in ("编号", "名称", "对象", "类型", "期限", "提示"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], r["name"], "、".join(FOR_LABEL[f] for f in r["for"]), KIND_LABEL[r["kind"]],
                  STATE_LABEL[r["window"]["state"]] + (f" {r['window']['end']}" if r["window"].get("end") else ""),
                  f"{r['warnings']} 条" if r["warnings"] else "")
    out.print(t)


@app.command("policy")
def policy_cmd(
    policy_id: str = typer.Argument(..., help="政策编号，如 unemployment_insurance_benefit"),
    district: Optional[str] = typer.Option(None, "--district", help="旗县市，用于给出对口电话"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断期限（默认今天）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """查看一项政策：条件、材料、办理步骤、期限、电话、出处与资料问题提示。"""
    kb, day = _kb(), _as_of(as_of)
    try:
        p = catalogue.get_policy(kb, policy_id)
        data = catalogue.policy_detail(kb, p, day, district)
    except UnknownName as exc:
        _fail(exc)
    if as_json:
        _print_json(data)
        return
    _render_policy(data)


def _render_policy(d: dict[str, Any]) -> None:
    out.rule(f"[bold]{d['name']}[/bold]（{d['id']}）")
    out.print(f"对象：{'、'.join(FOR_LABEL[f] for f in d['for'])}    类型：{KIND_LABEL[d['kind']]}    截至：{d['as_of']}")
    if d["target_groups"]:
        out.print(f"面向人群：{_say('、'.join(d['target_groups']))}")
    out.print(f"内容：{_say(d['gives'])}")
    w = d["window"]
    if w["state"] != "no_window_stated":
        color = "red" if w["state"] == "closed" else "green"
        out.print(f"[{color}]期限：{STATE_LABEL[w['state']]}（{w['kind']} {w.get('start') or ''}～{w.get('end') or ''}，"
                  f"{_source(w['document'])}：「{_say(w['quote'])}」）[/{color}]")
    for title, items in (("条件", [_say(c["text"]) + ("（系统可判断）" if c["checked_by"] == "system" else "（需本人确认）")
                                   for c in d["conditions"]]),
                         ("材料", d["materials"]),
                         ("办理步骤", [f"{s['office_level']}：{s['action']}" for s in d["steps"]]),
                         ("时限", [t["text"] for t in d["time_limits"]]),
                         ("标准", [f"{a['label']}：{a['text']}" for a in d["amounts"]])):
        if items:
            out.print(f"\n[bold]{title}[/bold]")
            for i, x in enumerate(items, 1):
                out.print(f"  {i}. {_say(x)}")
    ch = d["channels"]
    if ch["offline"] or ch["online"]:
        out.print("\n[bold]办理渠道[/bold]")
        for x in ch["offline"]:
            out.print(f"  线下：{_say(x)}")
        for x in ch["online"]:
            out.print(f"  线上：{_say(x['name'])}" + (f"（{x['url']}）" if x.get("url") else ""))
    if d["contacts"]:
        out.print("\n[bold]咨询电话[/bold]")
        for c in d["contacts"]:
            flag = "  [yellow]（资料间号码不一致）[/yellow]" if c["conflicting"] else ""
            out.print(f"  {c['office']}  {c['phone']}  —{'、'.join(sorted({_source(s['document']) for s in c['sources']}))}{flag}")
    out.print("\n[bold]出处[/bold]")
    for s in d["sources"]:
        out.print(f"  {_source(s['document'], s['section'])}：「{s['quote']}」")
    if d["warnings"]:
        out.print("\n[bold yellow]资料问题提示[/bold yellow]")
        for f in d["warnings"]:
            out.print(f"  [yellow]· {_say(f['title'])}[/yellow]")


@app.command("contacts")
def contacts_cmd(
    district: Optional[str] = typer.Option(None, "--district", help="旗县市，如 乌兰浩特市、科右中旗"),
    topic: Optional[str] = typer.Option(None, "--topic", help="事项，如 失业保险、创业服务、零工市场，或政策编号"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """查询咨询电话（按旗县市、事项）。"""
    kb = _kb()
    try:
        rows = catalogue.find_contacts(kb, district, topic)
    except UnknownName as exc:
        _fail(exc)
    if as_json:
        _print_json({"district": district, "topic": topic, "contacts": rows, "hotline": catalogue.GENERAL_HOTLINE})
        return
    t = Table(title="咨询电话")
    for col in ("旗县市", "事项", "机构", "电话", "出处", "提示"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["district"], r["topic"], r["office"], r["phone"],
                  "、".join(sorted({_source(s["document"]) for s in r["sources"]})),
                  "号码不一致" if r["conflicting"] else ("不属于兴安盟" if r["not_in_league"] else ""))
    out.print(t)
    out.print(f"全国人社服务热线：{catalogue.GENERAL_HOTLINE['phone']}")


@app.command("audit-sources")
def audit_cmd(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断期限是否已过（默认今天）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """资料核查：两份资料之间及内部的冲突、错误、已截止的期限，附原文引文。"""
    kb, day = _kb(), _as_of(as_of)
    findings = audit(kb, day)
    if as_json:
        _print_json({"as_of": day.isoformat(), "count": len(findings),
                     "findings": [f.model_dump(mode="json") for f in findings]})
        return
    out.rule(f"资料核查（截至 {day.isoformat()}，共 {len(findings)} 条）")
    sev = {"high": "[red]高[/red]", "medium": "[yellow]中[/yellow]", "low": "低"}
    for f in findings:
        out.print(f"\n{sev[f.severity]} [bold]{_say(f.title)}[/bold]  （{_labels().of('audit_kind', f.kind)}{'，自动发现' if f.computed else ''}）")
        out.print(f"   {_say(f.explanation)}")
        for q in f.quotes[:6]:
            out.print(f"   [dim]{_source(q.document, q.section)}：「{q.quote}」[/dim]")


@app.command("eval-find")
def eval_find_cmd(
    personas: Optional[str] = typer.Option(None, "--personas", help="人物集（默认 data/eval/find_personas.yaml）"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="评估日期 YYYY-MM-DD（默认用人物集中的 as_of）"),
    show_asked: bool = typer.Option(False, "--asked", help="列出每个人物被问到的题目"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """评测政策找人问卷长度：每个人物按自己的情况答题（不知道的答「不知道」），直到出结果。"""
    from pathlib import Path

    from jiuye.web.find_eval import TARGET_MAX, TARGET_MEAN, VERDICTS, PersonaError, evaluate, load_personas

    kb = _kb()
    try:
        spec = load_personas(Path(personas) if personas else None)
    except PersonaError as exc:
        err.print(f"[red]人物集校验失败：[/red]{exc}", soft_wrap=True)
        raise typer.Exit(2)
    r = evaluate(kb, spec, _as_of(as_of) if as_of else None)
    if as_json:
        _print_json(r)
        return
    from jiuye.web.pages.find import get_questionnaire

    groups = {k: g.label for k, g in get_questionnaire().groups.items()}
    t = Table(title=f"政策找人问卷长度（{r['personas']} 个人物，{r['as_of']}）",
              caption=f"问题数：平均 {r['questions_mean']:.1f}，最多 {r['questions_max']}（目标：平均 ≤ {TARGET_MEAN}，最多 ≤ {TARGET_MAX}）；"
                      f"页数：平均 {r['pages_mean']:.1f}，最多 {r['pages_max']}；出结果 {r['complete']}/{r['personas']}")
    for col in ("人物", "人群", "问题", "页", "不知道", *VERDICTS.values(), "出结果"):
        t.add_column(col, no_wrap=col == "人物")
    for w in r["walks"]:
        t.add_row(w["id"], groups.get(w["group"], "—"), str(w["questions"]), str(w["pages"]), str(w["unknown_answers"]),
                  *(str(w["verdicts"].get(v, 0)) for v in VERDICTS.values()), "是" if w["complete"] else "[red]否[/red]")
    t.add_section()
    blank = [""] * (len(VERDICTS) + 2)
    t.add_row("平均", "", f"{r['questions_mean']:.1f}", f"{r['pages_mean']:.1f}", *blank)
    t.add_row("最多", "", str(r["questions_max"]), str(r["pages_max"]), *blank)
    out.print(t)
    if show_asked:
        for w in r["walks"]:
            out.print(f"{w['id']}（{w['questions']}）：{'、'.join(w['asked'])}", markup=False, soft_wrap=True)


STATUS_STYLE = {"eligible": "green", "needs_information": "yellow", "window_closed": "dim"}


def _status(code: str) -> str:
    """A screening verdict by its Chinese name (data/web/labels.yaml), coloured."""
    name = _labels().of("screening_status", code)
    style = STATUS_STYLE.get(code)
    return f"[{style}]{name}[/{style}]" if style else name


def _read_profile(path: str) -> Any:
    """The profile JSON from a file (or standard input for "-"); exit 2 with a message when unreadable."""
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()  # noqa: SIM115
    except OSError as exc:
        err.print(f"[red]读不到情况文件「{path}」：{exc.strerror or exc}[/red]")
        raise typer.Exit(2)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        err.print(f"[red]情况文件「{path}」不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}[/red]")
        raise typer.Exit(2)


@app.command("screen")
def screen_cmd(
    profile_path: str = typer.Argument(..., metavar="PROFILE.json", help="个人或用人单位情况（JSON 文件，- 表示标准输入）；格式见 jiuye schema profile"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断（默认今天）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（与 POST /api/screen 相同）"),
) -> None:
    """政策找人：按情况逐项判断目录中的每一项政策（是否符合、金额、原因、缺什么、去哪里办）。"""
    from jiuye.screening import ProfileError, default_screener
    from jiuye.screening.reasons import money

    data = _read_profile(profile_path)
    day = _as_of(as_of)
    _kb()
    try:
        result = default_screener().screen(data, day)
    except ProfileError as exc:
        for e in exc.errors:
            err.print(f"[red]{e['message']}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    if as_json:
        _print_json(result.model_dump(mode="json"))
        return
    counts = "，".join(f"{_status(k)} {v} 项" for k, v in sorted(result.summary.items()))
    t = Table(title=f"政策找人（截至 {result.as_of.isoformat()}；{counts}）", show_lines=False)
    for col in ("政策", "状态", "金额", "月数", "说明"):
        t.add_column(col, overflow="fold")
    order = {"eligible": 0, "needs_information": 1, "not_eligible": 2, "window_closed": 3}
    for r in sorted(result.results, key=lambda r: (order[r.status], not r.computed, r.policy)):
        amount = f"{money(r.amount)} {r.unit}" if r.amount is not None else ""
        if r.status == "needs_information" and r.missing:
            note = "还需要：" + "、".join(m.label for m in r.missing[:4]) + ("…" if len(r.missing) > 4 else "")
        elif r.status == "needs_information" and not r.computed:
            note = "服务事项，请自行对照条件或咨询"
        else:
            failing = [x.text for x in r.reasons if x.state == "not_met"]
            note = failing[0] if failing else ""
        t.add_row(f"{r.name}\n[dim]{r.policy}[/dim]", _status(r.status), amount, str(r.months or ""), note)
    out.print(t)
    for r in result.results:
        if r.status != "eligible":
            continue
        out.rule(f"[bold]{r.name}[/bold]（{r.policy}）")
        for x in r.reasons:
            out.print(f"  · {x.text}", soft_wrap=True)
        if r.materials:
            out.print("  材料：" + "；".join(r.materials))
        for c in r.how_to_apply.contacts[:3]:
            out.print(f"  电话：{c.office} {c.phone}")


@app.command("schema")
def schema_cmd(
    name: str = typer.Argument(..., help="profile（情况）、result（判断结果）、seeker（求职登记）或 posting（岗位）"),
) -> None:
    """打印 JSON Schema（中文字段名）：profile 为 jiuye screen 和 POST /api/screen 接受的情况；seeker、posting 为
    jiuye match 读写的求职登记和岗位。"""
    from jiuye.screening import ScreenResult, profile_json_schema

    if name == "profile":
        _print_json(profile_json_schema())
    elif name == "result":
        _print_json(ScreenResult.model_json_schema())
    elif name in ("seeker", "posting"):
        from jiuye.market.records import PostingRecord, SeekerRecord

        _print_json((SeekerRecord if name == "seeker" else PostingRecord).model_json_schema())
    else:
        err.print(f"[red]未知的 schema「{name}」；可选：profile、result、seeker、posting[/red]")
        raise typer.Exit(2)


from jiuye.ask.cli import register as register_ask  # noqa: E402  (jiuye ask, jiuye eval-ask, jiuye eval-intents)

register_ask(app)
from jiuye.batch.cli import register as register_batch  # noqa: E402  (jiuye batch, jiuye synth)

register_batch(app)
from jiuye.cases.cli import register as register_cases  # noqa: E402  (jiuye db, jiuye demo-data, jiuye cases)
register_cases(app)
from jiuye.web.serve import register as register_serve  # noqa: E402  (jiuye serve, jiuye worker)
register_serve(app)
from jiuye.market.match_cli import register as register_match  # noqa: E402  (jiuye match, jiuye eval-match)
register_match(app)
from jiuye.market.cli import register as register_market  # noqa: E402  (jiuye market …)
register_market(app)
from jiuye.platforms.cli import register as register_dagong  # noqa: E402  (jiuye dagong …)
register_dagong(app)
from jiuye.fairs.cli import register as register_fairs  # noqa: E402  (jiuye fairs …)
register_fairs(app)
from jiuye.gig.cli import register as register_gig  # noqa: E402  (jiuye gig …)
register_gig(app)
from jiuye.training.cli import register as register_training  # noqa: E402  (jiuye training …)
register_training(app)
from jiuye.welfare_posts.cli import register as register_welfare  # noqa: E402  (jiuye welfare …)
register_welfare(app)
from jiuye.startup.cli import register as register_startup  # noqa: E402  (jiuye startup …)
register_startup(app)

if __name__ == "__main__":
    app()

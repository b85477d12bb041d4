"""The `jiuye` command: mirrors the library and the JSON API (same service functions, same data).

Errors a user can fix (unknown policy id, district or topic; invalid data files) print a Chinese
message with the nearest valid names and exit with code 2.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from jiuye.config import today
from jiuye.knowledge import catalogue
from jiuye.knowledge.audit import audit
from jiuye.knowledge.catalogue import UnknownName
from jiuye.knowledge.loader import DataError, get_knowledge

app = typer.Typer(help="就业 Jiuye：兴安盟就业政策与服务系统", no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True)

KIND_LABEL = {"computed": "可计算", "eligibility": "资格判断", "service": "服务事项"}
FOR_LABEL = {"person": "个人", "enterprise": "单位"}
STATE_LABEL = {"open": "受理中", "closed": "已截止", "not_yet_open": "未开始", "no_window_stated": "资料未载明期限"}


def _kb():
    try:
        return get_knowledge()
    except DataError as exc:
        err.print(f"[red]数据文件校验失败：[/red]{exc}")
        raise typer.Exit(2)


def _fail(exc: UnknownName) -> None:
    err.print(f"[red]{exc}[/red]", soft_wrap=True)
    raise typer.Exit(2)


def _as_of(value: Optional[str]) -> dt.date:
    """--as-of: a date in the rules' supported range (jiuye.rules.supported_range), else exit code 2."""
    from jiuye.rules.period import AsOfOutOfRange, check_as_of

    try:
        return check_as_of(dt.date.fromisoformat(value) if value else today())
    except AsOfOutOfRange as exc:
        err.print(f"[red]--as-of：{exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    except ValueError:
        err.print(f"[red]日期格式错误：--as-of「{value}」，应为 YYYY-MM-DD[/red]")
        raise typer.Exit(2)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _labels():
    from jiuye.knowledge.labels import labels

    return labels()


def _say(text: str | None) -> str:
    """A text of the data as people read it: 000号资料 and policy ids by their names."""
    return _labels().name_documents(text)


def _source(document: str | None, section: str | None = None) -> str:
    """《百问百答》三、失业保险政策 › …: a document by its title (never 000号资料)."""
    return _labels().source_name(document, section)


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


@app.command("ask")
def ask_cmd(
    question: str = typer.Argument(..., help="用大白话提问，如「失业金能领几个月」"),
    top: int = typer.Option(3, "--top", min=1, max=10, help="给出几条答案"),
    district: Optional[str] = typer.Option(None, "--district", help="旗县市，用于给出对口电话"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断政策是否已截止（默认今天）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """问政策：找到回答问题的原文段落，注明出处，给出电话；资料中没有的如实说明。"""
    from jiuye.ask.engine import get_engine

    kb, day = _kb(), _as_of(as_of)
    res = get_engine(kb).ask(question, top=top, district=district, as_of=day)
    if as_json:
        _print_json(res)
        return
    for n in res["notes"]:
        out.print(f"[dim]{n}[/dim]")
    for c in res.get("corrections", []):
        out.print(f"[dim]按「{c['term']}」查找（您输入的是「{c['as_typed']}」）[/dim]")
    if not res["found"]:
        out.print(res["message"], style="yellow", markup=False)
        if res.get("referrals"):
            out.print("\n[bold]可以去哪里问[/bold]")
        for r in res.get("referrals", []):
            out.print(f"  {r['name']}" + (f"  {r['phone']}" if r.get("phone") else ""), markup=False)
            for c in r.get("contacts", []):
                out.print(f"    {c['office']} {c['phone']}", markup=False)
            for src in r["sources"]:
                basis = (f"依据{_labels().document_short.get(src['document'], '资料')}原文：「{src['quote']}」"
                         if src["basis"] == "documents" else f"{src['basis_label']}：{src['note']}")
                out.print(f"    {basis}", style="dim", markup=False)
        if res.get("contacts"):  # detail_not_stated: the policy's own phones
            out.print("\n[bold]咨询电话[/bold]")
            for c in res["contacts"]:
                out.print(f"  {c['office']}（{c['topic']}） {c['phone']}", markup=False)
        if res.get("related"):
            out.print("\n[bold]资料中关于这项政策的原文[/bold]")
            for x in res["related"] + res.get("sisters", []):
                e = kb.entries_by_id[x["id"]]
                out.print(f"  {e.question}（{_source(e.doc_code, e.section)}）", markup=False)
        return
    for i, a in enumerate(res["answers"], 1):
        out.rule(f"{i}. {a['question']}")
        out.print(a["text"])
        out.print(f"[dim]出处：{a['document_title']}（{a['date']}）{a['section']}[/dim]")
        if a["figures"]:
            out.print(f"要点数字：{'、'.join(a['figures'])}")
        if a["stale"]:
            out.print(f"[red]注意：{a['stale_reason']}[/red]")
    if res["contacts"]:
        out.print("\n[bold]咨询电话[/bold]")
        for c in res["contacts"]:
            out.print(f"  {c['office']}（{c['topic']}） {c['phone']}" + ("  [yellow]资料间号码不一致[/yellow]" if c["conflicting"] else ""))


@app.command("eval-ask")
def eval_ask_cmd(
    cases: Optional[list[str]] = typer.Option(None, "--cases", help="评测集（默认 data/eval/ask.yaml）；可写多次，逐个评测"),
    calibrate: bool = typer.Option(False, "--calibrate", help="在评测集的调参部分重新选定融合权重、资料外话题权衡和拒答阈值，写入 data/ask/calibration.yaml"),
    show_misses: bool = typer.Option(False, "--misses", help="列出答错的问题"),
    cv: bool = typer.Option(False, "--cv", help="另算五折交叉验证：凡按评测题选定的（融合权重、资料外话题权衡、拒答阈值）都只在被评测集的其余四折上选，每题都由没见过它的调参结果来答（每个集约半分钟）"),
    no_topics: bool = typer.Option(False, "--no-topics", help="不用资料外话题表，只看拒答阈值能兜住多少（话题表没列到的问题）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """评测问答：top-1、top-3、资料外问题的拒答率、延迟。"""
    from pathlib import Path

    from jiuye.ask.engine import get_engine

    kb = _kb()
    paths = [Path(c) for c in cases] if cases else [kb.root / "eval" / "ask.yaml"]
    if calibrate and (len(paths) > 1 or no_topics):
        err.print("[red]--calibrate 只能用一个评测集（--cases 只写一次），也不能与 --no-topics 同用。[/red]")
        raise typer.Exit(2)
    for p in paths:
        if not p.is_file():
            err.print(f"[red]找不到评测集：{p}[/red]")
            raise typer.Exit(2)
    engine = get_engine(kb)
    engine.topics_on = not no_topics
    try:
        reports = _eval_ask_sets(engine, kb, paths, calibrate, cv)
    finally:
        engine.topics_on = True
    if as_json:
        for parts in reports.values():
            for p in parts.values():
                p.pop("misses", None)
        _print_json(reports if len(reports) > 1 else next(iter(reports.values())))
        return
    for name, parts in reports.items():
        _eval_ask_table(name, parts, show_misses)


def _eval_ask_sets(engine, kb, paths, calibrate: bool, cv: bool) -> dict:
    from jiuye.ask.evaluate import cross_validate, evaluate, fit, load_cases, split, write_calibration

    reports = {}
    for path in paths:
        items = load_cases(path)
        dev, held = split(items)
        if calibrate:
            tuned, cal = fit(engine, dev)
            target = kb.root / "ask" / "calibration.yaml"
            doc = write_calibration(target, tuned, cal, dense=engine.dense is not None)
            out.print(f"已写入 {target}：{doc}")
        r = evaluate(engine, items, today())
        parts = {"all": r, "tuning": evaluate(engine, dev, today()), "held_out": evaluate(engine, held, today())}
        if cv:
            parts["cross_validated"] = cross_validate(engine, items, today())
        reports[path.name] = parts
    return reports


def _eval_ask_table(name: str, parts: dict, show_misses: bool) -> None:
    r, h, x = parts["all"], parts["held_out"], parts.get("cross_validated")
    misses = (x or r).get("misses", [])  # with --cv: the questions the folds answered wrongly
    t = Table(title=f"Ask 评测 {name}（{r['questions']} 题：资料内 {r['in_scope']}，资料外 {r['out_of_scope']}）")
    t.add_column("指标")
    t.add_column("全部")
    t.add_column(f"留出（{h['questions']} 题，未参与调参）")
    if x:
        t.add_column("五折交叉验证（全部题）")
    t.add_column("目标")

    def add(label: str, key: str, target: str) -> None:
        t.add_row(label, f"{r[key]:.1%}", f"{h[key]:.1%}", *([f"{x[key]:.1%}"] if x else []), target)

    add("top-1", "top1", "≥ 92%")
    add("top-3", "top3", "≥ 98%")
    add("资料外问题被拒答（召回）", "oos_recall", "≥ 95%")
    add("拒答中确属资料外（精度）", "oos_precision", "")
    add("资料内问题被误拒", "in_scope_refused", "≤ 2%")
    t.add_row("延迟 p50 / p95 / p99（热）", f"{r['p50_ms']:.2f} / {r['p95_ms']:.2f} / {r['p99_ms']:.2f} ms", "",
              *([""] if x else []), "p95 ≤ 10 ms")
    out.print(t)
    kinds = (x or r).get("by_kind", {})
    if kinds:  # by kind of question (讲经历 story, 方言 dialect …): where a change helps or hurts
        out.print(("按题型（" + ("五折交叉验证" if x else "全部") + "）top-1 / top-3：") + "；".join(
            f"{k} {v['questions']} 题 {v['top1']:.1%} / {v['top3']:.1%}" for k, v in kinds.items()), soft_wrap=True)
    if show_misses:
        out.print("答错的问题（" + ("五折交叉验证" if x else "全部") + "）：")
        for c, why, ids in misses:
            out.print(f"[{why}] {c.q}  期望 {c.expected}  得到 {ids}", markup=False, soft_wrap=True)


@app.command("eval-intents")
def eval_intents_cmd(
    cases: Optional[str] = typer.Option(None, "--cases", help="评测集（默认 data/eval/ask_services_blind.yaml，盲写的服务请求题）"),
    show_misses: bool = typer.Option(False, "--misses", help="列出认错的问题"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """评测问答的服务入口：问题要找的服务（岗位、招聘会、零工、直通车、课程、创业项目、孵化基地、单位招工）认得对不对。"""
    from pathlib import Path

    from jiuye.ask import intents_eval
    from jiuye.ask.engine import get_engine

    kb = _kb()
    path = Path(cases) if cases else kb.root / "eval" / "ask_services_blind.yaml"
    try:
        rows = intents_eval.load_cases(path)
    except (OSError, ValueError) as exc:
        err.print(f"[red]评测集读不了：{_say(str(exc)) if not isinstance(exc, OSError) else path}[/red]")
        raise typer.Exit(2)
    r = intents_eval.evaluate(get_engine(kb), rows)
    if as_json:
        _print_json(r if show_misses else {k: v for k, v in r.items() if k != "misses"})
        return
    t = Table(title=f"服务入口评测（{path.name}：{r['cases']} 题）")
    for col in ("要找的服务", "题数", "认对"):
        t.add_column(col)
    for label, v in r["per_label"].items():
        t.add_row(intents_eval.NAMES.get(label, label), str(v["n"]), f"{v['right']}（{v['right'] / v['n']:.0%}）")
    out.print(t)
    out.print(f"总正确率 {r['accuracy']:.1%}；服务请求认对 {r['service_accuracy']:.1%}；"
                  f"不是服务请求却给了服务 {r['none_sent_to_a_service']:.1%}")
    if show_misses:
        for m in r["misses"]:
            out.print(f"  {m['q']}：应为 {m['want'] or '无'}，认成 {m['got'] or '无'}")


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


@app.command("batch")
def batch_cmd(
    input_path: str = typer.Argument(..., metavar="INPUT", help="名册：.csv（UTF-8 或 GBK，自动识别）、.xlsx 或 .parquet"),
    output: str = typer.Option(..., "--out", help="结果文件（.csv / .xlsx / .parquet）；旁边另写 OUTPUT.rejected.<扩展名>、OUTPUT.summary.json 和图表"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天判断（默认今天）"),
    subject: str = typer.Option("person", "--subject", help="person（参保人员、失业登记人员）或 enterprise（参保企业）"),
    mapping: Optional[str] = typer.Option(None, "--mapping", help="表头映射文件（YAML：columns: {表头: 字段}），补充 data/batch/columns.yaml"),
    engine: str = typer.Option("local", "--engine", help="local（本机）或 dask（dask.distributed 集群）"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786；不填则在本机启动"),
    workers: Optional[int] = typer.Option(None, "--workers", help="Dask 工作进程数（本机集群默认 2；远程集群：等待这么多个就绪）"),
    chunk_size: int = typer.Option(100_000, "--chunk-size", help="每块行数（内存随块大小增长，与文件大小无关）"),
    resume: bool = typer.Option(False, "--resume", help="继续上次中断的运行，跳过已完成的块"),
    sets: Optional[list[str]] = typer.Option(None, "--set", help="假设分析：参数路径=新数值（自评估日期所在月起），可多次使用"),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="CSV 输出编码：utf-8-sig（Excel 可直接打开）、utf-8 或 gbk"),
    no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条"),
    as_json: bool = typer.Option(False, "--json", help="结束时输出 summary（JSON）"),
) -> None:
    """批量筛查（免申即享）：整份名册逐行对照政策规则，输出每人每项政策的结论、金额，以及无法读取的行和原因。"""
    from pathlib import Path

    from jiuye.batch import BatchError, Options, run

    day = _as_of(as_of)
    if engine not in ("local", "dask"):
        err.print(f"[red]--engine 应为 local 或 dask，而不是「{engine}」[/red]")
        raise typer.Exit(2)
    if encoding.lower() not in ("utf-8-sig", "utf-8", "gbk", "gb18030"):
        err.print(f"[red]--encoding 应为 utf-8-sig、utf-8 或 gbk，而不是「{encoding}」[/red]")
        raise typer.Exit(2)
    opts = Options(input=Path(input_path), output=Path(output), as_of=day, subject=subject,
                   mapping=Path(mapping) if mapping else None, engine=engine, scheduler=scheduler, workers=workers,
                   chunk_size=chunk_size, resume=resume, sets=list(sets or []), encoding=encoding.lower(),
                   progress=not no_progress and not as_json)
    try:
        outcome = run(opts)
    except BatchError as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err.print(f"[yellow]已中断：没有写出半截的结果文件；已完成的块保存在 {Path(output).with_suffix('')}.work/，"
                  "加 --resume 重新运行即可继续[/yellow]")
        raise typer.Exit(130)
    s = outcome.summary
    for m in outcome.messages:
        err.print(f"[yellow]{m}[/yellow]", soft_wrap=True)
    if as_json:
        _print_json(s)
    else:
        out.print(f"输入 {s['input_rows']:,} 行：可计算 {s['accepted_rows']:,} 行，无法读取 {s['rejected_rows']:,} 行；"
                  f"结果 {s['output_rows']:,} 行；用时 {s['seconds']:.1f} 秒（{s['rows_per_second'] or 0:,} 行/秒）")
        t = Table(title=f"各项政策（截至 {s['as_of']}）")
        for col in ("政策", "符合", "还需要信息", "金额合计（元）", "单位"):
            t.add_column(col)
        for v in s["policies"].values():  # the Chinese name only: an id is no use to the person reading
            t.add_row(v["name"], f"{v['eligible']:,}", f"{v['needs_information']:,}",
                      f"{v['total']:,.2f}" if v["amount_known"] else "", v["unit"])
        out.print(t)
        if s.get("what_if"):
            d = s["what_if"]["difference"]
            w = Table(title="假设分析：改变参数后 − 现行（元）")
            for col in ("政策", "符合人数变化", "金额变化"):
                w.add_column(col)
            for v in d["policies"].values():
                if v["eligible"] or v["total_fen"]:
                    w.add_row(v["name"], f"{v['eligible']:+,}", f"{v['total']:+,.2f}")
            w.add_row("[bold]合计[/bold]", "", f"[bold]{d['total']:+,.2f}[/bold]")
            out.print(w)
            for dist, v in d["districts"].items():
                if v["total_fen"]:
                    out.print(f"  {dist}：{v['total']:+,.2f} 元")
        out.print(f"结果：{outcome.paths.output}\n无法读取的行：{outcome.paths.rejected}\n汇总：{outcome.paths.summary}"
                  + (f"\n图表：{outcome.paths.chart}" if s.get("chart") else ""))
    if s["input_rows"] and not s["accepted_rows"]:
        raise typer.Exit(1)


@app.command("synth")
def synth_cmd(
    persons: int = typer.Option(0, "--persons", help="人数"),
    enterprises: int = typer.Option(0, "--enterprises", help="企业数"),
    seekers: int = typer.Option(0, "--seekers", help="求职登记份数（人岗匹配用，写入 <名>.seekers.<扩展名>）"),
    postings: int = typer.Option(0, "--postings", help="岗位数（写入 <名>.postings.<扩展名>）"),
    seed: int = typer.Option(0, "--seed", help="随机种子（同样的参数生成同样的文件）"),
    output: str = typer.Option(..., "--out", help="输出文件（.csv / .xlsx / .parquet）；人员和企业都要时，企业写入 <名>.enterprises.<扩展名>"),
    as_of: Optional[str] = typer.Option("2021-06-15", "--as-of", help="名册的日期（年龄、证书和待遇日期都以此为准）"),
    bad_share: float = typer.Option(0.02, "--bad-share", help="故意写错的行所占比例（校验码错、性别与身份证不符、不存在的日期、重复身份证号……）"),
    encoding: str = typer.Option("utf-8", "--encoding", help="CSV 编码：utf-8 或 gbk"),
) -> None:
    """生成合成名册（兴安盟六个旗县市、合法身份证号和统一社会信用代码，并含一定比例的错误行），用于测试和基准。"""
    from pathlib import Path

    from jiuye.batch import synth
    from jiuye.batch.io import BatchInputError, format_of

    if persons <= 0 and enterprises <= 0 and seekers <= 0 and postings <= 0:
        err.print("[red]请用 --persons、--enterprises、--seekers 或 --postings 指定要生成多少行[/red]")
        raise typer.Exit(2)
    if not 0 <= bad_share <= 1:
        err.print("[red]--bad-share 应在 0 到 1 之间[/red]")
        raise typer.Exit(2)
    path = Path(output)
    try:
        if path.suffix.lower() not in (".jsonl", ".ndjson") or persons > 0 or enterprises > 0:
            format_of(path)
    except BatchInputError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    day = _as_of(as_of)
    written = []
    if persons > 0:
        table, bad = synth.persons(persons, seed, day, bad_share)
        written.append((synth.write(table, path, encoding), persons, bad))
    if enterprises > 0:
        target = path if persons <= 0 else Path(f"{path.with_suffix('')}.enterprises{path.suffix}")
        table, bad = synth.enterprises(enterprises, seed, bad_share)
        written.append((synth.write(table, target, encoding), enterprises, bad))
    for p, n, bad in written:
        kinds = "、".join(f"{_labels().of('synth_error', k)} {v}" for k, v in bad.items())
        out.print(f"{p}：{n:,} 行，其中故意写错 {sum(bad.values()):,} 行（{kinds}）")
    if seekers > 0 or postings > 0:
        from jiuye.market import synth as market_synth
        from jiuye.market.match_cli import write_rows

        for kind, n, make in (("seekers", seekers, market_synth.seekers), ("postings", postings, market_synth.postings)):
            if n <= 0:
                continue
            target = Path(f"{path.with_suffix('')}.{kind}{path.suffix}")
            table = make(n, seed, day)
            if path.suffix.lower() in (".jsonl", ".ndjson"):
                write_rows(target, table.column_names, [list(r.values()) for r in table.to_pylist()])
            else:
                synth.write(table, target, encoding)
            out.print(f"{target}：{n:,} 行（{'求职登记' if kind == 'seekers' else '岗位'}；字段见 jiuye schema "
                      f"{'seeker' if kind == 'seekers' else 'posting'}）")


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

"""`jiuye ask` (a question → the passage, cited, with phones; or what the documents do not say), `jiuye eval-ask` (the
evaluation sets, calibration, cross-validation) and `jiuye eval-intents` (Ask as the front door to the services)."""
from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from jiuye.cli_support import _as_of, _kb, _labels, _print_json, _say, _source, err, out
from jiuye.config import today


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
    for it in res.get("intents", []):  # the services it asks for: live on the site's page, here their addresses
        what = f"（搜索「{it['query']}」）" if it["query"] else ""
        out.print(f"[bold]{it['label']}[/bold]{what}：网站 {it['fallback_url']} · {it['fallback_label']}", soft_wrap=True)
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
        if res.get("related"):  # detail_not_stated: the policy's passages; a topic refusal: the matter it also named
            heading = "资料中关于这项政策的原文" if res.get("reason") == "detail_not_stated" else "资料中相关的原文"
            out.print(f"\n[bold]{heading}[/bold]")
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


def eval_ask_cmd(
    cases: Optional[list[str]] = typer.Option(None, "--cases", help="评测集（默认 data/eval/ask.yaml）；可写多次，逐个评测"),
    calibrate: bool = typer.Option(False, "--calibrate", help="在评测集的调参部分重新选定融合权重、资料外话题权衡和拒答阈值，写入 data/ask/calibration.yaml"),
    show_misses: bool = typer.Option(False, "--misses", help="列出答错的问题"),
    cv: bool = typer.Option(False, "--cv", help="另算五折交叉验证：凡按评测题选定的（融合权重、资料外话题权衡、拒答阈值）都只在被评测集的其余四折上选，每题都由没见过它的调参结果来答（每个集约半分钟）"),
    no_topics: bool = typer.Option(False, "--no-topics", help="不用资料外话题表，只看拒答阈值能兜住多少（话题表没列到的问题）"),
    held_out: bool = typer.Option(False, "--held-out", help="评测集若是分类器的学习集（data/ask/learning.yaml），先用不含它的题重训分类器再评（留一集，每集约两三分钟），得到它没见过这些题时的成绩"),
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
        reports = _eval_ask_sets(engine, kb, paths, calibrate, cv, held_out)
    finally:
        engine.topics_on = True
    if as_json:
        for parts in reports.values():
            for p in parts.values():
                if isinstance(p, dict):
                    p.pop("misses", None)
        _print_json(reports if len(reports) > 1 else next(iter(reports.values())))
        return
    for name, parts in reports.items():
        _eval_ask_table(name, parts, show_misses)


def _eval_ask_sets(engine, kb, paths, calibrate: bool, cv: bool, held_out: bool = False) -> dict:
    import contextlib

    from jiuye.ask.evaluate import cross_validate, evaluate, fit, held_out_classifier, load_cases, split, write_calibration

    reports = {}
    for path in paths:
        items = load_cases(path)
        dev, held = split(items)
        if calibrate:
            tuned, cal = fit(engine, dev)
            target = kb.root / "ask" / "calibration.yaml"
            doc = write_calibration(target, tuned, cal, dense=engine.dense is not None)
            out.print(f"已写入 {target}：{doc}")
        learnt = path.name in engine.learning and path.resolve().parent == (kb.root / "eval").resolve()
        if learnt and held_out:
            err.print(f"{path.name} 是分类器的学习集：先用不含它的题重训分类器（约两三分钟）……")
        with held_out_classifier(engine, path.name) if learnt and held_out else contextlib.nullcontext(False):
            r = evaluate(engine, items, today())
            parts = {"all": r, "tuning": evaluate(engine, dev, today()), "held_out": evaluate(engine, held, today())}
            if cv:
                parts["cross_validated"] = cross_validate(engine, items, today())
        # how the classifier stood to this set: learnt from it (figures flatter), held out, or never learnt from
        parts["learning"] = ("held_out" if held_out else "learnt") if learnt else "unseen"
        reports[path.name] = parts
    return reports


def _eval_ask_table(name: str, parts: dict, show_misses: bool) -> None:
    r, h, x = parts["all"], parts["held_out"], parts.get("cross_validated")
    misses = (x or r).get("misses", [])  # with --cv: the questions the folds answered wrongly
    t = Table(title=f"Ask 评测 {name}（{r['questions']} 题：资料内 {r['in_scope']}，资料外 {r['out_of_scope']}）")
    learning = parts.get("learning")
    if learning == "learnt":
        out.print(f"[yellow]注意：{name} 是分类器的学习集，下面的成绩偏高；加 --held-out 可得不含它训练时的成绩。[/yellow]")
    elif learning == "held_out":
        out.print(f"{name}：分类器已用不含此集的题重训（留一集），成绩可看作对没见过的问题。")
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
    oos_kinds = (x or r).get("oos_by_kind", {})
    if len(oos_kinds) > 1:  # 拼音 questions labelled 非中文 are answered by design (shiyejin zenme ling → 失业保险金)
        out.print("资料外问题按题型被拒答：" + "；".join(f"{k} {v['questions']} 题 {v['refused']:.1%}" for k, v in oos_kinds.items()),
                  soft_wrap=True)
    if show_misses:
        out.print("答错的问题（" + ("五折交叉验证" if x else "全部") + "）：")
        for c, why, ids in misses:
            out.print(f"[{why}] {c.q}  期望 {c.expected}  得到 {ids}", markup=False, soft_wrap=True)


def eval_intents_cmd(
    cases: Optional[str] = typer.Option(None, "--cases", help="评测集（默认 data/eval/ask_services_blind.yaml，盲写的服务请求题）"),
    show_misses: bool = typer.Option(False, "--misses", help="列出认错的问题"),
    held_out: bool = typer.Option(False, "--held-out", help="评测集若是服务意图分类器的学习集（data/ask/learning.yaml 的 service_sets），先用不含它的题重训再评，得到它没见过这些题时的成绩"),
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
    engine = get_engine(kb)
    learnt = path.name in engine.learning.service_names and path.resolve().parent == (kb.root / "eval").resolve()
    with intents_eval.held_out(engine, path.name if held_out and learnt else "") as was_held_out:
        r = intents_eval.evaluate(engine, rows)
    r["learning"] = ("held_out" if was_held_out else "learnt") if learnt else "unseen"
    if as_json:
        _print_json(r if show_misses else {k: v for k, v in r.items() if k != "misses"})
        return
    if r["learning"] == "learnt":
        out.print(f"[yellow]注意：{path.name} 是服务意图分类器的学习集，下面的成绩偏高；加 --held-out 可得不含它训练时的成绩。[/yellow]")
    elif r["learning"] == "held_out":
        out.print(f"{path.name}：服务意图分类器已用不含此集的题重训（留一集），成绩可看作对没见过的问题。")
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


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_cmd)
    app.command("eval-ask")(eval_ask_cmd)
    app.command("eval-intents")(eval_intents_cmd)

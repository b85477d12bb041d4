"""Command line for cases: `jiuye db upgrade`, `jiuye demo-data`, `jiuye cases list|show|move|overdue|…`.

Registered on the main `jiuye` app by `register(app)`. Commands that act as a user take `--as`
(or $JIUYE_USER) and the password from $JIUYE_PASSWORD or a prompt: the audit trail records who
acted, so the command line is no way around the roles. 身份证号 are masked in every output.
Errors a user can fix print a Chinese message and exit with code 2.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from jiuye.cases.acting import AS, out
from jiuye.cases.acting import actor as _actor, fail as _fail, print_json as _print_json, session as _session
from jiuye.config import beijing_time

cases_app = typer.Typer(help="办件：申请、审核流转、期限、附件、免申即享", no_args_is_help=True, add_completion=False)


def register(app: typer.Typer) -> None:
    from jiuye.cases.db_cli import db_app, demo_data_cmd  # jiuye db upgrade / current / backup / restore, jiuye demo-data

    app.add_typer(db_app, name="db")
    app.add_typer(cases_app, name="cases")
    app.command("demo-data")(demo_data_cmd)
    from jiuye.cases.window_cli import receipt_cmd  # jiuye cases receipt: the window receipts as PDF

    cases_app.command("receipt")(receipt_cmd)


def _status(code: str | None) -> str:
    """A screening verdict (eligible …) by its Chinese name."""
    from jiuye.knowledge.labels import labels

    return labels().of("screening_status", code) if code else "—"


def _doc_names(text: str | None) -> str:
    """A saved text as staff read it: 000号资料 / 003号资料 by the documents' titles."""
    from jiuye.knowledge.labels import labels

    return labels().name_documents(text)


# --- cases ---------------------------------------------------------------------------------------
def _deadline_text(d: dict | None) -> str:
    if not d:
        return ""
    text = d["due"] + ("（已逾期）" if d["overdue"] else "")
    if d["approximate"]:
        text += " ⚠ 未计节假日"
    return text


def _cases_table(rows: list[dict], title: str) -> Table:
    t = Table(title=title)
    for col in ("编号", "事项", "申请人", "证件", "旗县市", "状态", "办理", "期限", "版本"):
        t.add_column(col)
    for r in rows:
        a = r["applicant"]
        t.add_row(str(r["id"]), r["procedure_name"], a["name"], a.get("id_number") or a.get("credit_code") or "",
                  r["district"], r["state_label"], r["acting_role"] or "", _deadline_text(r["deadline"]), str(r["version"]))
    return t


@cases_app.command("list")
def list_cmd(
    as_user: Optional[str] = AS,
    state: Optional[str] = typer.Option(None, "--state", help="只列出这一状态的案件（状态代码，见 jiuye cases procedures）"),
    procedure: Optional[str] = typer.Option(None, "--procedure", help="只列出这一事项的案件（事项编号，见 jiuye cases procedures）"),
    overdue_only: bool = typer.Option(False, "--overdue", help="只列出已逾期的"),
    limit: int = typer.Option(100, "--limit", help="最多列出几件"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    as_csv: bool = typer.Option(False, "--csv", help="导出 CSV（身份证号已脱敏）"),
) -> None:
    """列出您能看到的案件（申请人：本人的；工作人员：本旗县市的）。"""
    from jiuye.cases import service

    with _session() as s:
        actor = _actor(s, as_user)
        try:
            total, cases = service.list_cases(s, actor, state=state, procedure=procedure, overdue_only=overdue_only,
                                              limit=limit)
        except service.CaseError as exc:
            _fail(exc)
        rows = [service.case_summary(s, c, actor) for c in cases]
    if as_json:
        _print_json({"total": total, "cases": rows})
    elif as_csv:
        from jiuye.batch.safe_cells import neutralise_row  # no cell runs as a formula in Excel

        w = csv.writer(sys.stdout)
        w.writerow(["编号", "事项", "申请人", "证件号（脱敏）", "旗县市", "状态", "期限", "期限说明", "筛查结论", "金额（元）", "版本"])
        for r in rows:
            a, d = r["applicant"], r["deadline"] or {}
            w.writerow(neutralise_row([r["id"], r["procedure_name"], a["name"], a.get("id_number") or a.get("credit_code"),
                                       r["district"], r["state_label"], d.get("due", ""), d.get("note") or "",
                                       _status(r["screening"]["status"]),
                                       r["screening"]["amount"] if r["screening"]["amount"] is not None else "", r["version"]]))
    else:
        out.print(_cases_table(rows, f"案件（共 {total} 件）"))
        notes = {r["deadline"]["note"] for r in rows if r["deadline"] and r["deadline"]["note"]}
        for n in notes:
            out.print(f"[yellow]⚠ {n}[/yellow]")


@cases_app.command("show")
def show_cmd(case_id: int = typer.Argument(..., help="案件编号"), as_user: Optional[str] = AS,
             as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """查看一个案件：状态、期限、筛查结果（建案时）、材料、可办理的操作、审计记录。"""
    from jiuye.cases import service

    with _session() as s:
        actor = _actor(s, as_user)
        try:
            d = service.case_detail(s, actor, service.load_case(s, actor, case_id))
        except service.CaseError as exc:
            _fail(exc)
    if as_json:
        _print_json(d)
        return
    a = d["applicant"]
    out.rule(f"[bold]案件 {d['id']}：{d['procedure_name']}[/bold]")
    out.print(f"申请人：{a['name']}（{a.get('id_number') or a.get('credit_code')}）  旗县市：{d['district']}  版本：{d['version']}")
    out.print(f"状态：[bold]{d['state_label']}[/bold]" + (f"，由{d['acting_role']}办理" if d["acting_role"] else "")
              + (f"：{d['assigned_office']['name']}" if d["assigned_office"] else ""))
    if d["deadline"]:
        dl = d["deadline"]
        out.print(f"期限：{dl['text']}，{dl['due']}" + ("[red]（已逾期）[/red]" if dl["overdue"] else f"（还有 {dl['days_left']} 天）"))
        if dl["note"]:
            out.print(f"[yellow]⚠ {dl['note']}[/yellow]")
    sc = d["screening"]
    out.print(f"建案时筛查（{sc['as_of']}）：{_status(sc['status'])}" + (f"，金额 {sc['amount']:,.2f} 元" if sc["amount"] is not None else ""))
    for r in d["screening_snapshot"].get("result", {}).get("reasons", [])[:8]:
        out.print(f"  · {_doc_names(r.get('text'))}", soft_wrap=True)
    if d["materials"]:
        out.print("\n[bold]材料[/bold]")
        for m in d["materials"]:
            out.print(f"  {'✓' if m['attachments'] else '·'} {_doc_names(m['name'])}" + (f"（{m['attachments']} 个附件）" if m["attachments"] else ""))
    if d["moves"]:
        out.print("\n[bold]下一步[/bold]")
        for m in d["moves"]:
            mark = "[green]可办理[/green]" if m["allowed"] else f"[dim]{_doc_names(m['why_not'])}[/dim]"
            out.print(f"  {m['action']} → {m['to_label']}（jiuye cases move {d['id']} {m['to']}）  {m['role']}  {mark}")
    out.print("\n[bold]记录[/bold]")
    for e in d["events"]:
        move = f"{e['from_label'] or '—'} → {e['to_label']}" if e["to_state"] else "—"
        out.print(f"  {beijing_time(e['at'], seconds=True)}  {e['who']}（{e['role']}）  {move}  {_doc_names(e['comment'])}")


@cases_app.command("move")
def move_cmd(
    case_id: int = typer.Argument(..., help="案件编号"),
    to_state: str = typer.Argument(..., help="目标状态（jiuye cases show 列出可选的）"),
    as_user: Optional[str] = AS,
    comment: Optional[str] = typer.Option(None, "--comment", "-m", help="意见"),
    version: Optional[int] = typer.Option(None, "--version", help="您看到的版本；已被他人处理时拒绝"),
) -> None:
    """办理一步：把案件按流程转到下一个状态。不在流程上的转移会被拒绝并说明可以怎么转。"""
    from jiuye.cases import service

    with _session() as s:
        actor = _actor(s, as_user)
        try:
            case = service.transition(s, actor, case_id, to_state, comment=comment, expected_version=version)
        except service.CaseError as exc:
            _fail(exc)
        d = service.case_summary(s, case, actor)
    out.print(f"案件 {d['id']} 已转为「{d['state_label']}」（版本 {d['version']}）"
              + (f"，期限 {d['deadline']['due']}" if d["deadline"] else ""))
    if d["deadline"] and d["deadline"]["note"]:
        out.print(f"[yellow]⚠ {d['deadline']['note']}[/yellow]")


@cases_app.command("overdue")
def overdue_cmd(as_user: Optional[str] = AS, office: Optional[int] = typer.Option(None, "--office", help="机构编号"),
                as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """逾期案件，按应办理的机构分组。"""
    from jiuye.cases import service

    with _session() as s:
        actor = _actor(s, as_user)
        service.refresh_deadlines(s)
        groups = service.overdue(s, actor, office_id=office)
    if as_json:
        _print_json({"as_of": service.today().isoformat(), "offices": groups})
        return
    if not groups:
        out.print("没有逾期案件")
    for g in groups:
        out.print(_cases_table(g["cases"], f"{g['district']} · {g['office']}：逾期 {len(g['cases'])} 件"))


@cases_app.command("create")
def create_cmd(
    procedure: str = typer.Argument(..., help="办理流程编号（jiuye cases procedures）"),
    profile: Optional[Path] = typer.Option(None, "--profile", help="情况 JSON 文件（与 jiuye screen 相同）"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="按哪一天的政策筛查（默认今天）"),
    as_user: Optional[str] = AS,
    id_number: Optional[str] = typer.Option(None, "--id-number", help="代为申请：申请人身份证号"),
    name: Optional[str] = typer.Option(None, "--name", help="代为申请：申请人姓名或单位名称"),
    credit_code: Optional[str] = typer.Option(None, "--credit-code", help="代为申请：统一社会信用代码"),
    field: list[str] = typer.Option([], "--field", help="流程字段 名称=值，如 hire_date=2026-11-02"),
) -> None:
    """从筛查结果建案（筛查结论、金额和原因按当天保存）。"""
    from jiuye.cases import service

    prof = json.loads(profile.read_text(encoding="utf-8")) if profile else {}
    fields = dict(f.split("=", 1) for f in field if "=" in f)
    with _session() as s:
        actor = _actor(s, as_user)
        try:
            day = dt.date.fromisoformat(as_of) if as_of else None
            case = service.create_case(s, actor, procedure, profile=prof, as_of=day, fields=fields,
                                       id_number=id_number, name=name, credit_code=credit_code)
        except (service.CaseError, ValueError) as exc:
            _fail(exc)
        d = service.case_summary(s, case, actor)
    out.print(f"已建案 {d['id']}：{d['procedure_name']}，状态「{d['state_label']}」，筛查结论「{_status(d['screening']['status'])}」")


@cases_app.command("import-batch")
def import_batch_cmd(
    file: Path = typer.Argument(..., help="批量筛查结果（CSV、JSON、JSONL 或 XLSX）"),
    procedure: str = typer.Option("job_retention_refund", "--procedure", help="为哪一事项建案（事项编号，默认稳岗返还 job_retention_refund）"),
    as_user: Optional[str] = AS,
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """免申即享：把批量筛查结果中「符合」的单位建为待确认案件，由经办人员逐户核实后发放（不会自动付款）。"""
    from jiuye.cases import service
    from jiuye.cases.batchfile import read_rows

    try:
        rows, digest = read_rows(file)
    except (OSError, ValueError, KeyError) as exc:
        _fail(ValueError(f"读不了 {file}：{exc}"))
    with _session() as s:
        actor = _actor(s, as_user)
        try:
            report = service.import_batch(s, actor, rows, procedure=procedure, source=file.name, source_sha256=digest)
        except service.CaseError as exc:
            _fail(exc)
    if as_json:
        _print_json(report)
        return
    out.print(f"新建待确认案件 {len(report['created'])} 件，已存在 {report['existing']} 件，跳过 {len(report['skipped'])} 行")
    for sk in report["skipped"][:50]:
        out.print(f"  第 {sk['row']} 行：{sk['reason']}")


@cases_app.command("procedures")
def procedures_cmd(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出办理流程（data/procedures/）：状态、办理角色、期限。"""
    from jiuye.cases import roles, service
    from jiuye.cases.procedures import get_procedures

    procs = get_procedures()
    if as_json:
        _print_json([service.procedure_view(p) for p in procs.values()])
        return
    from jiuye.knowledge.labels import labels
    from jiuye.knowledge.loader import get_knowledge

    kb = get_knowledge()
    docs = labels().document_short

    def where(ref) -> str:
        sections = kb.sections_of(ref.document, ref.quote)
        return f"{docs.get(ref.document, ref.document)} {sections[0] if sections else '（未找到所在小节）'}"

    by_policy: dict[str, list] = {}
    for p in procs.values():
        by_policy.setdefault(p.policy, []).append(p)
    ordered = [p for group in by_policy.values() for p in sorted(group, key=lambda x: (x.id != x.policy, x.id))]
    for p in ordered:
        siblings = len(by_policy[p.policy])
        policy_name = kb.policies[p.policy].name
        head = f"[bold]{p.name}[/bold]" + ("  免申即享" if p.no_application else "") + f"  ［命令中写：{p.id}］"
        if siblings > 1:
            head += f"  ［「{policy_name}」的 {siblings} 个流程之一：{p.variant}］"
        out.rule()
        out.print(head)  # printed, not the rule's title: a narrow terminal wraps it instead of cutting the code off
        out.print(f"  申请人：{'个人' if p.applicant == 'person' else '用人单位'}", markup=False)
        for ref in dict.fromkeys(where(x) for x in p.sources):
            out.print(f"  出处：{ref}", markup=False)
        for name, st in p.states.items():
            tl = f"  期限：{st.time_limit.text}" if st.time_limit else ""
            basis = f"  依据：{where(st.source)}" if st.source else ""
            guess = "  ［推定：资料未写明］" if st.assumption else ""
            out.print(f"  {st.label}" + (f"（{roles.label(st.role)}）" if st.role else "（办结）") + tl
                      + basis + guess + f"  ［状态代码：{name}］", markup=False)


@cases_app.command("add-user")
def add_user_cmd(
    username: str = typer.Argument(..., help="登录用的用户名"),
    role: str = typer.Option(..., "--role", help="申请人、社区、街道、旗县市中心、盟中心、人社局、财政局、管理员（或英文代码）"),
    office: Optional[int] = typer.Option(None, "--office", help="工作人员所属机构编号"),
    district: Optional[str] = typer.Option(None, "--district", help="所属旗县市（工作人员按辖区办理；盟本级写 兴安盟）"),
    name: Optional[str] = typer.Option(None, "--name", help="显示名；申请人为本人姓名或单位名称"),
    id_number: Optional[str] = typer.Option(None, "--id-number", help="个人申请人的身份证号"),
    credit_code: Optional[str] = typer.Option(None, "--credit-code", help="单位申请人的统一社会信用代码"),
    as_user: Optional[str] = AS,
) -> None:
    """新增用户（管理员办理）；新用户的密码取 $JIUYE_NEW_PASSWORD 或提示输入。"""
    from jiuye.cases import service
    from jiuye.cases.models import Office

    with _session() as s:
        actor = _actor(s, as_user)
        if actor.role != "admin":
            _fail(PermissionError("只有管理员可以新增用户"))
        password = os.environ.get("JIUYE_NEW_PASSWORD") or typer.prompt("新用户的密码", hide_input=True,
                                                                          confirmation_prompt=True)
        try:
            off = s.get(Office, office) if office else None
            if office and off is None:
                raise service.Invalid(f"没有编号为 {office} 的机构")
            person = service.ensure_person(s, id_number, name or "") if id_number else None
            ent = service.ensure_enterprise(s, credit_code, name or "", service.district_key(district)) if credit_code else None
            u = service.create_user(s, username, password, role, display_name=name, office=off, district=district,
                                    person=person, enterprise=ent)
        except (service.CaseError, ValueError) as exc:
            s.rollback()
            _fail(exc)
        out.print(f"已新增用户 {u.username}（{service.roles.label(u.role)}，{u.district or '全盟'}）")


@cases_app.command("verify-identity")
def verify_identity_cmd(
    username: str = typer.Argument(..., help="申请人账号（网上自行注册的）"),
    id_number: Optional[str] = typer.Option(None, "--id-number", help="个人账号：窗口核对身份证原件后录入的身份证号"),
    credit_code: Optional[str] = typer.Option(None, "--credit-code",
                                              help="单位账号：窗口核对营业执照后录入的统一社会信用代码"),
    as_user: Optional[str] = AS,
) -> None:
    """窗口核验申请人身份：核验后，工作人员代办或免申即享为其建立的案件才会在该账号中显示。"""
    from jiuye.cases import service

    with _session() as s:
        actor = _actor(s, as_user)
        try:
            u = service.verify_identity(s, actor, username, credit_code or id_number or "")
        except service.CaseError as exc:
            s.rollback()
            _fail(exc)
        out.print(f"已核验 {u.username}（{u.display_name}）的身份")

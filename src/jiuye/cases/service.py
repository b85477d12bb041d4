"""Case service: every rule about who may do what to which case, in one place. The API and the CLI
are thin layers over these functions; each function commits its own transaction, or rolls it back
whole (a failure half-way leaves the case and its audit trail exactly as they were).

This module holds the case's course (creating, moving, 免申即享 batches, reading, deadlines); it is also the
case domain's public face, re-exporting what the API, pages and CLI call from its neighbours: errors
(errors.py), accounts and logging in (accounts.py), who may see and act (access.py) and what is shown
(views.py).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jiuye.cases import roles
from jiuye.cases.access import MAX_ROW_ID, is_owner, load_case, may_take, valid_row_id, visibility  # noqa: F401
from jiuye.cases.accounts import (  # noqa: F401  (the case service's public face)
    VERIFIER_ROLES, create_user, ensure_enterprise, ensure_person, login, logout, user_for_token, verify_identity,
)
from jiuye.cases.common import _aware, _procedure, _scrub_json, _strip_ids, district_key  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound, Unauthorized  # noqa: F401
from jiuye.cases.lifecycle import _enter_state, _office_for, _record_event, state_deadline  # noqa: F401
from jiuye.cases.models import Case, CaseEvent, Enterprise, Office, Person, User, utcnow
from jiuye.cases.procedures import InvalidMove, Procedure, get_procedures
from jiuye.cases.security import scrub
from jiuye.cases.views import (  # noqa: F401
    applicant_view, attachment_view, case_detail, case_summary, deadline_view, event_view, offices_view,
    procedure_view, step_view, steps_view, user_view,
)
from jiuye.config import today
from jiuye.idcard import InvalidIdNumber, parse_id_number
from jiuye.knowledge.labels import labels

log = logging.getLogger("jiuye.cases")


# --- creating cases ----------------------------------------------------------------------------
@dataclass
class Applicant:
    person: Person | None = None
    enterprise: Enterprise | None = None
    user_id: int | None = None


def _screening_snapshot(proc: Procedure, profile: dict, as_of: dt.date) -> dict:
    from jiuye.cases import parameter_sync
    from jiuye.screening import ProfileError, default_screener

    parameter_sync.ensure_current()  # another worker may have changed a rules parameter
    try:
        result = default_screener().screen(profile, as_of)
    except ProfileError as exc:
        raise Invalid("情况（profile）有误：" + "；".join(e["message"] for e in exc.errors), errors=exc.errors,
                      field="profile." + exc.errors[0]["field"] if exc.errors else "profile") from None
    pr = next((r for r in result.results if r.policy == proc.policy), None)
    if pr is None:
        raise Invalid(f"筛查结果中没有政策「{proc.policy}」")
    return {"as_of": as_of.isoformat(), "kind": "screening", "district": result.district,
            "profile": _strip_ids(profile), "result": pr.model_dump(mode="json")}


def _check_fields(proc: Procedure, fields: dict | None) -> dict:
    fields = dict(fields or {})
    unknown = set(fields) - set(proc.fields)
    if unknown:
        raise Invalid(f"「{proc.name}」没有字段 {sorted(unknown)}；可填：{proc.fields or '无'}", field="fields")
    for name, text in proc.fields.items():
        if name not in fields or fields[name] in (None, ""):
            raise Invalid(f"请填写「{text}」（fields.{name}）", field=f"fields.{name}")
        if name.endswith("_date"):
            try:
                day = dt.date.fromisoformat(str(fields[name]))
            except ValueError:
                raise Invalid(f"「{text}」应为日期 YYYY-MM-DD，实际为「{fields[name]}」", field=f"fields.{name}") from None
            if day > today():
                raise Invalid(f"「{text}」{day} 晚于今天", field=f"fields.{name}")
            fields[name] = day.isoformat()
    return fields


def create_case(s: Session, actor: User, procedure: str, *, profile: dict | None = None,
                as_of: dt.date | None = None, fields: dict | None = None, district: str | None = None,
                id_number: str | None = None, name: str | None = None, credit_code: str | None = None,
                office_id: int | None = None, snapshot: dict | None = None) -> Case:
    """An application, started from a screening result computed now for `profile` on `as_of` and
    saved as it was (status, amount, reasons). Applicants apply for themselves; 社区 and centre
    staff file on behalf of an applicant (身份证号 + 姓名, or 统一社会信用代码 + 单位名称) in their
    own district. Refused when the screening says 不符合 or 期限已过."""
    try:
        case = _create_case(s, actor, procedure, profile=profile, as_of=as_of, fields=fields, district=district,
                            id_number=id_number, name=name, credit_code=credit_code, office_id=office_id,
                            snapshot=snapshot)
        s.commit()
        return case
    except BaseException:
        s.rollback()
        raise


def _create_case(s: Session, actor: User, procedure: str, *, profile, as_of, fields, district, id_number, name,
                 credit_code, office_id, snapshot) -> Case:
    proc = _procedure(procedure)
    if proc.no_application:
        raise Invalid(f"「{proc.name}」免申即享，不受理申请：由批量筛查结果建案（jiuye cases import-batch）后经办人员确认")
    day = today()
    as_of = _case_as_of(actor, as_of, day)
    profile = dict(profile or {})
    # who is applying
    applicant = Applicant()
    if actor.role == "applicant":
        if id_number or credit_code:
            raise Forbidden("申请人只能为本人（本单位）申请")
        applicant.user_id = actor.id
        if proc.applicant == "person":
            if actor.person_id is None:
                raise Invalid(f"「{proc.name}」须由个人申请，您的账号是单位账号")
            applicant.person = s.get(Person, actor.person_id)
        else:
            if actor.enterprise_id is None:
                raise Invalid(f"「{proc.name}」须由用人单位申请，您的账号是个人账号")
            applicant.enterprise = s.get(Enterprise, actor.enterprise_id)
        district = district_key(district or profile.get("district") or
                                (applicant.enterprise.district if applicant.enterprise else None))
    elif actor.role in ("community", "street", "county_center", "league_center"):
        district = district_key(district or profile.get("district") or actor.district)
        if district != actor.district:
            raise Forbidden(f"您只能受理{actor.district}的申请，不能为{district}建案")
        if proc.applicant == "person":
            if not id_number:
                raise Invalid("代为申请须填写申请人的身份证号和姓名", field="id_number")
            applicant.person = ensure_person(s, id_number, name or "")
        else:
            if not credit_code:
                raise Invalid("代为申请须填写单位的统一社会信用代码和名称", field="credit_code")
            applicant.enterprise = ensure_enterprise(s, credit_code, name or "", district)
        office_id = actor.office_id
    else:
        raise Forbidden(f"{roles.label(actor.role)}不受理申请")
    if proc.applicant == "person" and actor.role == "applicant" and not profile.get("id_number"):
        # the account's own 身份证号: a birth date or sex in the profile that contradicts it is refused
        # by the screening's consistency checks (422 naming profile.birth_date / profile.sex)
        profile["id_number"] = applicant.person.id_number
    if proc.applicant == "person" and profile.get("id_number"):
        try:
            pid = parse_id_number(profile["id_number"], today=day).number
        except InvalidIdNumber as exc:
            raise Invalid(f"profile.id_number 身份证号无效：{exc}", field="profile.id_number") from None
        if pid != applicant.person.id_number:
            raise Invalid("情况（profile）中的身份证号与申请人不一致", field="profile.id_number")
    if profile.get("district") and district_key(profile["district"]) != district:
        raise Invalid(f"情况中的旗县市「{profile['district']}」与受理地「{district}」不一致", field="district")
    profile.setdefault("district", district)
    if office_id is not None:
        office = s.get(Office, office_id)
        if office is None or office.district != district:
            raise Invalid(f"受理机构 {office_id} 不在{district}", field="office_id")
    fields = _check_fields(proc, fields)
    snap = snapshot or _screening_snapshot(proc, profile, as_of)
    snap = _scrub_json(snap)
    status = snap["result"]["status"]
    if status in ("not_eligible", "window_closed"):
        why = "；".join(r["text"] for r in snap["result"].get("reasons", []) if r.get("state") in ("not_met", "info"))[:600]
        raise Invalid(f"按 {snap['as_of']} 的政策筛查，「{proc.name}」{'不符合条件' if status == 'not_eligible' else '受理期限已过'}，"
                      f"不能建案" + (f"：{why}" if why else ""), screening_status=status)
    start = proc.start
    if actor.role in ("county_center", "league_center") and proc.window_start:
        start = proc.window_start
    amount = snap["result"].get("amount_fen")
    case = Case(procedure=proc.id, policy=proc.policy, state=start, district=district, office_id=office_id,
                person_id=applicant.person.id if applicant.person else None,
                enterprise_id=applicant.enterprise.id if applicant.enterprise else None,
                applicant_user_id=applicant.user_id, created_by_id=actor.id,
                channel="online" if actor.role == "applicant" else "window", fields=fields, screening=snap,
                screening_as_of=dt.date.fromisoformat(snap["as_of"]), screening_status=status, amount_fen=amount,
                created_at=utcnow(), state_entered_on=day, due_approximate=False, final=False)
    _enter_state(s, case, proc, start, day)
    s.add(case)
    s.flush()
    _record_event(s, case, actor, "created", None, start, f"建案：{proc.name}",
                  {"screening_status": status, "amount_fen": amount, "as_of": snap["as_of"]},
                  transition_no=case.version)
    return case


def _case_as_of(actor: User, as_of: dt.date | None, day: dt.date) -> dt.date:
    """The date an application is screened on: today for an applicant (who cannot choose it);
    staff may choose one inside the rules' supported range (kept in the snapshot and the audit row)."""
    from jiuye.rules.period import AsOfOutOfRange, check_as_of

    if actor.role == "applicant":
        if as_of is not None and as_of != day:
            raise Invalid(f"申请人的申请按今天（{day.isoformat()}）的政策筛查，不能指定日期（as_of）", field="as_of")
        return day
    try:
        return check_as_of(as_of or day)
    except AsOfOutOfRange as exc:
        raise Invalid(str(exc), field="as_of") from None


# --- moving cases ------------------------------------------------------------------------------
def transition(s: Session, actor: User, case_id: int, to_state: str, *, comment: str | None = None,
               expected_version: int | None = None) -> Case:
    """Move a case one step along its procedure. Exactly one of two concurrent reviewers succeeds:
    the UPDATE carries the version that was read (optimistic lock), the audit row is written in
    the same transaction, and (case_id, transition_no) is unique."""
    try:
        case = _transition(s, actor, case_id, to_state, comment, expected_version)
        s.commit()
        return case
    except StaleDataError:
        s.rollback()
        raise Conflict("该案件刚刚已被他人处理，请刷新后再办理", case_id=case_id) from None
    except IntegrityError as exc:
        s.rollback()
        if "uq_case_events_transition" in str(exc.orig) or "case_events" in str(exc.orig):
            raise Conflict("该案件刚刚已被他人处理，请刷新后再办理", case_id=case_id) from None
        raise
    except OperationalError as exc:
        s.rollback()
        if "locked" in str(exc.orig) or "busy" in str(exc.orig) or "could not serialize" in str(exc.orig):
            raise Conflict("该案件正被他人处理，请稍后刷新再试", case_id=case_id) from None
        raise
    except BaseException:
        s.rollback()
        raise


def _transition(s: Session, actor: User, case_id: int, to_state: str, comment: str | None,
                expected_version: int | None) -> Case:
    case = load_case(s, actor, case_id, light=True)
    if expected_version is not None and expected_version != case.version:
        raise Conflict(f"该案件已被他人处理（您看到的是第 {expected_version} 版，现在是第 {case.version} 版，"
                       f"状态「{get_procedures()[case.procedure].state_label(case.state)}」），请刷新后再办理",
                       case_id=case.id, version=case.version)
    proc = _procedure(case.procedure)
    try:
        move = proc.find_move(case.state, to_state)
    except InvalidMove as exc:
        raise Invalid(str(exc), state=case.state, moves=[m.to for m in exc.options]) from None
    ok, why = may_take(actor, case, move.role)
    if not ok:
        raise Forbidden(f"不能办理「{move.action}」：{why}")
    if move.comment_required and not (comment or "").strip():
        raise Invalid(f"「{move.action}」须填写意见（comment）", field="comment")
    day = today()
    tl = proc.states[case.state].time_limit
    if tl is not None and tl.hold and not move.early and case.due_on is not None and day <= case.due_on:
        raise Invalid(f"{tl.text}：期满日为 {case.due_on.isoformat()}，期满后才能「{move.action}」"
                      + (f"（{case.due_note}）" if case.due_note else ""), due=case.due_on.isoformat())
    from_state = case.state
    data: dict[str, Any] = {"action": move.action}
    if move.recurring:  # the n-th time this step is taken on the case (第 n 次发放)
        done = s.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "transition",
            CaseEvent.from_state == from_state, CaseEvent.to_state == to_state))
        data["count"] = (done or 0) + 1
    _enter_state(s, case, proc, to_state, day, stay=move.recurring)
    s.flush()  # UPDATE cases ... WHERE id = ? AND version = ?  (StaleDataError if someone else won)
    _record_event(s, case, actor, "transition", from_state, to_state, comment, data,
                  transition_no=case.version)
    from jiuye.cases import tracking  # the applicant's message about the step, in the same transaction

    tracking.on_transition(s, case, proc, from_state, to_state, comment)
    from jiuye.cases import hooks  # another domain's rows that follow the step (公益性岗位 places), same transaction

    hooks.on_transition(s, case, actor, from_state, to_state, comment)
    return case


# --- 免申即享: cases from a batch result -----------------------------------------------------------
def import_batch(s: Session, actor: User, rows: Iterable[dict], *, procedure: str = "job_retention_refund",
                 source: str = "", source_sha256: str = "", as_of: dt.date | None = None) -> dict:
    """Create 待确认 cases from batch screening rows (one enterprise or person each) for staff to
    check and confirm: nothing is paid by the import. Rows that are not `eligible`, belong to
    another district, or were imported before are reported, not imported."""
    from jiuye.cases.batchfile import normalise_row

    proc = _procedure(procedure)
    if not proc.no_application:
        raise Invalid(f"「{proc.name}」不是免申即享事项，须由申请人申请")
    if actor.role not in ("county_center", "league_center", "admin"):
        raise Forbidden("只有就业服务中心人员（或管理员）可以导入免申即享名单")
    report = {"procedure": proc.id, "source": source, "created": [], "existing": 0, "skipped": []}
    day = today()
    if as_of is not None:
        as_of = _case_as_of(actor, as_of, day)
    try:
        for i, raw in enumerate(rows, 1):
            try:
                row = normalise_row(raw, proc.policy)
            except ValueError as exc:
                report["skipped"].append({"row": i, "reason": scrub(str(exc))})
                continue
            if row is None:
                continue  # another policy's row
            if row["status"] != "eligible":
                report["skipped"].append({"row": i, "reason": f"筛查结论为「{labels().of('screening_status', row['status'])}」，不建案"})
                continue
            try:
                district = district_key(row["district"])
            except Invalid as exc:
                report["skipped"].append({"row": i, "reason": str(exc)})
                continue
            if actor.role != "admin" and district != actor.district:
                report["skipped"].append({"row": i, "reason": f"属于{district}，不在您的辖区（{actor.district}）"})
                continue
            key_src = f"{proc.id}|{row['subject_key']}|{row['as_of'] or (as_of or day).isoformat()}"
            import hashlib

            key = hashlib.sha256(key_src.encode()).hexdigest()
            if s.scalar(select(Case.id).where(Case.dedupe_key == key)) is not None:
                report["existing"] += 1
                continue
            with s.begin_nested():
                try:
                    if proc.applicant == "enterprise":
                        ent, person = ensure_enterprise(s, row["credit_code"], row["name"], district), None
                    else:
                        ent, person = None, ensure_person(s, row["id_number"], row["name"])
                except Invalid as exc:
                    report["skipped"].append({"row": i, "reason": str(exc)})
                    continue
                snap = _scrub_json({"as_of": row["as_of"] or (as_of or day).isoformat(), "kind": "batch",
                                    "source": {"file": source, "sha256": source_sha256, "row": i},
                                    "result": row["result"]})
                case = Case(procedure=proc.id, policy=proc.policy, state=proc.start, district=district,
                            person_id=person.id if person else None, enterprise_id=ent.id if ent else None,
                            applicant_user_id=None, created_by_id=actor.id, channel="batch", fields={},
                            screening=snap, screening_as_of=dt.date.fromisoformat(snap["as_of"]),
                            screening_status="eligible", amount_fen=row["result"].get("amount_fen"),
                            dedupe_key=key, created_at=utcnow(), state_entered_on=day, due_approximate=False,
                            final=False)
                _enter_state(s, case, proc, proc.start, day)
                s.add(case)
                s.flush()
                _record_event(s, case, actor, "created", None, proc.start,
                              f"免申即享：由批量筛查结果建案（{source or '名单'} 第 {i} 行），待经办人员核实确认",
                              {"screening_status": "eligible", "amount_fen": case.amount_fen},
                              transition_no=case.version)
                report["created"].append(case.id)
        s.commit()
    except BaseException:
        s.rollback()
        raise
    return report


# --- reading -------------------------------------------------------------------------------------
def list_cases(s: Session, actor: User, *, state: str | None = None, procedure: str | None = None,
               district: str | None = None, overdue_only: bool = False, include_final: bool = True,
               limit: int = 100, offset: int = 0) -> tuple[int, list[Case]]:
    q = select(Case).where(visibility(actor))
    if state:
        q = q.where(Case.state == state)
    if procedure:
        q = q.where(Case.procedure == _procedure(procedure).id)
    if district:
        q = q.where(Case.district == district_key(district))
    if not include_final:
        q = q.where(Case.final.is_(False))
    if overdue_only:
        q = q.where(Case.final.is_(False), Case.due_on.is_not(None), Case.due_on < today())
    total = s.scalar(select(func.count()).select_from(q.subquery()))
    rows = list(s.scalars(q.order_by(Case.id.desc()).limit(limit).offset(offset)))
    return total or 0, rows


def refresh_deadlines(s: Session) -> int:
    """Recompute the deadlines that were counted without holidays, once holiday data for their
    year exists (data/holidays/). Returns how many changed."""
    changed = 0
    for case in s.scalars(select(Case).where(Case.due_approximate.is_(True), Case.final.is_(False))):
        proc = get_procedures().get(case.procedure)
        if proc is None:
            continue
        d = state_deadline(proc, case.state, case.fields or {}, case.state_entered_on)
        if d is not None and not d.approximate:
            # deadlines are derived data, not part of the review: no version bump, no audit row
            s.execute(Case.__table__.update().where(Case.id == case.id)
                      .values(due_on=d.due, due_approximate=False, due_note=None))
            changed += 1
    s.commit()
    return changed


def overdue(s: Session, actor: User, *, office_id: int | None = None, on: dt.date | None = None) -> list[dict]:
    """Cases past their deadline, grouped by the office that has to act (the applicant, for a
    registration not yet filed)."""
    day = on or today()
    q = (select(Case).where(visibility(actor), Case.final.is_(False), Case.due_on.is_not(None), Case.due_on < day)
         .order_by(Case.due_on, Case.id))
    if office_id is not None:
        q = q.where(Case.assigned_office_id == office_id)
    groups: dict[Any, dict] = {}
    for case in s.scalars(q):
        office = s.get(Office, case.assigned_office_id) if case.assigned_office_id else None
        key = office.id if office else None
        g = groups.setdefault(key, {"office_id": key, "office": office.name if office else "申请人（尚未提交）",
                                    "district": office.district if office else case.district, "cases": []})
        g["cases"].append(case_summary(s, case, actor, on=day))
    return sorted(groups.values(), key=lambda g: (g["district"], g["office"]))


def open_report(s: Session, procedure: str, *, district: str, person_id: int, applicant_user_id: int | None,
                fields: dict, summary: str, dedupe_key: str) -> Case:
    """A case opened by another domain's service for a person who did not apply at a window (a 零工
    worker's wage-arrears report, jiuye.gig): no screening; the acting office follows from the
    procedure's first state. Idempotent by `dedupe_key`. Flushes, does not commit."""
    existing = s.scalar(select(Case).where(Case.dedupe_key == dedupe_key))
    if existing is not None:
        return existing
    proc = _procedure(procedure)
    day = today()
    district = district_key(district)
    snap = {"as_of": day.isoformat(), "kind": "report", "district": district,
            "result": {"status": "needs_information", "reasons": [{"text": scrub(summary)[:300], "state": "info"}]}}
    case = Case(procedure=proc.id, policy=proc.policy, state=proc.start, district=district,
                person_id=person_id, applicant_user_id=applicant_user_id,
                channel="report", fields=_scrub_json(fields), screening=snap,
                screening_as_of=day, screening_status="needs_information", amount_fen=fields.get("amount_fen"),
                created_at=utcnow(), state_entered_on=day, due_approximate=False, final=False, dedupe_key=dedupe_key)
    _enter_state(s, case, proc, proc.start, day)
    s.add(case)
    s.flush()
    _record_event(s, case, None, "created", None, proc.start, f"建案：{proc.name}（系统转交）", {"summary": scrub(summary)},
                  transition_no=case.version)
    return case


__all__ = [
    "CaseError", "Conflict", "Forbidden", "Invalid", "NotFound", "Unauthorized", "case_detail", "case_summary",
    "create_case", "create_user", "ensure_enterprise", "ensure_person", "import_batch", "list_cases", "load_case",
    "login", "logout", "open_report", "overdue", "refresh_deadlines", "transition", "user_for_token",
]

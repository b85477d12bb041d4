"""Completion: the provider records each learner's assessment result and certificate; a learner who
passed (with enough attendance) has their subsidy cases OPENED by the system (免申即享) through the
cases service (jiuye.cases.auto) — 职业培训补贴 (to the learner or the provider: "谁垫付、谁申领"),
培训期间生活费补贴 for the groups the rules name, 劳动预备制 生活费补贴, 创业培训 — each with the screening
result of the day (the rules check ≤ 3 a year and no repeat of an occupation and level), the
attendance sheet and the certificate attached, and the anomaly flags. A policy whose procedure file
is missing (data/procedures/) waits as a claim ("waiting_procedure") and is opened by
`retry_waiting` once it exists. The learner is told through the outbox; the voucher is closed."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import auto
from jiuye.cases.models import Person, User
from jiuye.training import anomalies, attendance, courses, eligibility
from jiuye.training.common import Invalid, clock, commit, money, record, text
from jiuye.training.models import Attendance, Claim, Course, Enrolment, Voucher
from jiuye.training.settings import settings

CERTIFICATES = ("职业资格证书", "职业技能等级证书", "专项职业能力证书", "特种作业操作证书", "培训合格证书", "创业培训合格证书")
CLAIM_LABELS = {"opened": "已自动建案", "waiting_procedure": "待办理流程上线后建案", "not_eligible": "不符合条件，未建案",
                "needs_information": "还需要信息，未建案（可到经办机构补充后申请）"}


# "谁垫付、谁申领" (000 五(一)9): the training fee's payer claims. 000 writes it for 职业培训补贴; the
# 创业培训 procedure (data/procedures/entrepreneurship_training.yaml) takes it over, marked 推定.
PAYEE_BY_WHO_PAID = ("vocational_training_subsidy", "entrepreneurship_training")


def _payee(policy: str, e: Enrolment) -> str:
    if policy in PAYEE_BY_WHO_PAID and not e.paid_by_learner:
        return "provider"
    return "person"


def complete(s: Session, user: User, course_id: int, results: list[dict]) -> dict:
    """results: [{enrolment_id, result: passed|failed, certificate_kind, certificate_no}]."""
    try:
        c = courses.must(s, user, course_id, "complete")
        if not results:
            raise Invalid("请至少填写一名学员的考核结果", field="results")
        share = settings().sign_in.min_attendance_share
        report = {"completed": [], "failed": [], "claims": []}
        for i, row in enumerate(results, 1):
            e = s.get(Enrolment, int(row.get("enrolment_id") or 0))
            if e is None or e.course_id != c.id:
                raise Invalid(f"第 {i} 行：这门课程没有这名学员", field=f"results.{i}.enrolment_id")
            if e.state != "enrolled":
                continue  # already assessed (or withdrawn): idempotent
            result = row.get("result")
            if result not in ("passed", "failed"):
                raise Invalid(f"第 {i} 行：考核结果应为 合格 或 不合格", field=f"results.{i}.result")
            if result == "passed":
                kind = row.get("certificate_kind")
                if kind not in CERTIFICATES:
                    raise Invalid(f"第 {i} 行：证书种类应为：{'、'.join(CERTIFICATES)}", field=f"results.{i}.certificate_kind")
                e.certificate_kind = kind
                e.certificate_no = text(row.get("certificate_no"), f"results.{i}.certificate_no", f"第 {i} 行证书编号", limit=60)
                days = s.query(Attendance).filter(Attendance.enrolment_id == e.id).count()
                if days < share * c.days:
                    raise Invalid(f"第 {i} 行：出勤 {days} 天，不到培训天数 {c.days} 天的 {share:.0%}，不能按合格结业",
                                  field=f"results.{i}.result")
            e.result, e.completed_on = result, clock.today()
            e.state = "completed" if result == "passed" else "failed"
            (report["completed"] if result == "passed" else report["failed"]).append(e.id)
        if c.state == "opened" and c.end_on <= clock.today():
            c.state = "finished"
        s.flush()
        course_flags = anomalies.course_flags(s, c)
        for eid in report["completed"]:
            report["claims"] += [claim_view(x) for x in _open_claims(s, c, s.get(Enrolment, eid), course_flags)]
        record(s, user, "completed", provider_id=c.provider_id, course_id=c.id,
               data={"passed": len(report["completed"]), "failed": len(report["failed"])})
        commit(s)
        return report
    except BaseException:
        s.rollback()
        raise


def _evidence(s: Session, c: Course, e: Enrolment) -> list[tuple[str, str, str, bytes]]:
    rows = attendance.sheet_rows(s, c.id, enrolment_id=e.id)
    cert = json.dumps({"课程": c.title, "培训机构": c.provider.name, "职业": c.occupation_name, "等级": c.level,
                       "课时": c.hours, "天数": c.days, "开班": c.start_on.isoformat(), "结业": c.end_on.isoformat(),
                       "考核结果": "合格", "证书种类": e.certificate_kind, "证书编号": e.certificate_no,
                       "出勤天数": len(rows)}, ensure_ascii=False, indent=1).encode("utf-8")
    return [("培训签到表", f"签到表-{c.id}-{e.id}.csv", "text/csv", attendance.sheet_csv(rows, c)),
            ("培训合格证书", f"证书记录-{c.id}-{e.id}.json", "application/json", cert)]


def _open_claims(s: Session, c: Course, e: Enrolment, course_flags: list[dict]) -> list[Claim]:
    person = s.get(Person, e.person_id)
    today = clock.today()
    flags = course_flags + anomalies.learner_flags(s, e)
    results = eligibility.screen(s, c, id_number=person.id_number, groups=e.profile or {}, person_id=person.id,
                                 as_of=today, exclude_enrolment=e.id)
    claims, opened = [], []
    for r in results:
        if s.scalar(select(Claim.id).where(Claim.enrolment_id == e.id, Claim.policy == r["policy"])):
            continue
        payee = _payee(r["policy"], e)
        claim = Claim(enrolment_id=e.id, person_id=person.id, policy=r["policy"], payee=payee, flags=flags,
                      screening_status=r["status"], amount_fen=r["amount_fen"], year=today.year,
                      occupation_code=c.occupation_code, level=c.level, created_at=clock.now(), state="not_eligible")
        if r["status"] in ("not_eligible", "window_closed"):
            claim.reason = "；".join(r["reasons"])[:600] or "按规则不符合"
        elif r["status"] == "needs_information":
            claim.state = "needs_information"
            claim.reason = "；".join(r["reasons"])[:600] or "还需要信息"
        else:
            snapshot = dict(r["snapshot"], payee=payee, payee_label="培训机构（代为申请）" if payee == "provider" else "学员本人",
                            provider=c.provider.name, course_id=c.id, enrolment_id=e.id, flags=flags)
            try:
                case = auto.open_for_person(
                    s, r["policy"], person_id=person.id, district=c.district, snapshot=snapshot,
                    dedupe_key=hashlib.sha256(f"training|{e.id}|{r['policy']}".encode()).hexdigest(),
                    note=f"免申即享：{c.provider.name}「{c.title}」结业合格，系统自动建案（附签到表和证书记录）",
                    evidence=_evidence(s, c, e))
                claim.state, claim.case_id = "opened", case.id
                opened.append(r)
            except auto.ProcedureMissing:
                claim.state = "waiting_procedure"
                claim.reason = f"办理流程 data/procedures/{r['policy']}.yaml 尚未上线，上线后自动建案"
        s.add(claim)
        claims.append(claim)
    if e.voucher_id:
        v = s.get(Voucher, e.voucher_id)
        if v and v.state == "used":
            v.state, v.closed_on = "closed", today
    _tell(s, c, e, claims, results)
    s.flush()
    return claims


def _tell(s: Session, c: Course, e: Enrolment, claims: list[Claim], results: list[dict]) -> None:
    owner = s.get(User, e.user_id) if e.user_id else None
    if owner is None:
        return
    from jiuye.market.notify import notify_user

    names = {r["policy"]: r["name"] for r in results}
    lines = [f"{names.get(x.policy, x.policy)}：{CLAIM_LABELS[x.state]}"
             + (f"（{money(x.amount_fen)}）" if x.state == "opened" and x.amount_fen else "") for x in claims]
    notify_user(s, owner, "training_completed", title=f"「{c.title}」结业合格", phone=e.phone,
                body="；".join(lines) or "没有可自动办理的补贴", link="/my")


def retry_waiting(s: Session) -> int:
    """Open the cases of claims that waited for a procedure file that now exists."""
    n = 0
    for claim in s.scalars(select(Claim).where(Claim.state == "waiting_procedure")).all():
        if not auto.procedure_exists(claim.policy):
            continue
        e = s.get(Enrolment, claim.enrolment_id)
        c = e.course
        person = s.get(Person, e.person_id)
        r = next((x for x in eligibility.screen(s, c, id_number=person.id_number, groups=e.profile or {},
                                                person_id=person.id, as_of=clock.today(), exclude_enrolment=e.id)
                  if x["policy"] == claim.policy), None)
        if r is None or r["status"] != "eligible":
            continue
        case = auto.open_for_person(
            s, claim.policy, person_id=person.id, district=c.district,
            snapshot=dict(r["snapshot"], payee=claim.payee, course_id=c.id, enrolment_id=e.id, flags=claim.flags),
            dedupe_key=hashlib.sha256(f"training|{e.id}|{claim.policy}".encode()).hexdigest(),
            note=f"免申即享：{c.provider.name}「{c.title}」结业合格，办理流程上线后系统自动建案", evidence=_evidence(s, c, e))
        claim.state, claim.case_id, claim.reason = "opened", case.id, None
        n += 1
    s.commit()
    return n


def claim_view(x: Claim) -> dict:
    return {"id": x.id, "enrolment_id": x.enrolment_id, "policy": x.policy, "state": x.state,
            "state_label": CLAIM_LABELS[x.state], "case_id": x.case_id, "payee": x.payee,
            "payee_label": "培训机构（代为申请）" if x.payee == "provider" else "学员本人",
            "amount": money(x.amount_fen) if x.amount_fen else "待定", "amount_fen": x.amount_fen,
            "screening_status": x.screening_status, "reason": x.reason, "flags": x.flags}

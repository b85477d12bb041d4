"""Filing at the window (issue 17, item 2): a person or a 用人单位 comes to a 社区, 街道 or 就业服务中心
with their papers; staff find or register them (身份证号 checked by GB 11643, the 《就业创业证》 number
against the one recorded; 统一社会信用代码 by GB 32100), screen as of today, open the case with each
material ticked received or missing, and print a 受理回执 and, where something is missing, a
一次性告知书 (jiuye.cases.receipts).

Generic over every procedure in data/procedures/ that takes applications. Who may file: the
front-line and centre staff of the district the case belongs to (`may_file`, a table test covers
every role × district). Everything is written in one transaction with its audit rows.
"""
from __future__ import annotations


import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases import service as svc
from jiuye.cases.models import Case, Enterprise, Office, Person, User, utcnow
from jiuye.cases.procedures import Procedure, get_procedures, materials_of
from jiuye.cases.security import mask_credit_code, mask_id_number, validate_credit_code, InvalidCreditCode
from jiuye.cases.window_models import EmploymentCard, WindowFiling
from jiuye.config import today
from jiuye.idcard import InvalidIdNumber, parse_id_number

# The staff who receive applications at a window (the same roles as service.create_case accepts).
FILING_ROLES = ("community", "street", "county_center", "league_center")
CARD_RE = re.compile(r"^[0-9A-Z]{6,30}$")


def may_file(actor: User, district: str | None) -> tuple[bool, str | None]:
    """May `actor` file a case at the window for an applicant of `district`? (yes/no, why not)"""
    if actor.role not in FILING_ROLES:
        return False, f"{roles.label(actor.role)}不在窗口受理申请（由社区、街道或就业服务中心受理）"
    if not actor.district:
        return False, "您的账号没有所属旗县市"
    if district and district != actor.district:
        return False, f"您只能受理{actor.district}的申请，不能为{district}建案"
    return True, None


def may_print(actor: User, case: Case) -> tuple[bool, str | None]:
    """Receipts of a window filing: staff who may file in the case's district, and the applicant."""
    if actor.role == "applicant":
        return (True, None) if svc.is_owner(actor, case) else (False, "只能查看本人的回执")
    return may_file(actor, case.district)


def window_procedures(kind: str | None = None) -> list[Procedure]:
    """The procedures a window can open (免申即享 ones are made from batch results, not filed)."""
    return [p for p in get_procedures().values() if not p.no_application and (kind is None or p.applicant == kind)]


def card_number(raw: str | None) -> str | None:
    """A 《就业创业证》 number as typed (spaces and dashes dropped, upper case), or None when empty.
    000 gives no format for the number, only that it is unique; accepted: 6–30 digits and letters
    (推定（资料未写明编号格式）)."""
    text = re.sub(r"[\s\-－]", "", raw or "").upper()
    if not text:
        return None
    if not CARD_RE.fullmatch(text):
        raise svc.Invalid("《就业创业证》编号应为 6–30 位数字或字母，请按证件录入", field="card_number")
    return text


def identify_person(s: Session, id_number: str, name: str, card: str | None) -> dict:
    """Who stands at the window: the person registered under this 身份证号 (the name must agree),
    or a new one; the 《就业创业证》 number checked against the recorded one. Reads only."""
    try:
        info = parse_id_number(id_number, today=today())
    except InvalidIdNumber as exc:
        raise svc.Invalid(f"身份证号无效：{exc}", field="id_number") from None
    card = card_number(card)
    person = s.scalar(select(Person).where(Person.id_number == info.number))
    name = (name or "").strip()
    if person is None and not name:
        raise svc.Invalid("新登记的申请人须填写姓名", field="name")
    if person is not None and name and person.name != name:
        raise svc.Invalid("该身份证号已登记在另一姓名下，请核对身份证原件", field="name")
    card_state = _card_state(s, person, card)
    return {"kind": "person", "registered": person is not None, "name": person.name if person else name,
            "masked": mask_id_number(info.number), "birth_date": info.birth_date.isoformat(), "sex": info.sex,
            "card": card_state, "card_number": card}


def _card_state(s: Session, person: Person | None, card: str | None) -> str:
    """none (no card shown) | matched | new (recorded on filing); Invalid on a mismatch."""
    recorded = s.scalar(select(EmploymentCard).where(EmploymentCard.person_id == person.id)) if person else None
    if card is None:
        return "none"
    if recorded is not None:
        if recorded.number != card:
            raise svc.Invalid("《就业创业证》编号与登记的不一致（一人只持一本证，更换、补发时编号不变），请核对证件",
                              field="card_number")
        return "matched"
    other = s.scalar(select(EmploymentCard.person_id).where(EmploymentCard.number == card))
    if other is not None:
        raise svc.Invalid("该《就业创业证》编号已登记在他人名下，请核对证件", field="card_number")
    return "new"


def identify_enterprise(s: Session, credit_code: str, name: str) -> dict:
    try:
        code = validate_credit_code(credit_code)
    except InvalidCreditCode as exc:
        raise svc.Invalid(f"统一社会信用代码：{exc}", field="credit_code") from None
    ent = s.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    name = (name or "").strip()
    if ent is None and not name:
        raise svc.Invalid("新登记的单位须填写单位名称", field="name")
    return {"kind": "enterprise", "registered": ent is not None, "name": ent.name if ent else name,
            "masked": mask_credit_code(code), "district": ent.district if ent else None}


def _materials(proc: Procedure, received: list[str], not_applicable: list[str]) -> tuple[list, list, list]:
    """(received, missing, not applicable), each in checklist order. Every material is one of the
    three; only a conditional item (「残疾人：《残疾证》」: a condition before the colon) may be
    marked not applicable."""
    listed = materials_of(proc)
    for field, names in (("received", received), ("not_applicable", not_applicable)):
        unknown = [m for m in names if m not in listed]
        if unknown:
            raise svc.Invalid(f"「{proc.name}」的材料清单中没有「{unknown[0]}」", field=field)
    both = [m for m in received if m in not_applicable]
    if both:
        raise svc.Invalid(f"「{both[0]}」不能既勾选已收又勾选不适用", field="not_applicable")
    unconditional = [m for m in not_applicable if not conditional(m)]
    if unconditional:
        raise svc.Invalid(f"「{unconditional[0]}」是每位申请人都要提供的材料，不能标为不适用", field="not_applicable")
    got = [m for m in listed if m in received]
    na = [m for m in listed if m in not_applicable]
    return got, [m for m in listed if m not in received and m not in not_applicable], na


def conditional(material: str) -> bool:
    """A checklist item that applies only to some applicants: 「条件：材料」 (e.g. 残疾人：《残疾证》)."""
    head, sep, _ = material.partition("：")
    return bool(sep) and 0 < len(head) <= 30 and "（" not in head


def file_at_window(s: Session, actor: User, procedure: str, *, profile: dict | None = None,
                   fields: dict | None = None, received: list[str] | None = None,
                   not_applicable: list[str] | None = None, district: str | None = None,
                   id_number: str | None = None, name: str | None = None, card: str | None = None,
                   credit_code: str | None = None) -> tuple[Case, WindowFiling]:
    """Open the case (service.create_case's rules: screened as of today, refused when 不符合 or past
    its window), record the materials received and missing, the 《就业创业证》 number, the audit rows
    and a message to the applicant's account. All or nothing."""
    try:
        key = svc.district_key(district or (profile or {}).get("district") or actor.district)
        ok, why = may_file(actor, key)
        if not ok:
            raise svc.Forbidden(why)
        proc = svc._procedure(procedure)
        if proc.no_application:
            raise svc.Invalid(f"「{proc.name}」免申即享，不在窗口受理")
        got, missing, na = _materials(proc, list(received or []), list(not_applicable or []))
        if proc.applicant == "person":
            who = identify_person(s, id_number or "", name or "", card)
            credit_code = None
        else:
            who = identify_enterprise(s, credit_code or "", name or "")
            id_number = None
        case = svc._create_case(s, actor, proc.id, profile=profile, as_of=today(), fields=fields, district=key,
                                id_number=id_number, name=who["name"], credit_code=credit_code, office_id=None,
                                snapshot=None)
        if who.get("card") == "new":
            s.add(EmploymentCard(person_id=case.person_id, number=who["card_number"], recorded_by_id=actor.id,
                                 recorded_at=utcnow()))
        filing = WindowFiling(case_id=case.id, receipt_no=f"{today():%Y%m%d}-{case.id:06d}", received=got,
                              missing=missing, not_applicable=na, office_id=actor.office_id, filed_by_id=actor.id, filed_at=utcnow())
        s.add(filing)
        s.flush()
        card_text = {"matched": "《就业创业证》编号与登记一致", "new": "登记《就业创业证》编号",
                     "none": "未出示《就业创业证》"}.get(who.get("card", ""), "")
        svc._record_event(s, case, actor, "window_filing", None, case.state,
                          f"窗口受理，回执编号 {filing.receipt_no}；已收材料 {len(got)} 项，尚缺 {len(missing)} 项"
                          + (f"；{card_text}" if card_text else ""),
                          {"receipt_no": filing.receipt_no, "received": got, "missing": missing, "not_applicable": na,
                           "card": who.get("card")})
        from jiuye.cases import tracking

        tracking.notify_case(s, case, f"「{proc.name}」已受理",
                             f"回执编号 {filing.receipt_no}。" + (f"尚缺材料：{'、'.join(missing)}，请一次性补齐。"
                                                              if missing else "材料齐全。"))
        s.commit()
        return case, filing
    except BaseException:
        s.rollback()
        raise


def filing_of(s: Session, case_id: int) -> WindowFiling | None:
    return s.scalar(select(WindowFiling).where(WindowFiling.case_id == case_id))


def mark_received(s: Session, actor: User, case_id: int, materials: list[str]) -> WindowFiling:
    """Materials brought later (补齐): ticked received, audited, the applicant told what is still missing."""
    try:
        case = svc.load_case(s, actor, case_id, light=True)
        ok, why = may_file(actor, case.district)
        if not ok:
            raise svc.Forbidden(why)
        filing = filing_of(s, case.id)
        if filing is None:
            raise svc.Invalid("该案件不是窗口受理的案件，没有材料核对记录", field="case")
        if case.final:
            raise svc.Invalid("案件已办结，不能再补收材料")
        new = [m for m in materials if m in filing.missing]
        if not new:
            raise svc.Invalid("请勾选本次补齐的材料（须是尚缺的材料）", field="received")
        proc = get_procedures()[case.procedure]
        filing.received = [m for m in materials_of(proc) if m in filing.received or m in new]
        filing.missing = [m for m in filing.missing if m not in new]
        svc._record_event(s, case, actor, "materials", case.state, case.state,
                          f"补收材料：{'、'.join(new)}；尚缺 {len(filing.missing)} 项",
                          {"received": new, "missing": filing.missing})
        from jiuye.cases import tracking

        tracking.notify_case(s, case, f"「{proc.name}」已补收材料",
                             "材料已齐全。" if not filing.missing else f"仍缺：{'、'.join(filing.missing)}。")
        s.commit()
        return filing
    except BaseException:
        s.rollback()
        raise


def receipt_data(s: Session, actor: User, case_id: int) -> dict:
    """What the 受理回执 and the 一次性告知书 print (身份证号 masked)."""
    case = svc.load_case(s, actor, case_id)
    ok, why = may_print(actor, case)
    if not ok:
        raise svc.Forbidden(why)
    filing = filing_of(s, case.id)
    if filing is None:
        raise svc.NotFound("该案件不是窗口受理的案件，没有受理回执")
    proc = get_procedures()[case.procedure]
    summary = svc.case_summary(s, case, actor)
    office = s.get(Office, filing.office_id) if filing.office_id else None
    staff = s.get(User, filing.filed_by_id)
    from jiuye.cases import tracking

    deadline = tracking.deadline_text(case, proc)
    res = (case.screening or {}).get("result", {})
    from jiuye.knowledge.labels import labels

    docs = [f"{labels().document_title(x.document)}：「{x.quote}」" for x in proc.sources[:2]]
    return {"receipt_no": filing.receipt_no, "procedure": proc.name, "applicant": summary["applicant"],
            "office": office.name if office else "", "office_phone": office.phone if office else None,
            "staff": staff.display_name if staff else "", "filed_at": filing.filed_at,
            "received": list(filing.received), "missing": list(filing.missing),
            "not_applicable": list(filing.not_applicable), "state": summary["state_label"],
            "acting": summary["acting_role"], "deadline": deadline, "district": case.district,
            "screening": {"as_of": case.screening_as_of.isoformat(), "status": case.screening_status,
                          "status_label": labels().of("screening_status", case.screening_status),
                          "amount": res.get("amount"), "unit": res.get("unit")},
            "sources": docs, "case_id": case.id}


def record_print(s: Session, actor: User, case_id: int, kind: str, sha256: str) -> None:
    """A receipt or notice handed out: in the audit trail (which one, its checksum)."""
    case = s.get(Case, case_id)
    what = {"receipt": "打印受理回执", "notice": "打印一次性告知书"}[kind]
    svc._record_event(s, case, actor, "printed", case.state, case.state, what, {"document": kind, "sha256": sha256})
    s.commit()


def identify(s: Session, kind: str, *, id_number: str = "", name: str = "", card: str = "",
             credit_code: str = "") -> dict:
    return identify_person(s, id_number, name, card) if kind == "person" else identify_enterprise(s, credit_code, name)


__all__ = ["FILING_ROLES", "file_at_window", "filing_of", "identify", "mark_received", "may_file", "may_print",
           "receipt_data", "record_print", "window_procedures", "conditional"]


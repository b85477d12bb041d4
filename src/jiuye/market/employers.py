"""Employers and licensed 人力资源服务机构 in the market.

An employer is an `enterprises` row (统一社会信用代码 checked to GB 32100 by jiuye.cases.security) with
an applicant account (jiuye.cases: the site's 单位注册, or staff at a window). Its market profile
(`market_employers`) adds what the market needs: whether it is an employer or an agency, the agency's
licence number (人力资源服务许可证), a contact. An agency posts for client employers; its posts say so.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Enterprise, User, utcnow
from jiuye.cases.security import InvalidCreditCode, mask_credit_code, validate_credit_code
from jiuye.market.common import Conflict, Forbidden, Invalid, check_phone, record_event
from jiuye.market.models import MarketEmployer

KINDS = {"employer": "用人单位", "agency": "人力资源服务机构"}


def employer_for(s: Session, user: User | None) -> MarketEmployer | None:
    if user is None or user.role != "applicant" or not user.enterprise_id:
        return None
    return s.scalar(select(MarketEmployer).where(MarketEmployer.enterprise_id == user.enterprise_id))


def require_employer(s: Session, user: User | None) -> MarketEmployer:
    emp = employer_for(s, user)
    if emp is None:
        if user is not None and user.role == "applicant" and user.enterprise_id:
            raise Forbidden("请先完善单位的招聘信息（单位类型、联系人），再发布岗位")
        raise Forbidden("只有用人单位或人力资源服务机构的账号可以发布岗位")
    return emp


def _licence(kind: str, licence_no: str | None) -> str | None:
    if kind not in KINDS:
        raise Invalid(f"单位类型应为：{'、'.join(KINDS.values())}", field="kind")
    lic = (licence_no or "").strip()
    if kind == "agency":
        if not 4 <= len(lic) <= 60:
            raise Invalid("人力资源服务机构须填写人力资源服务许可证编号（4到60个字符）", field="licence_no")
        return lic
    return None


def register(s: Session, user: User, *, kind: str = "employer", licence_no: str | None = None,
             contact_name: str | None = None, phone: str | None = None) -> MarketEmployer:
    """Create or update the market profile of the enterprise behind `user` (an applicant account
    of an enterprise). Commits."""
    if user.role != "applicant" or not user.enterprise_id:
        raise Forbidden("请用单位账号办理（单位注册时填写统一社会信用代码）")
    ent = s.get(Enterprise, user.enterprise_id)
    lic = _licence(kind, licence_no)
    contact = (contact_name or "").strip()[:50] or None
    ph = check_phone(phone) or user.phone
    emp = employer_for(s, user)
    if emp is None:
        emp = MarketEmployer(enterprise_id=ent.id, kind=kind, licence_no=lic, contact_name=contact, phone=ph,
                             district=ent.district, created_at=utcnow())
        s.add(emp)
        s.flush()
        record_event(s, user, "employer_registered", data={"kind": kind})
    else:
        emp.kind, emp.licence_no, emp.contact_name, emp.phone = kind, lic, contact, ph
        record_event(s, user, "employer_updated", data={"kind": kind})
    s.commit()
    return emp


def register_with_account(s: Session, *, credit_code: str, name: str, district: str, username: str, password: str,
                          phone: str | None, kind: str = "employer", licence_no: str | None = None,
                          contact_name: str | None = None, staff: User | None = None) -> tuple[User, MarketEmployer]:
    """A new enterprise account and its market profile in one go (the API's 单位注册; staff at a window
    pass `staff`, whose account is then verified). The same refusals as the site's registration: a
    credit code known under another name, or one that already has an account, cannot register here."""
    _licence(kind, licence_no)
    if len(password or "") < 8:
        raise Invalid("密码至少8位", field="password")
    district = cases.district_key(district)
    try:
        code = validate_credit_code(credit_code)
    except InvalidCreditCode as exc:
        raise Invalid(f"统一社会信用代码无效：{exc}", field="credit_code") from None
    known = s.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if known is not None and known.name != (name or "").strip():
        raise Conflict("这个统一社会信用代码不能在网上注册，请带营业执照到就业服务中心窗口办理", field="credit_code")
    ent = known or cases.ensure_enterprise(s, code, name, district)
    if s.scalar(select(User.id).where(User.enterprise_id == ent.id, User.role == "applicant")) is not None:
        raise Conflict("这个统一社会信用代码不能在网上注册，请带营业执照到就业服务中心窗口办理", field="credit_code")
    user = cases.create_user(s, username, password, "applicant", display_name=ent.name, enterprise=ent,
                             phone=check_phone(phone), self_registered=staff is None, commit=False)
    s.flush()
    emp = register(s, user, kind=kind, licence_no=licence_no, contact_name=contact_name, phone=phone)
    return user, emp


def employer_view(emp: MarketEmployer, *, full: bool = False) -> dict:
    ent = emp.enterprise
    d = {"id": emp.id, "name": ent.name, "kind": emp.kind, "kind_label": KINDS[emp.kind], "district": emp.district,
         "credit_code": ent.credit_code if full else mask_credit_code(ent.credit_code),
         "licence_no": emp.licence_no}
    if full:
        d.update(contact_name=emp.contact_name, phone=emp.phone)
    return d

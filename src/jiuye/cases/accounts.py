"""Accounts: the people and firms cases belong to, users, logging in and out (tokens, with the failed-login
throttle), and staff confirming an applicant's identity at a window."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases.common import _aware, district_key
from jiuye.cases.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from jiuye.cases.models import AuthToken, Enterprise, Office, Person, User, utcnow
from jiuye.cases.security import (
    InvalidCreditCode, hash_password, new_token, scrub, token_digest, token_ttl, validate_credit_code, verify_password,
)
from jiuye.config import today
from jiuye.idcard import InvalidIdNumber, parse_id_number

log = logging.getLogger("jiuye.cases")


def ensure_person(s: Session, id_number: str, name: str) -> Person:
    try:
        info = parse_id_number(id_number, today=today())
    except InvalidIdNumber as exc:
        raise Invalid(f"身份证号无效：{exc}", field="id_number") from None
    person = s.scalar(select(Person).where(Person.id_number == info.number))
    if person is None:
        if not name:
            raise Invalid("新登记的申请人须填写姓名", field="name")
        person = Person(id_number=info.number, name=name.strip())
        s.add(person)
        s.flush()
    elif name and person.name != name.strip():
        raise Invalid(f"身份证号 {info.number} 已登记在另一姓名下，请核对", field="name")
    return person


def ensure_enterprise(s: Session, credit_code: str, name: str, district: str) -> Enterprise:
    try:
        code = validate_credit_code(credit_code)
    except InvalidCreditCode as exc:
        raise Invalid(str(exc), field="credit_code") from None
    ent = s.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if ent is None:
        if not name:
            raise Invalid("新登记的单位须填写名称", field="name")
        ent = Enterprise(credit_code=code, name=name.strip(), district=district)
        s.add(ent)
        s.flush()
    return ent


def create_user(s: Session, username: str, password: str, role: str, *, display_name: str | None = None,
                district: str | None = None, office: Office | None = None, person: Person | None = None,
                enterprise: Enterprise | None = None, commit: bool = True, phone: str | None = None,
                self_registered: bool = False) -> User:
    """A user. `self_registered`: an applicant who signed up on the website; their identity is not
    verified until staff check the ID card (see `verify_identity`)."""
    role = roles.role_code(role)
    if office is not None:
        if role != office.level:
            raise Invalid(f"{roles.label(role)}人员不能属于{roles.label(office.level)}「{office.name}」")
        district = office.district
    if role in roles.ACTING_ROLES and not district:
        raise Invalid("工作人员（含经办银行人员）须属于一个旗县市（或盟本级）")
    if role == "applicant" and person is None and enterprise is None:
        raise Invalid("申请人账号须关联本人（身份证号）或单位（统一社会信用代码）")
    if s.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名「{username}」已存在", field="username")
    user = User(username=username, display_name=display_name or username, password_hash=hash_password(password),
                role=role, district=district_key(district) if district else None, office=office,
                person=person, enterprise=enterprise, active=True, phone=phone,
                identity_verified_at=None if self_registered else utcnow())
    s.add(user)
    s.flush()
    if commit:
        s.commit()
    return user


def login(s: Session, username: str, password: str, address: str | None = None) -> tuple[str, dt.datetime, User]:
    """A token for `username`. Failed attempts are counted per account and per client `address`
    in the database (jiuye.cases.throttle); past the limit both are refused (429) for a while,
    before the password is hashed."""
    from jiuye.cases import throttle

    throttle.check(s, "login_account", username)
    if address:
        throttle.check(s, "login_address", address)
    user = s.scalar(select(User).where(User.username == username))
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        log.info("login failed for %s", scrub(username))  # a 身份证号 typed as the user name is not logged whole
        s.rollback()
        throttle.record(s, "login_account", username)
        if address:
            throttle.record(s, "login_address", address)
        raise Unauthorized("用户名或密码错误")
    throttle.clear(s, "login_account", username)
    token, digest = new_token()
    expires = utcnow() + token_ttl()
    s.add(AuthToken(token_hash=digest, user_id=user.id, expires_at=expires))
    s.commit()
    return token, expires, user


def user_for_token(s: Session, token: str | None) -> User:
    if not token:
        raise Unauthorized("请先登录（Authorization: Bearer <token>）")
    row = s.scalar(select(AuthToken).where(AuthToken.token_hash == token_digest(token)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized("登录已失效，请重新登录")
    if _aware(row.expires_at) <= utcnow():
        raise Unauthorized("登录已过期，请重新登录")
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("账号已停用")
    return user


def logout(s: Session, token: str) -> None:
    row = s.scalar(select(AuthToken).where(AuthToken.token_hash == token_digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        s.commit()


# Staff who may check an applicant's ID card at a window (front-line and centres of the district).
VERIFIER_ROLES = ("community", "street", "county_center", "league_center")


def verify_identity(s: Session, actor: User, username: str, number: str) -> User:
    """Staff confirm, with the document in hand, that an applicant account belongs to whom it names:
    for a person's account the 身份证号 typed by the staff member must be the account's (ID card);
    for a 用人单位's account the 统一社会信用代码 (营业执照). Recorded (who, when) and audited."""
    from jiuye.idcard import InvalidIdNumber, normalise, parse_id_number

    if actor.role != "admin" and actor.role not in VERIFIER_ROLES:
        raise Forbidden("只有窗口工作人员（社区、街道、旗县市中心、盟中心）或管理员可以核验申请人身份")
    user = s.scalar(select(User).where(User.username == username))
    if user is None or user.role != "applicant":
        raise NotFound(f"没有申请人账号「{username}」")
    if user.enterprise_id is not None and user.person_id is None:
        try:
            code = validate_credit_code(number)
        except InvalidCreditCode as exc:
            raise Invalid(f"统一社会信用代码：{exc}（这是单位账号，请按营业执照录入）", field="number") from None
        ent = s.get(Enterprise, user.enterprise_id)
        if ent is None or ent.credit_code != code:
            raise Invalid("所核验的统一社会信用代码与该单位账号登记的不一致：不予核验", field="number")
    else:
        try:
            parse_id_number(number)
        except InvalidIdNumber as exc:
            raise Invalid(f"身份证号：{exc}", field="id_number") from None
        person = s.get(Person, user.person_id) if user.person_id else None
        if person is None or person.id_number != normalise(number):
            raise Invalid("所核验的身份证号与该账号登记的不一致：不予核验", field="id_number")
    if user.identity_verified_at is None:
        user.identity_verified_at = utcnow()
        user.identity_verified_by = actor.id
        s.commit()
        log.info("identity of %s verified by %s", username, actor.username)
    return user


__all__ = ["VERIFIER_ROLES", "create_user", "ensure_enterprise", "ensure_person", "login", "logout", "user_for_token",
           "verify_identity"]

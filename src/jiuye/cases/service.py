"""Case service: every rule about who may do what to which case, in one place. The API and the CLI
are thin layers over these functions; each function commits its own transaction, or rolls it back
whole (a failure half-way leaves the case and its audit trail exactly as they were).

Errors carry an HTTP status and a Chinese message: NotFound (404; also for cases the user may not
see, so their existence is not revealed), Forbidden (403), Conflict (409), Invalid (422).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
import weakref
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import false, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.exc import StaleDataError

from jiuye.cases import roles
from jiuye.cases.models import AuthToken, Case, CaseEvent, Enterprise, Office, Person, User, utcnow
from jiuye.cases.procedures import InvalidMove, Procedure, get_procedures, materials_of
from jiuye.cases.security import (
    InvalidCreditCode, hash_password, mask_credit_code, mask_id_number, new_token, scrub, token_digest,
    token_ttl, validate_credit_code, verify_password,
)
from jiuye.cases.workdays import Deadline, default_calendar
from jiuye.config import today
from jiuye.idcard import InvalidIdNumber, parse_id_number
from jiuye.knowledge.labels import labels

log = logging.getLogger("jiuye.cases")


# --- errors ----------------------------------------------------------------------------------
class CaseError(Exception):
    status = 400

    def __init__(self, message: str, **extra: Any):
        super().__init__(scrub(message))
        self.extra = extra

    def as_dict(self) -> dict:
        return {"message": str(self), **self.extra}


class Unauthorized(CaseError):
    status = 401


class Forbidden(CaseError):
    status = 403


class NotFound(CaseError):
    status = 404


class Conflict(CaseError):
    status = 409


class Invalid(CaseError):
    status = 422


# --- small helpers ---------------------------------------------------------------------------
def _aware(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return t.replace(tzinfo=dt.timezone.utc) if t is not None and t.tzinfo is None else t


def _procedure(proc_id: str) -> Procedure:
    procs = get_procedures()
    if proc_id not in procs:
        from jiuye.knowledge.catalogue import nearest

        hint = nearest(proc_id, list(procs))
        raise Invalid(f"未知的办理流程「{proc_id}」" + (f"；您是不是要找：{'、'.join(hint)}" if hint else "")
                      + f"。可选：{'、'.join(procs)}", field="procedure")
    return procs[proc_id]


def district_key(name: str | None) -> str:
    from jiuye.knowledge.loader import get_knowledge

    kb = get_knowledge()
    if not (name or "").strip():
        raise Invalid("请填写所在旗县市（如 乌兰浩特市）", field="district")
    key = kb.district_names.get((name or "").strip())
    if key is None:
        from jiuye.knowledge.catalogue import nearest

        hint = nearest(name or "", list(kb.district_names))
        raise Invalid(f"未知的旗县市「{name}」" + (f"；您是不是要找：{'、'.join(hint)}" if hint else ""), field="district")
    return key


def _strip_ids(value: Any) -> Any:
    """A copy of a profile with every 身份证号 masked (it is stored once, in people)."""
    if isinstance(value, dict):
        return {k: (mask_id_number(str(v)) if k == "id_number" and v else _strip_ids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def _scrub_json(value: Any) -> Any:
    return json.loads(scrub(json.dumps(value, ensure_ascii=False, default=str)))


# --- users and tokens --------------------------------------------------------------------------
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


# --- visibility --------------------------------------------------------------------------------
def visibility(actor: User):
    """The WHERE clause of the cases `actor` may see."""
    if actor.role == "admin":
        return Case.id.is_not(None)
    if actor.role == "applicant":
        mine = [Case.applicant_user_id == actor.id]
        if actor.identity_verified_at is None:  # unverified: only the cases this account filed itself
            return or_(*mine)
        if actor.person_id:
            mine.append(Case.person_id == actor.person_id)
        if actor.enterprise_id:
            mine.append(Case.enterprise_id == actor.enterprise_id)
        return or_(*mine)
    if actor.role in roles.STAFF_ROLES and actor.district:
        return Case.district == actor.district
    if actor.role in roles.PARTNER_ROLES and actor.district:
        # a 经办银行 sees the loans of its district once referred to it (and their later course), nothing else
        from jiuye.cases.procedures import states_from_role

        visible = [(Case.procedure == pid) & Case.state.in_(states) for pid, states in states_from_role(actor.role).items()]
        return (Case.district == actor.district) & (or_(*visible) if visible else false())
    return false()


def is_owner(actor: User, case: Case) -> bool:
    return actor.role == "applicant" and (
        case.applicant_user_id == actor.id
        or actor.identity_verified_at is not None and (
            (actor.person_id is not None and case.person_id == actor.person_id)
            or (actor.enterprise_id is not None and case.enterprise_id == actor.enterprise_id)))


# Row ids are 32-bit integers in the database: SQLite's driver raises OverflowError past 64 bits and
# PostgreSQL refuses past 32, so an id from a page's address is checked before any query.
MAX_ROW_ID = 2**31 - 1


def valid_row_id(value) -> bool:
    return isinstance(value, int) and 1 <= value <= MAX_ROW_ID


def load_case(s: Session, actor: User, case_id: int, *, light: bool = False) -> Case:
    """The case, if `actor` may see it (NotFound otherwise). `light`: without the screening
    snapshot (a few KB of JSON that a transition does not need)."""
    if not valid_row_id(case_id):  # a number no row can have (the driver would refuse it: not a 500)
        raise NotFound(f"没有编号为 {case_id} 的案件（或您无权查看）")
    q = select(Case).where(Case.id == case_id, visibility(actor))
    if light:
        q = q.options(defer(Case.screening))
    case = s.scalar(q)
    if case is None:
        raise NotFound(f"没有编号为 {case_id} 的案件（或您无权查看）")
    return case


def may_take(actor: User, case: Case, role_code: str) -> tuple[bool, str | None]:
    """May `actor` take a step assigned to `role_code` on `case`? (yes/no, why not)."""
    if role_code == "applicant":
        return (True, None) if is_owner(actor, case) else (False, "这一步由申请人本人办理")
    if actor.role == "admin":
        return False, "管理员不办理审核步骤"
    if actor.role not in roles.ACTING_ROLES:
        return False, f"这一步由{roles.label(role_code)}办理"
    if actor.district != case.district:
        return False, f"该案件属于{case.district}，您只能办理{actor.district}的案件"
    if not roles.acts_as(actor.role, actor.district, role_code, case.district):
        return False, f"这一步由{roles.label(role_code)}办理，您是{roles.label(actor.role)}"
    return True, None


# --- deadlines and offices ---------------------------------------------------------------------
def state_deadline(proc: Procedure, state: str, fields: dict, entered_on: dt.date) -> Deadline | None:
    tl = proc.states[state].time_limit
    if tl is None:
        return None
    start = entered_on
    if tl.from_field:
        start = dt.date.fromisoformat(str(fields[tl.from_field]))
    return default_calendar().deadline(start, tl.days, tl.day_type)


_OFFICE_CACHE: "weakref.WeakKeyDictionary[Any, dict[tuple, tuple[float, int]]]" = weakref.WeakKeyDictionary()
_OFFICE_TTL = 60.0  # seconds: offices change rarely; a new one is picked up within a minute


def _office_for(s: Session, case: Case, role_code: str | None) -> int | None:
    """The office that acts on `case` in a step of `role_code`: along the filing office's chain
    (社区 → 街道 → 中心) if it has one of that level, else the district's office of that level."""
    if role_code in (None, "applicant"):
        return None
    levels = (role_code,)
    if role_code == "county_center" and case.district == roles.LEAGUE_DISTRICT:
        levels = ("league_center", "county_center")
    office = s.get(Office, case.office_id) if case.office_id else None
    while office is not None:
        if office.level in levels:
            return office.id
        office = s.get(Office, office.parent_id) if office.parent_id else None
    cache = _OFFICE_CACHE.setdefault(s.get_bind(), {})  # per engine (database, schema)
    key = (case.district, levels)
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    found = s.scalar(select(Office.id).where(Office.district == case.district, Office.level.in_(levels))
                     .order_by(Office.id).limit(1))
    if found is not None:
        cache[key] = (time.monotonic() + _OFFICE_TTL, found)
    return found


def _enter_state(s: Session, case: Case, proc: Procedure, state: str, day: dt.date, *, stay: bool = False) -> None:
    """Set the state and what follows from it (deadline, acting office). Everything is computed
    before the first attribute changes, so the case is written with one UPDATE (one version)."""
    st = proc.states[state]
    if stay:
        # a recurring step (按月发放, 按季贴息): the case stays where it is, its term and deadline unchanged
        with s.no_autoflush:
            case.updated_at = utcnow()
        return
    d = state_deadline(proc, state, case.fields or {}, day)
    office_id = _office_for(s, case, st.role_code)
    with s.no_autoflush:
        case.state = state
        case.final = st.final
        case.state_entered_on = day
        case.due_on = d.due if d else None
        case.due_approximate = bool(d and d.approximate)
        case.due_note = d.note if d else None
        case.assigned_office_id = office_id
        case.updated_at = utcnow()


def _record_event(s: Session, case: Case, actor: User | None, kind: str, from_state: str | None,
                  to_state: str | None, comment: str | None, data: dict | None = None,
                  transition_no: int | None = None) -> CaseEvent:
    ev = CaseEvent(case_id=case.id, transition_no=transition_no, at=utcnow(), actor_id=actor.id if actor else None,
                   actor_role=actor.role if actor else "system", actor_name=actor.display_name if actor else "系统",
                   kind=kind, from_state=from_state, to_state=to_state, comment=scrub(comment) or None, data=data)
    s.add(ev)
    s.flush()
    return ev


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


# --- views (what lists, exports and the API show: 身份证号 always masked) ------------------------
def deadline_view(case: Case, proc: Procedure, on: dt.date | None = None) -> dict | None:
    if case.due_on is None:
        return None
    tl = proc.states[case.state].time_limit
    day = on or today()
    return {"due": case.due_on.isoformat(), "text": tl.text if tl else None, "days": tl.days if tl else None,
            "day_type": tl.day_type if tl else None, "overdue": (not case.final) and case.due_on < day,
            "days_left": (case.due_on - day).days, "approximate": case.due_approximate, "note": case.due_note,
            "hold": bool(tl and tl.hold)}


def applicant_view(s: Session, case: Case) -> dict:
    if case.person_id:
        p = s.get(Person, case.person_id)
        return {"kind": "person", "name": p.name, "id_number": mask_id_number(p.id_number)}
    e = s.get(Enterprise, case.enterprise_id)
    return {"kind": "enterprise", "name": e.name, "credit_code": mask_credit_code(e.credit_code)}


def case_summary(s: Session, case: Case, actor: User | None = None, on: dt.date | None = None) -> dict:
    proc = get_procedures()[case.procedure]
    st = proc.states.get(case.state)
    office = s.get(Office, case.assigned_office_id) if case.assigned_office_id else None
    res = case.screening.get("result", {})
    return {
        "id": case.id, "procedure": case.procedure, "procedure_name": proc.name, "policy": case.policy,
        "state": case.state, "state_label": proc.state_label(case.state), "final": case.final,
        "outcome": st.outcome if st else None, "version": case.version, "district": case.district,
        "applicant": applicant_view(s, case), "channel": case.channel,
        "acting_role": roles.label(st.role_code) if st and st.role_code else None,
        "assigned_office": {"id": office.id, "name": office.name} if office else None,
        "deadline": deadline_view(case, proc, on),
        "screening": {"as_of": case.screening_as_of.isoformat(), "status": case.screening_status,
                      "amount": res.get("amount"), "amount_fen": case.amount_fen, "unit": res.get("unit")},
        "created_at": _aware(case.created_at).isoformat(), "updated_at": _aware(case.updated_at).isoformat(),
    }


def case_detail(s: Session, actor: User, case: Case) -> dict:
    from jiuye.cases.models import Attachment

    proc = get_procedures()[case.procedure]
    out = case_summary(s, case, actor)
    moves = []
    for m in proc.moves_from(case.state):
        ok, why = may_take(actor, case, m.role)
        moves.append({"to": m.to, "to_label": proc.state_label(m.to), "action": m.action, "role": roles.label(m.role),
                      "comment_required": m.comment_required, "allowed": ok, "why_not": why, "recurring": m.recurring})
    events = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    atts = list(s.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))
    materials = materials_of(proc)
    out.update({
        "fields": case.fields, "screening_snapshot": case.screening, "moves": moves,
        "materials": [{"name": m, "attachments": sum(a.material == m for a in atts)} for m in materials],
        "attachments": [attachment_view(a) for a in atts],
        "events": [event_view(e, proc) for e in events],
        "procedure_notes": proc.notes,
        "step": step_view(proc, case.state),
    })
    return out


def steps_view(proc: Procedure) -> dict:
    """The procedure as a reader follows it: the usual course in order (`main`), then the other
    states a case can pass through (`other`: 续发, 停发报告, 退回补正 ...), each with the sentence of
    the documents it rests on, or the assumption where they say nothing."""
    main = proc.main_path()
    ordered = main + [k for k in proc.states if k not in main and not proc.states[k].final]
    rows = []
    for name in ordered:
        row = step_view(proc, name)
        row["state"] = name
        row["final"] = proc.states[name].final
        row["repeats"] = [t.action for t in proc.transitions if t.recurring and name in t.from_]
        rows.append(row)
    return {"main": [r for r in rows if r["state"] in main], "other": [r for r in rows if r["state"] not in main]}


def step_view(proc: Procedure, state: str) -> dict | None:
    """What the documents say about a state (its sentence), or that they say nothing (the assumption)."""
    st = proc.states.get(state)
    if st is None:
        return None
    return {"label": st.label, "role": st.role, "step": st.step, "assumption": st.assumption,
            "source": st.source.model_dump() if st.source else None,
            "time_limit": st.time_limit.text if st.time_limit else None}


def event_view(e: CaseEvent, proc: Procedure) -> dict:
    return {"id": e.id, "at": _aware(e.at).isoformat(), "kind": e.kind, "who": e.actor_name,
            "role": roles.label(e.actor_role) if e.actor_role != "system" else "系统",
            "from_state": e.from_state, "from_label": proc.state_label(e.from_state) if e.from_state else None,
            "to_state": e.to_state, "to_label": proc.state_label(e.to_state) if e.to_state else None,
            "comment": e.comment, "transition_no": e.transition_no, "data": e.data}


def attachment_view(a) -> dict:
    return {"id": a.id, "material": a.material, "filename": a.filename, "content_type": a.content_type,
            "size": a.size, "sha256": a.sha256, "uploaded_at": _aware(a.uploaded_at).isoformat()}


def offices_view(s: Session) -> list[dict]:
    return [{"id": o.id, "name": o.name, "level": roles.label(o.level), "district": o.district,
             "parent_id": o.parent_id, "phone": o.phone} for o in s.scalars(select(Office).order_by(Office.id))]


def user_view(u: User) -> dict:
    return {"id": u.id, "username": u.username, "name": u.display_name, "role": u.role, "role_label": roles.label(u.role),
            "district": u.district, "office_id": u.office_id,
            "identity_verified": u.identity_verified_at is not None}


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


def procedure_view(proc: Procedure) -> dict:
    return {
        "id": proc.id, "policy": proc.policy, "name": proc.name, "variant": proc.variant, "applicant": proc.applicant,
        "no_application": proc.no_application, "start": proc.start, "window_start": proc.window_start,
        "fields": proc.fields, "materials": materials_of(proc),
        "states": {k: {"label": v.label, "role": v.role, "final": v.final, "outcome": v.outcome, "step": v.step,
                       "time_limit": v.time_limit.model_dump(exclude_none=True) if v.time_limit else None,
                       "source": v.source.model_dump() if v.source else None, "assumption": v.assumption}
                   for k, v in proc.states.items()},
        "main_path": proc.main_path(),
        "transitions": [{"from": t.from_, "to": t.to, "action": t.action, "by": t.by or None, "comment": t.comment,
                         "early": t.early, "recurring": t.recurring,
                         "source": t.source.model_dump() if t.source else None} for t in proc.transitions],
        "materials_sources": [x.model_dump() for x in proc.materials_sources],
        "sources": [x.model_dump() for x in proc.sources], "notes": proc.notes,
    }


__all__ = [
    "CaseError", "Conflict", "Forbidden", "Invalid", "NotFound", "Unauthorized", "case_detail", "case_summary",
    "create_case", "create_user", "ensure_enterprise", "ensure_person", "import_batch", "list_cases", "load_case",
    "login", "logout", "overdue", "refresh_deadlines", "transition", "user_for_token",
]



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

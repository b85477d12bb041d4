"""Training providers (培训机构 / 职业院校 / 就业创业训练中心): registration by the centre with an account,
approval (the approvals held: 职业技能培训 / 创业培训资质), return with a reason (退回补正: the provider's
account is told why), suspension, the view."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import User
from jiuye.cases.security import mask_credit_code, validate_credit_code
from jiuye.training import access
from jiuye.training.common import Conflict, Forbidden, Invalid, NotFound, actor_of, check_id, check_phone, clock, commit, record, text
from jiuye.training.models import Provider
from jiuye.training.settings import settings


def _approvals(values) -> list[str]:
    known = settings().approvals
    out = []
    for v in values or []:
        if v not in known:
            raise Invalid(f"未知的资质「{v}」；可选：{'、'.join(a.label for a in known.values())}", field="approvals")
        out.append(v)
    if not out:
        raise Invalid("请至少选择一项培训资质", field="approvals")
    return sorted(set(out))


USERNAME = re.compile(r"^[A-Za-z0-9_]{3,50}$")


def register(s: Session, staff: User, data: dict, *, username: str, password: str, demo: bool = False) -> Provider:
    """A provider and its account (role 培训机构), registered by a centre of its district; pending
    until approved. The account's user name and first password are checked here, for the API and the console
    alike (the provider changes the password after its first login)."""
    try:
        actor = actor_of(s, staff)
        if actor.kind != "staff" or actor.role not in access.CENTRES:  # who may register at all, before what was typed
            raise Forbidden("只有机构所在旗县市就业服务中心（或盟中心）可以登记培训机构")
        district = cases.district_key(data.get("district") or staff.district)
        if not access.covers(actor, district, access.CENTRES):
            raise Forbidden("只有机构所在旗县市就业服务中心（或盟中心）可以登记培训机构")
        if not USERNAME.match(username or ""):
            raise Invalid("机构账号用户名应为 3 到 50 个字母、数字或下划线", field="username")
        if not 8 <= len(password or "") <= 100:
            raise Invalid("初始密码应为 8 到 100 位", field="password")
        kind = data.get("kind") or "training_institution"
        if kind not in settings().provider_kinds:
            raise Invalid(f"未知的机构类别「{kind}」；可选："
                          f"{'、'.join(k.label for k in settings().provider_kinds.values())}", field="kind")
        name = text(data.get("name"), "name", "机构名称", limit=100)
        if s.scalar(select(Provider.id).where(Provider.name == name)) is not None:
            raise Conflict(f"机构「{name}」已登记", field="name")
        code = None
        if data.get("credit_code"):
            try:
                code = validate_credit_code(str(data["credit_code"]).strip())
            except ValueError as exc:
                raise Invalid(f"统一社会信用代码无效：{exc}", field="credit_code") from None
            if s.scalar(select(Provider.id).where(Provider.credit_code == code)) is not None:
                raise Conflict("该统一社会信用代码的机构已登记", field="credit_code")
        p = Provider(name=name, kind=kind, district=district, credit_code=code,
                     address=text(data.get("address"), "address", "地址", limit=200, required=False),
                     phone=check_phone(data.get("phone"), required=True), approvals=_approvals(data.get("approvals")),
                     state="pending", demo=demo, sources=list(data.get("sources") or []), created_at=clock.now())
        s.add(p)
        s.flush()
        user = cases.create_user(s, username, password, access.PROVIDER, display_name=name, district=district,
                                 commit=False, phone=p.phone if p.phone and p.phone.startswith("1") else None)
        p.user_id = user.id
        record(s, staff, "provider_registered", provider_id=p.id, comment=name)
        commit(s)
        return p
    except BaseException:
        s.rollback()
        raise


def load(s: Session, user: User | None, provider_id: int, action: str = "view") -> Provider:
    check_id(provider_id, "培训机构")
    p = s.get(Provider, provider_id)
    actor = actor_of(s, user)
    if p is None or not access.provider(actor, "view", p.state, provider_id=p.id, district=p.district)[0]:
        raise NotFound(f"没有编号为 {provider_id} 的培训机构（或您无权查看）")
    if action != "view":
        access.require(access.provider(actor, action, p.state, provider_id=p.id, district=p.district))
    return p


ACTION_LABELS = {"approve": "审批通过", "return": "退回补正", "suspend": "暂停"}
NEW_STATE = {"approve": "approved", "return": "returned", "suspend": "suspended"}


def decide(s: Session, staff: User, provider_id: int, action: str, comment: str | None = None) -> Provider:
    """approve | return (a reason required) | suspend."""
    try:
        if action not in NEW_STATE:
            raise Invalid("操作应为 approve（审批通过）、return（退回补正）或 suspend（暂停）", field="action")
        p = load(s, staff, provider_id, action)
        reason = text(comment, "comment", "退回原因", limit=500, required=action == "return")
        was = p.state
        p.state = NEW_STATE[action]
        if action == "approve":
            p.approved_by_id, p.approved_at = staff.id, clock.now()
        record(s, staff, f"provider_{action}", provider_id=p.id, comment=reason)
        owner = s.get(User, p.user_id) if p.user_id else None
        # told: a return (with its reason), and the approval that follows a return (a first approval is
        # made when the centre registers the provider with it, in person)
        if owner is not None and (action == "return" or (action == "approve" and was == "returned")):
            from jiuye.market.notify import notify_user

            notify_user(s, owner, "training_provider_decided", title=f"培训机构资质审批：{ACTION_LABELS[action]}",
                        body=f"「{p.name}」{ACTION_LABELS[action]}" + (f"。原因：{reason}" if reason else "。"),
                        link="/training/provider")
        commit(s)
        return p
    except BaseException:
        s.rollback()
        raise


def listing(s: Session, user: User | None) -> list[Provider]:
    actor = actor_of(s, user)
    rows = s.scalars(select(Provider).order_by(Provider.district, Provider.name)).all()
    return [p for p in rows if access.provider(actor, "view", p.state, provider_id=p.id, district=p.district)[0]]


def last_reason(s: Session, p: Provider) -> str | None:
    """Why the provider was returned (the latest 退回补正's reason), while it is returned."""
    from jiuye.training.models import TrainingEvent

    if p.state != "returned":
        return None
    return s.scalar(select(TrainingEvent.comment).where(TrainingEvent.provider_id == p.id,
                                                        TrainingEvent.kind == "provider_return")
                    .order_by(TrainingEvent.id.desc()).limit(1))


def view(p: Provider) -> dict:
    cfg = settings()
    return {"id": p.id, "name": p.name, "kind": p.kind, "kind_label": cfg.provider_kinds[p.kind].label,
            "district": p.district, "credit_code": mask_credit_code(p.credit_code) if p.credit_code else None,
            "address": p.address, "phone": p.phone, "approvals": [cfg.approvals[a].label for a in p.approvals],
            "state": p.state, "state_label": access.PROVIDER_LABELS[p.state], "demo": p.demo,
            "approved_at": clock.aware(p.approved_at).isoformat() if p.approved_at else None}


def public_view(p: Provider) -> dict:
    cfg = settings()
    return {"id": p.id, "name": p.name, "kind_label": cfg.provider_kinds[p.kind].label, "district": p.district,
            "phone": p.phone, "address": p.address, "demo": p.demo}



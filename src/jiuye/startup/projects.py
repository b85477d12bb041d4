"""The 创业项目库: a project owner (or staff for them) writes a project and submits it; the district's
就业服务中心 publishes it or returns it with a reason; founders browse the published ones (by sector,
合作方式, district, investment), express interest, and staff of the district follow the interest up
before its deadline (data/startup/startup.yaml › interest_follow_up; the queue reminds them).
Who may do what: jiuye.startup.access."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.startup import access
from jiuye.startup.common import (
    Invalid, NotFound, actor_of, check_id, check_name, check_phone, commit, districts, mask_name, mask_phone, need,
    now, record, show, text,
)
from jiuye.startup.models import Interest, Project
from jiuye.startup.settings import startup

STATE_LABELS = {"draft": "草稿", "submitted": "待审核", "published": "已发布", "returned": "退回修改", "withdrawn": "已撤下"}
INTEREST_LABELS = {"open": "待联系", "contacted": "已联系", "closed": "已办结"}
MAX_INVESTMENT = 100_000_000  # 1 亿元: above it a typo, not a 中小型创业项目


def _fields(data: dict) -> dict:
    cfg = startup()
    out = {"title": text(data.get("title"), "title", "项目名称", limit=60),
           "place": text(data.get("place"), "place", "经营地点", limit=100),
           "offer": text(data.get("offer"), "offer", "项目方提供的支持（技术、品牌、货源、培训等）", limit=500),
           "description": text(data.get("description"), "description", "项目介绍", limit=2000),
           "contact_name": check_name(data.get("contact_name"), "contact_name", "联系人"),
           "contact_phone": check_phone(data.get("contact_phone"), "contact_phone")}
    if data.get("mode") not in cfg.modes:
        raise Invalid(f"合作方式应为：{'、'.join(cfg.modes.values())}", field="mode")
    if data.get("sector") not in cfg.sectors:
        raise Invalid(f"项目类别应为：{'、'.join(cfg.sectors.values())}", field="sector")
    if data.get("district") not in districts():
        raise Invalid(f"所在旗县市应为：{'、'.join(districts())}", field="district")
    raw = str(data.get("investment_yuan") if data.get("investment_yuan") is not None else "").replace(",", "").strip()
    try:
        amount = int(raw)
    except ValueError:
        raise Invalid("所需投资应为整数（元），如 50000", field="investment_yuan") from None
    if not 0 < amount <= MAX_INVESTMENT:
        raise Invalid("所需投资应大于 0 元、不超过 1 亿元", field="investment_yuan")
    out.update(mode=data["mode"], sector=data["sector"], district=data["district"], investment_yuan=amount)
    return out


def create(s: Session, user: User, data: dict, *, submit: bool = True, owner: User | None = None) -> Project:
    """A project of `user` (an applicant) or, by staff of the district, of `owner`."""
    actor = actor_of(user)
    owner = owner or user
    if owner.role != "applicant":
        raise Invalid("项目方须是个人或单位账号；工作人员代为填报时请写明项目方账号", field="owner")
    f = _fields(data)
    need(access.project(actor, "submit", "draft", district=f["district"], owner_id=owner.id))
    t = now()
    p = Project(owner_id=owner.id, created_by_id=user.id, state="submitted" if submit else "draft", demo=False,
                created_at=t, updated_at=t, **f)
    s.add(p)
    s.flush()
    record(s, user, "project_submitted" if submit else "project_drafted", project_id=p.id)
    commit(s)
    return p


def owner_account(s: Session, user: User, username: str | None) -> User | None:
    """The project owner a staff member files for (None: the caller is the owner)."""
    if not username:
        return None
    if user.role == "applicant":
        raise Invalid("项目方只能为本人（本单位）提交项目", field="owner")
    owner = s.scalar(select(User).where(User.username == username.strip()))
    if owner is None or owner.role != "applicant" or not owner.active:
        raise Invalid("没有这个项目方账号（须是个人或单位账号）", field="owner")
    return owner


def load(s: Session, user: User | None, project_id, action: str = "view") -> Project:
    pid = check_id(project_id, "项目")
    p = s.get(Project, pid)
    actor = actor_of(user)
    if p is None or not access.project(actor, "view", p.state, district=p.district, owner_id=p.owner_id)[0]:
        raise NotFound("没有这个项目（或您无权查看）")
    if action != "view":
        need(access.project(actor, action, p.state, district=p.district, owner_id=p.owner_id))
    return p


def update(s: Session, user: User, project_id, data: dict, *, submit: bool = True) -> Project:
    p = load(s, user, project_id, "edit")
    for k, v in _fields(data).items():
        setattr(p, k, v)
    p.state = "submitted" if submit else p.state
    p.updated_at = now()
    record(s, user, "project_resubmitted" if submit else "project_edited", project_id=p.id)
    commit(s)
    return p


def review(s: Session, user: User, project_id, *, publish: bool, reason: str | None = None) -> Project:
    from jiuye.market import notify

    p = load(s, user, project_id, "review")
    t = now()
    why = None if publish else text(reason, "reason", "退回原因", limit=300)
    if publish:
        p.state, p.published_at, p.return_reason = "published", t, None
    else:
        p.state, p.return_reason = "returned", why
    p.reviewed_by_id, p.updated_at = user.id, t
    record(s, user, "project_published" if publish else "project_returned", project_id=p.id,
           data=None if publish else {"reason": p.return_reason})
    notify.notify(s, "startup_project", user_id=p.owner_id, title=f"创业项目「{p.title}」{'已发布' if publish else '退回修改'}",
                  body="已在兴安盟创业项目库发布。" if publish else f"退回原因：{p.return_reason}",
                  link=f"/startup/projects/{p.id}")
    commit(s)
    return p


def withdraw(s: Session, user: User, project_id) -> Project:
    p = load(s, user, project_id, "withdraw")
    p.state, p.updated_at = "withdrawn", now()
    record(s, user, "project_withdrawn", project_id=p.id)
    commit(s)
    return p


def browse(s: Session, *, sector: str | None = None, mode: str | None = None, district: str | None = None,
           min_investment: int | None = None, max_investment: int | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[Project]]:
    """Published projects, newest first, filtered."""
    cfg = startup()
    q = select(Project).where(Project.state == "published")
    if sector:
        if sector not in cfg.sectors:
            raise Invalid(f"项目类别应为：{'、'.join(cfg.sectors.values())}", field="sector")
        q = q.where(Project.sector == sector)
    if mode:
        if mode not in cfg.modes:
            raise Invalid(f"合作方式应为：{'、'.join(cfg.modes.values())}", field="mode")
        q = q.where(Project.mode == mode)
    if district:
        if district not in districts():
            raise Invalid(f"旗县市应为：{'、'.join(districts())}", field="district")
        q = q.where(Project.district == district)
    if min_investment is not None:
        q = q.where(Project.investment_yuan >= min_investment)
    if max_investment is not None:
        q = q.where(Project.investment_yuan <= max_investment)
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = s.scalars(q.order_by(Project.published_at.desc(), Project.id.desc()).limit(limit).offset(offset)).all()
    return total, list(rows)


def mine(s: Session, user: User) -> list[Project]:
    return list(s.scalars(select(Project).where(Project.owner_id == user.id).order_by(Project.id.desc())).all())


def queue(s: Session, user: User) -> list[Project]:
    """Projects waiting for review that this staff member may review."""
    actor = actor_of(user)
    rows = s.scalars(select(Project).where(Project.state == "submitted").order_by(Project.id)).all()
    return [p for p in rows if access.project(actor, "review", p.state, district=p.district, owner_id=p.owner_id)[0]]


def view(p: Project, *, full: bool = False) -> dict:
    """A project for the pages and the API, with the advantages a project in the library brings."""
    cfg = startup()
    return {"id": p.id, "title": p.title, "mode": p.mode, "mode_label": cfg.modes.get(p.mode, ""),
            "sector": p.sector, "sector_label": cfg.sectors.get(p.sector, ""), "district": p.district,
            "place": p.place, "investment_yuan": p.investment_yuan, "offer": p.offer, "description": p.description,
            "contact_name": p.contact_name if full else mask_name(p.contact_name),
            "contact_phone": p.contact_phone if full else mask_phone(p.contact_phone),
            "state": p.state, "state_label": STATE_LABELS[p.state], "return_reason": p.return_reason,
            "published_at": show(p.published_at), "demo": p.demo, "version": p.version}


def advantages() -> dict:
    cfg = startup()
    return {"items": [a.model_dump() for a in cfg.advantages], "sources": cfg.advantages_sources}


# --- interest ----------------------------------------------------------------------------------------
def express_interest(s: Session, user: User, project_id, *, phone: str | None, note: str | None = None) -> Interest:
    from jiuye.market import notify
    from jiuye.startup.tasks import centre_staff

    p = load(s, user, project_id, "interest")
    phone = check_phone(phone or user.phone, "phone")
    if s.scalar(select(Interest.id).where(Interest.project_id == p.id, Interest.founder_id == user.id,
                                         Interest.state != "closed")) is not None:
        raise Invalid("您已对这个项目表达过意向，工作人员会联系您", field="project")
    t = now()
    it = Interest(project_id=p.id, founder_id=user.id, phone=phone, note=text(note, "note", "留言", limit=300, required=False),
                  state="open", created_at=t, due_at=t + dt.timedelta(days=startup().interest_follow_up.days))
    s.add(it)
    s.flush()
    record(s, user, "interest_expressed", project_id=p.id, data={"interest_id": it.id})
    for uid in centre_staff(s, p.district):
        notify.notify(s, "startup_interest", user_id=uid, title=f"创业项目「{p.title}」有新的意向",
                      body=f"请在 {show(it.due_at)}（北京时间）前联系意向人。", link="/console/startup",
                      dedupe=f"startup-interest:{it.id}:{uid}")
    notify.notify(s, "startup_interest", user_id=p.owner_id, title=f"您的项目「{p.title}」有人表达了意向",
                  body="就业服务部门会安排对接。", link=f"/startup/projects/{p.id}")
    commit(s)
    return it


def interests_to_follow(s: Session, user: User) -> list[tuple[Interest, Project]]:
    actor = actor_of(user)
    rows = s.execute(select(Interest, Project).join(Project, Project.id == Interest.project_id)
                     .where(Interest.state != "closed").order_by(Interest.due_at)).all()
    return [(i, p) for i, p in rows if access.interest(actor, "follow_up", i.state, district=p.district,
                                                        founder_id=i.founder_id)[0]]


def my_interests(s: Session, user: User) -> list[tuple[Interest, Project]]:
    return list(s.execute(select(Interest, Project).join(Project, Project.id == Interest.project_id)
                          .where(Interest.founder_id == user.id).order_by(Interest.id.desc())).all())


def follow_up(s: Session, user: User, interest_id, *, result: str, close: bool = False) -> Interest:
    iid = check_id(interest_id, "意向")
    it = s.get(Interest, iid)
    p = s.get(Project, it.project_id) if it else None
    actor = actor_of(user)
    if it is None or not access.interest(actor, "view", it.state, district=p.district, founder_id=it.founder_id)[0]:
        raise NotFound("没有这条意向（或您无权查看）")
    need(access.interest(actor, "follow_up", it.state, district=p.district, founder_id=it.founder_id))
    it.result = text(result, "result", "跟进结果", limit=300)
    t = now()
    it.contacted_at = it.contacted_at or t
    it.state = "closed" if close else "contacted"
    it.handled_by_id = user.id
    record(s, user, "interest_followed_up", project_id=p.id, data={"interest_id": it.id, "closed": close,
                                                                     "in_time": _aware(it.contacted_at) <= _aware(it.due_at)})
    commit(s)
    return it


def interest_view(it: Interest, p: Project, *, full: bool) -> dict:
    return {"id": it.id, "project_id": p.id, "project_title": p.title, "district": p.district,
            "phone": it.phone if full else mask_phone(it.phone), "note": it.note, "state": it.state,
            "state_label": INTEREST_LABELS[it.state], "due_at": show(it.due_at), "contacted_at": show(it.contacted_at),
            "overdue": it.contacted_at is None and it.due_at is not None and now() > _aware(it.due_at),
            "result": it.result}


def _aware(t):
    from jiuye.startup.common import aware

    return aware(t)

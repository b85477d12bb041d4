"""Booths: an employer applies for a booth at a fair with the materials the documents list (营业执照、
法人身份证、招聘会申请表: data/fairs/fairs.yaml, each an uploaded PDF, JPG or PNG checked by the cases'
attachment rules: its first bytes, its size), and the posts it brings (its own published posts). Staff
approve (a booth number is given: first come, the lowest free number; by sector, next to the same
sector's booths) or return with a reason. When every booth is taken an approved application goes on
the waiting list; a booth given back goes to the first on the list. The employer is told each time.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.fairs import access
from jiuye.fairs.common import (
    Invalid, NotFound, actor_of, check_id, check_name, check_phone, clean_text, clock, commit, record_event,
)
from jiuye.fairs.fairs import get as get_fair, is_past
from jiuye.fairs.models import Booth, Fair
from jiuye.fairs.settings import fairs as settings

STATE_LABELS = {"pending": "待审核", "approved": "已安排展位", "waiting": "候补中", "returned": "已退回",
                "withdrawn": "已撤回"}
MAX_POSTS = 20


def check_file(code: str, filename: str, data: bytes) -> dict:
    """One material: a PDF, JPG or PNG (by its first bytes) within the size limit, stored once by its
    checksum (the cases' attachment store). Returns what the booth keeps of it."""
    from jiuye.cases import attachments

    name = settings().material_name(code)
    if not data:
        raise Invalid(f"请上传「{name}」", field=f"file_{code}")
    if len(data) > attachments.max_bytes():
        raise Invalid(f"「{name}」超过 {attachments.max_bytes() // (1024 * 1024)} MB", field=f"file_{code}")
    ctype = attachments.sniff(data)
    if ctype is None:
        raise Invalid(f"「{name}」只接受 PDF、JPG、PNG 文件", field=f"file_{code}")
    digest, _rel = attachments.store_bytes(data)
    return {"sha256": digest, "name": attachments._clean_name(filename or code), "type": ctype, "size": len(data)}


def _posts(s: Session, employer_id: int, ids: list[Any]) -> list[int]:
    from jiuye.market.models import Posting

    out: list[int] = []
    for raw in ids:
        try:
            out.append(int(str(raw)))
        except ValueError:
            raise Invalid("岗位编号有误", field="posting_ids") from None
    out = list(dict.fromkeys(out))[:MAX_POSTS]
    if not out:
        raise Invalid("请至少选择一个本单位正在招聘的岗位带到招聘会", field="posting_ids")
    ok = set(s.scalars(select(Posting.id).where(Posting.id.in_(out), Posting.employer_id == employer_id,
                                                Posting.state == "published")).all())
    if set(out) - ok:
        raise Invalid("只能选择本单位已发布（招聘中）的岗位", field="posting_ids")
    return out


def _employer_users(s: Session, employer_id: int) -> list[User]:
    from jiuye.market.models import MarketEmployer

    emp = s.get(MarketEmployer, employer_id)
    if emp is None:
        return []
    return list(s.scalars(select(User).where(User.enterprise_id == emp.enterprise_id, User.active.is_(True))).all())


def _tell(s: Session, b: Booth, title: str, body: str) -> None:
    from jiuye.market import notify

    for u in _employer_users(s, b.employer_id):
        notify.notify_user(s, u, "fair_booth", title=title, body=body, link=f"/employer/fairs/booths/{b.id}")


def apply(s: Session, user: User, fair_id: int, *, sector: str = "", contact_name: str = "", phone: str = "",
          posting_ids: list[Any] | None = None, files: dict[str, tuple[str, bytes]] | None = None) -> Booth:
    """Apply (or apply again after a return) for a booth. Every material is required; nothing is saved
    when one is missing or wrong."""
    from jiuye.market.models import MarketEmployer

    f = get_fair(s, fair_id)
    actor = actor_of(s, user)
    access.require(access.fair(actor, "apply", f.state, district=f.district, kind=f.kind, past=is_past(f)))
    emp = s.get(MarketEmployer, actor.employer_id)
    contact = check_name(contact_name or emp.contact_name, "contact_name", "联系人")
    tel = check_phone(phone or emp.phone, "phone")
    sector = clean_text(sector, 30) or None
    if f.assign_mode == "sector" and not sector:
        raise Invalid("这场招聘会按行业分区安排展位，请填写所属行业", field="sector")
    posts = _posts(s, emp.id, posting_ids or [])
    old = s.scalar(select(Booth).where(Booth.fair_id == f.id, Booth.employer_id == emp.id))
    if old is not None and old.state not in ("returned", "withdrawn"):
        raise Invalid(f"本单位已申请这场招聘会（{STATE_LABELS[old.state]}）", field="fair_id")
    materials = {}
    for m in settings().employer_materials:
        filename, data = (files or {}).get(m.code) or ("", b"")
        if not data and old is not None and m.code in (old.materials or {}):
            materials[m.code] = old.materials[m.code]  # kept from the returned application
            continue
        materials[m.code] = check_file(m.code, filename, data)
    b = old or Booth(fair_id=f.id, employer_id=emp.id)
    b.employer_name = emp.enterprise.name
    b.sector, b.contact_name, b.phone, b.materials, b.posting_ids = sector, contact, tel, materials, posts
    b.state, b.booth_no, b.reason, b.applied_at, b.updated_at = "pending", None, None, clock.now(), clock.now()
    b.decided_at = b.decided_by_id = None
    if old is None:
        s.add(b)
    s.flush()
    record_event(s, user, "booth_applied", fair_id=f.id, booth_id=b.id, data={"posts": len(posts), "again": old is not None})
    commit(s)
    return b


def load(s: Session, user: User | None, booth_id: int, action: str = "view") -> Booth:
    check_id(booth_id, "展位申请")
    b = s.get(Booth, booth_id)
    actor = actor_of(s, user)
    if b is None or not access.booth(actor, "view", "pending", district=b.fair.district, employer_id=b.employer_id)[0]:
        raise NotFound("没有这个展位申请（或您无权查看）")
    if action != "view":
        access.require(access.booth(actor, action, b.state, district=b.fair.district, employer_id=b.employer_id))
    return b


def _taken(s: Session, fair_id: int) -> dict[int, str | None]:
    return dict(s.execute(select(Booth.booth_no, Booth.sector).where(Booth.fair_id == fair_id, Booth.state == "approved",
                                                                     Booth.booth_no.is_not(None))).all())


def _free_number(f: Fair, taken: dict[int, str | None], sector: str | None) -> int | None:
    free = [n for n in range(1, f.booths + 1) if n not in taken]
    if not free:
        return None
    if f.assign_mode == "sector" and sector:
        same = [n for n, sec in taken.items() if sec == sector]
        if same:
            after = [n for n in free if n > max(same)]
            return after[0] if after else free[0]
    return free[0]


def approve(s: Session, staff: User, booth_id: int, *, booth_no: int | None = None, note: str = "") -> Booth:
    b = load(s, staff, booth_id, "decide")
    f = b.fair
    taken = _taken(s, f.id)
    if booth_no is not None:
        if not 1 <= booth_no <= f.booths:
            raise Invalid(f"展位号应在 1 至 {f.booths} 之间", field="booth_no")
        if booth_no in taken:
            raise Invalid(f"{booth_no} 号展位已安排给其他单位", field="booth_no")
        number = booth_no
    else:
        number = _free_number(f, taken, b.sector)
    now = clock.now()
    b.decided_at, b.decided_by_id, b.updated_at = now, staff.id, now
    if number is None:
        b.state = "waiting"
        record_event(s, staff, "booth_waiting", fair_id=f.id, booth_id=b.id, comment=clean_text(note))
        _tell(s, b, f"招聘会展位候补：{f.name}", f"{f.held_on.isoformat()} 的招聘会展位已满，贵单位的申请已审核通过并进入候补名单，"
                                           "有展位空出时按顺序安排并通知。")
    else:
        b.state, b.booth_no = "approved", number
        record_event(s, staff, "booth_approved", fair_id=f.id, booth_id=b.id, comment=clean_text(note),
                     data={"booth_no": number})
        _tell(s, b, f"招聘会展位已安排：{f.name}", f"{f.held_on.isoformat()} 招聘会，贵单位展位号 {number}。"
                                          "请按时到场；所选岗位已随招聘会发布。")
    commit(s)
    return b


def return_(s: Session, staff: User, booth_id: int, reason: str) -> Booth:
    b = load(s, staff, booth_id, "decide")
    why = clean_text(reason, 500)
    if not why:
        raise Invalid("退回须写明原因（缺哪份材料、哪里需要更正）", field="reason")
    now = clock.now()
    b.state, b.reason, b.decided_at, b.decided_by_id, b.updated_at = "returned", why, now, staff.id, now
    record_event(s, staff, "booth_returned", fair_id=b.fair_id, booth_id=b.id, comment=why)
    _tell(s, b, f"招聘会展位申请被退回：{b.fair.name}", f"退回原因：{why}。请补正后重新提交。")
    commit(s)
    return b


def withdraw(s: Session, user: User, booth_id: int) -> Booth:
    b = load(s, user, booth_id, "withdraw")
    was = b.state
    b.state, b.booth_no, b.updated_at = "withdrawn", None, clock.now()
    record_event(s, user, "booth_withdrawn", fair_id=b.fair_id, booth_id=b.id, data={"was": was})
    s.flush()
    if was == "approved":
        _promote(s, b.fair)
    commit(s)
    return b


def _promote(s: Session, f: Fair) -> None:
    """A booth came free: the first on the waiting list gets it."""
    nxt = s.scalar(select(Booth).where(Booth.fair_id == f.id, Booth.state == "waiting").order_by(Booth.applied_at, Booth.id))
    if nxt is None:
        return
    number = _free_number(f, _taken(s, f.id), nxt.sector)
    if number is None:
        return
    nxt.state, nxt.booth_no, nxt.updated_at = "approved", number, clock.now()
    s.add(nxt)
    from jiuye.fairs.common import system_event

    system_event(s, "booth_promoted", fair_id=f.id, booth_id=nxt.id, data={"booth_no": number})
    _tell(s, nxt, f"候补转正：{f.name}", f"有展位空出，贵单位已安排 {number} 号展位。")


def for_fair(s: Session, user: User, fair_id: int, *, state: str | None = None) -> list[Booth]:
    f = get_fair(s, fair_id)
    actor = actor_of(s, user)
    q = select(Booth).where(Booth.fair_id == f.id)
    if actor.kind == "employer":
        q = q.where(Booth.employer_id == actor.employer_id)
    elif not (access.covers(actor, f.district) or actor.kind == "admin"):
        return []
    if state:
        q = q.where(Booth.state == state)
    return list(s.scalars(q.order_by(Booth.booth_no.is_(None), Booth.booth_no, Booth.applied_at, Booth.id)).all())


def mine(s: Session, user: User) -> list[Booth]:
    actor = actor_of(s, user)
    if actor.kind != "employer":
        return []
    return list(s.scalars(select(Booth).where(Booth.employer_id == actor.employer_id).order_by(Booth.id.desc()).limit(100)).all())


def queue(s: Session, staff: User, *, limit: int = 200) -> list[Booth]:
    """Applications waiting for a decision in the staff member's area, the soonest fair first."""
    actor = actor_of(s, staff)
    if actor.kind != "admin" and not (actor.kind == "staff" and actor.role in access.VIEW_ROLES):
        return []
    scope = access.scope(actor)
    q = select(Booth).join(Fair).where(Booth.state == "pending", Fair.held_on >= clock.today())
    if scope is not None:
        q = q.where(Fair.district == scope)
    return list(s.scalars(q.order_by(Fair.held_on, Booth.applied_at).limit(limit)).all())


def view(b: Booth) -> dict:
    cfg = settings()
    return {"id": b.id, "fair_id": b.fair_id, "employer_name": b.employer_name, "sector": b.sector or "",
            "contact_name": b.contact_name, "phone": b.phone, "state": b.state, "state_label": STATE_LABELS[b.state],
            "booth_no": b.booth_no, "reason": b.reason, "applied_at": clock.show(b.applied_at),
            "decided_at": clock.show(b.decided_at), "posting_ids": list(b.posting_ids or []),
            "materials": [{"code": m.code, "name": m.name, "file": (b.materials or {}).get(m.code, {}).get("name"),
                           "size": (b.materials or {}).get(m.code, {}).get("size")} for m in cfg.employer_materials]}


def material(s: Session, user: User, booth_id: int, code: str) -> tuple[dict, bytes]:
    """One uploaded material, for the employer itself and staff who may read the application."""
    from jiuye.config import attachments_dir

    b = load(s, user, booth_id)
    m = (b.materials or {}).get(code)
    if not m:
        raise NotFound("没有这份材料")
    path = attachments_dir() / m["sha256"][:2] / m["sha256"]
    try:
        return m, path.read_bytes()
    except OSError:
        raise NotFound("材料文件已不在存储中，请联系单位重新上传") from None

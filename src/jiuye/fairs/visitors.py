"""Visitors: a seeker pre-registers for a fair with name and phone (no account needed; an account's
registrations show under 我的) and gets a check-in code, shown as a QR made locally (segno). At the
door staff check the code in (typed, or the QR scanned with the phone's camera: it opens the door page
with the code filled in); someone who did not pre-register is registered and checked in at the door.
One registration per phone and fair: registering again gives the same code.
"""
from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.fairs import access
from jiuye.fairs.common import (
    Conflict, Invalid, NotFound, actor_of, check_name, check_phone, clock, commit, mask_name, mask_phone, record_event,
)
from jiuye.fairs.fairs import get as get_fair, is_past
from jiuye.fairs.models import Visitor

ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud and typed on a phone
CODE_LEN = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN))


def normalise_code(raw: str | None) -> str:
    """What staff typed or a scanner gave: spaces and dashes dropped, upper case; a door-page address
    (the QR's content) gives its code."""
    text = (raw or "").strip()
    if "code=" in text:
        text = text.split("code=", 1)[1].split("&", 1)[0]
    return "".join(ch for ch in text.upper() if ch.isalnum())[:32]


def register(s: Session, user: User | None, fair_id: int, *, name: str, phone: str, channel: str = "online",
             commit_now: bool = True) -> tuple[Visitor, bool]:
    """(visitor, created). The same phone at the same fair gets its first registration back."""
    f = get_fair(s, fair_id)
    actor = actor_of(s, user)
    access.require(access.fair(actor, "register", f.state, district=f.district, kind=f.kind, past=is_past(f)))
    who = check_name(name)
    tel = check_phone(phone)
    old = s.scalar(select(Visitor).where(Visitor.fair_id == f.id, Visitor.phone == tel))
    if old is not None:
        if old.user_id is None and actor.kind in ("citizen", "employer") and user is not None:
            old.user_id = user.id
            commit(s)
        return old, False
    own = user.id if user is not None and actor.kind in ("citizen", "employer") else None
    v = Visitor(fair_id=f.id, name=who, phone=tel, user_id=own, channel=channel, registered_at=clock.now())
    for _ in range(5):
        v.code = new_code()
        if s.scalar(select(Visitor.id).where(Visitor.code == v.code)) is None:
            break
    s.add(v)
    s.flush()
    record_event(s, user, "visitor_registered", fair_id=f.id, visitor_id=v.id, data={"channel": channel})
    if commit_now:
        commit(s)
    return v, True


def by_code(s: Session, code: str) -> Visitor | None:
    c = normalise_code(code)
    return s.scalar(select(Visitor).where(Visitor.code == c)) if c else None


def check_in(s: Session, staff: User, fair_id: int, code: str) -> tuple[Visitor, bool]:
    """(visitor, first time). A code of another fair, or none, is refused with a message."""
    f = get_fair(s, fair_id)
    access.require(access.fair(actor_of(s, staff), "check_in", f.state, district=f.district, kind=f.kind))
    c = normalise_code(code)
    if not c:
        raise Invalid("请输入或扫描签到码", field="code")
    v = s.scalar(select(Visitor).where(Visitor.code == c))
    if v is None or v.fair_id != f.id:
        raise NotFound("没有这个签到码（请核对，或为本人现场登记）" if v is None else "这个签到码不是本场招聘会的", field="code")
    if v.checked_in_at is not None:
        return v, False
    v.checked_in_at, v.checked_in_by_id = clock.now(), staff.id
    record_event(s, staff, "visitor_checked_in", fair_id=f.id, visitor_id=v.id)
    try:
        commit(s)
    except Conflict:
        v = s.scalar(select(Visitor).where(Visitor.code == c))
        return v, False
    return v, True


def walk_in(s: Session, staff: User, fair_id: int, *, name: str, phone: str) -> Visitor:
    """Register at the door and check in at once (资料：求职简历表「也可现场填写」)."""
    f = get_fair(s, fair_id)
    access.require(access.fair(actor_of(s, staff), "check_in", f.state, district=f.district, kind=f.kind))
    v, _created = register(s, staff, fair_id, name=name, phone=phone, channel="door")
    v2, _first = check_in(s, staff, fair_id, v.code)
    return v2


def mine(s: Session, user: User) -> list[Visitor]:
    """An account's registrations: made signed in, or under the account's phone."""
    q = select(Visitor).where(Visitor.user_id == user.id)
    if user.phone:
        q = select(Visitor).where((Visitor.user_id == user.id) | (Visitor.phone == user.phone))
    return list(s.scalars(q.order_by(Visitor.id.desc()).limit(100)).all())


def checked_in_count(s: Session, fair_id: int) -> int:
    return s.scalar(select(func.count()).select_from(Visitor).where(Visitor.fair_id == fair_id,
                                                                    Visitor.checked_in_at.is_not(None))) or 0


def qr_svg(payload: str) -> str:
    """The QR as an inline SVG (segno, made here: no outside service sees the code)."""
    import segno

    return segno.make(payload, error="m").svg_inline(scale=5, dark="#000", light="#fff", title="签到二维码")


def view(v: Visitor, *, full: bool = False) -> dict:
    d = {"id": v.id, "fair_id": v.fair_id, "name": v.name if full else mask_name(v.name),
         "phone": v.phone if full else mask_phone(v.phone), "channel": v.channel,
         "registered_at": clock.show(v.registered_at), "checked_in": v.checked_in_at is not None,
         "checked_in_at": clock.show(v.checked_in_at)}
    if full:
        d["code"] = v.code
    return d

"""打工直通车 sign-ups: a worker picks a post and leaves a name and a phone number — no account, no
身份证号 (staff ask for it later, `followup.identify`). At a station's terminal, on a phone, through the
station master (站长代报名) or by staff taking a call (电话报名). Who may: jiuye.platforms.access.

Every sign-up starts the follow-up clock (data/platforms/dagong.yaml › follow_up: 24 hours, quoted):
`due_at`. The same form sent twice (a slow connection, a double tap) is one sign-up: the form's
`client_token`, and one open sign-up per phone number and post. A confirmation text goes to a mobile
number through the market's outbox. Names and numbers are masked in lists and never logged.
"""
from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from jiuye.cases.models import User
from jiuye.platforms import access, clock
from jiuye.platforms.common import (
    Conflict, Invalid, NotFound, actor_of, check_id, check_name, check_phone, clean_text, iso, log, mask_name,
    mask_phone, record_event,
)
from jiuye.platforms.models import Signup, Station
from jiuye.platforms.settings import dagong

STATE_LABELS = {"signed_up": "已报名（待联系）", "contacted": "已联系", "recommended": "已推荐", "departed": "已出发",
                "working": "已上岗", "followed_up": "已回访", "closed": "已结束"}
CHANNEL_LABELS = {"terminal": "工作站终端报名", "online": "手机报名", "station_master": "站长代报名", "hotline": "电话报名"}
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    """A form's one-time key: the same form sent again is the same sign-up."""
    return secrets.token_urlsafe(24)


def _post(s: Session, posting_id: Any):
    """The market post (public, open) a worker signs up for, through the market's own services."""
    from jiuye.market import postings

    try:
        pid = int(posting_id)
    except (TypeError, ValueError):
        raise Invalid("请选择要报名的岗位", field="posting_id") from None
    check_id(pid, "岗位")
    try:
        p = postings.load(s, None, pid)  # anonymous: public posts only
    except NotFound:
        raise NotFound("没有这个岗位，或它已停止招聘：请重新选择", field="posting_id") from None
    v = postings.view(p)
    if v["valid_through"] and v["valid_through"] < clock.today().isoformat():
        raise Conflict("这个岗位已过报名有效期，请选择其他岗位", field="posting_id")
    if v["places_left"] <= 0:
        raise Conflict("这个岗位已招满，请选择其他岗位", field="posting_id")
    return v


def _station(s: Session, actor: access.Actor, station_id: int | None, station_code: str | None) -> Station | None:
    if station_id is None and not station_code and actor.kind == "station_master":
        station_id = actor.station_id
    st = None
    if station_id is not None:
        check_id(station_id, "工作站")
        st = s.get(Station, station_id)
        if st is None:
            raise NotFound("没有这个工作站", field="station_id")
    elif station_code:
        st = s.scalar(select(Station).where(Station.code == str(station_code).strip()[:40]))
        if st is None:
            raise NotFound("没有这个工作站（终端地址有误）", field="station")
    if st is None:
        access.require(access.self_sign_up(actor))
        return None
    access.require(access.station(actor, "sign_up", "active" if st.active else "inactive", district=st.district,
                                  station_id=st.id))
    return st


def _channel(actor: access.Actor, st: Station | None) -> str:
    if actor.kind == "station_master":
        return "station_master"
    if actor.kind == "staff":
        return "hotline"
    return "terminal" if st is not None else "online"


def _existing(s: Session, token: str | None, phone: str, posting_id: int) -> Signup | None:
    if token:
        row = s.scalar(select(Signup).where(Signup.client_token == token))
        if row is not None:
            return row
    return s.scalar(select(Signup).where(Signup.phone == phone, Signup.posting_id == posting_id,
                                         Signup.state.in_(access.OPEN_STATES)).order_by(Signup.id.desc()).limit(1))


def create(s: Session, user: User | None, *, posting_id: Any, name: str | None, phone: str | None,
           station_id: int | None = None, station_code: str | None = None, client_token: str | None = None,
           note: str | None = None, group_id: int | None = None, address: str | None = None,
           commit: bool = True) -> tuple[Signup, bool]:
    """A sign-up (and its clock). Returns (the sign-up, True) or, for a form sent again or a worker
    already signed up for this post, (that sign-up, False)."""
    actor = actor_of(s, user)
    token = (client_token or "").strip() or None
    if token is not None and not TOKEN.match(token):
        raise Invalid("表单已失效，请刷新页面后重新提交", field="client_token")
    if token is not None:
        again = s.scalar(select(Signup).where(Signup.client_token == token))
        if again is not None:
            return again, False
    name = check_name(name)
    phone = check_phone(phone)
    st = _station(s, actor, station_id, station_code)
    post = _post(s, posting_id)
    again = _existing(s, None, phone, post["id"])
    if again is not None:
        return again, False
    if actor.kind in ("anonymous", "citizen") and address:
        from jiuye.cases import throttle

        throttle.hit(s, "dagong_signup_address", address)
    if st is not None:
        district = st.district
    elif actor.kind == "staff" and actor.district:
        district = actor.district
    else:
        district = post["district"] or "兴安盟"  # a post outside the league: the 盟本级 大数据中心
    now = clock.now()
    cfg = dagong().follow_up
    su = Signup(station_id=st.id if st else None, posting_id=post["id"], posting_title=post["title"][:100],
                employer_name=(post["employer_name"] or "")[:100] or None, district=district, name=name, phone=phone,
                channel=_channel(actor, st), client_token=token, note=clean_text(note), group_id=group_id,
                created_by_id=user.id if user is not None and actor.kind in ("station_master", "staff") else None,
                state="signed_up", created_at=now, due_at=clock.deadline(now, cfg.hours, cfg.working_hours),
                attempts=0, updated_at=now, version=1)
    s.add(su)
    try:
        s.flush()
    except IntegrityError:  # the same form, sent twice at once
        s.rollback()
        again = _existing(s, token, phone, post["id"])
        if again is not None:
            return again, False
        raise
    record_event(s, user, "signup_created", station_id=su.station_id, signup_id=su.id, group_id=group_id,
                 data={"channel": su.channel, "posting_id": su.posting_id, "due_at": iso(su.due_at)})
    if phone.startswith("1"):
        from jiuye.market import notify

        notify.notify(s, "dagong_signup", phone=phone, title=f"已收到您的报名：{su.posting_title}",
                      body=f"打工直通车客服将在{cfg.hours}小时内与您联系，请保持电话畅通。",
                      dedupe=f"dagong-signup:{su.id}")
    if commit:
        s.commit()
    log.info("dagong: sign-up %d (%s) for post %d, district %s", su.id, su.channel, su.posting_id, district)
    return su, True


# --- reading -----------------------------------------------------------------------------------------
def load(s: Session, user: User | None, signup_id: int, action: str = "view") -> Signup:
    check_id(signup_id, "报名")
    su = s.get(Signup, signup_id)
    actor = actor_of(s, user)
    if su is None or not access.signup(actor, "view", su.state, district=su.district, station_id=su.station_id)[0]:
        raise NotFound(f"没有编号为 {signup_id} 的报名（或您无权查看）")
    if action != "view":
        access.require(access.signup(actor, action, su.state, district=su.district, station_id=su.station_id))
    return su


def by_token(s: Session, token: str | None) -> Signup | None:
    """The sign-up a form's token made (the worker's confirmation page: what they just sent)."""
    if not token or not TOKEN.match(token):
        return None
    return s.scalar(select(Signup).where(Signup.client_token == token))


TABS = {"contact": "待联系（24小时内）", "open": "跟进中", "visit": "待回访", "done": "已结束", "all": "全部"}
_TAB_STATES = {"contact": ("signed_up",), "open": ("contacted", "recommended", "departed"), "visit": ("working",),
               "done": ("followed_up", "closed"), "all": access.SIGNUP_STATES}


def _scope_conds(s: Session, user: User | None) -> list | None:
    actor = actor_of(s, user)
    if actor.kind in ("anonymous", "citizen") or (actor.kind == "staff" and actor.role not in access.VIEW_ROLES):
        return None
    district, station = access.scope(actor)
    conds = []
    if station is not None:
        conds.append(Signup.station_id == station)
    elif district is not None:
        conds.append(Signup.district == district)
    return conds


def queue(s: Session, user: User | None, *, tab: str = "contact", station_id: int | None = None,
          limit: int = 100, offset: int = 0) -> tuple[int, list[Signup]]:
    """Sign-ups of the caller's area: 待联系 ordered by time left (overdue first), 待回访 by the visit
    date, the others newest first. (total, one page)."""
    if tab not in TABS:
        raise Invalid(f"分类应为：{'、'.join(f'{k}（{v}）' for k, v in TABS.items())}", field="tab")
    conds = _scope_conds(s, user)
    if conds is None:
        return 0, []
    conds.append(Signup.state.in_(_TAB_STATES[tab]))
    if station_id is not None:
        conds.append(Signup.station_id == station_id)
    order = {"contact": (Signup.due_at, Signup.id), "visit": (Signup.followup_due_on, Signup.id)}.get(
        tab, (Signup.id.desc(),))
    total = s.scalar(select(func.count()).select_from(Signup).where(*conds)) or 0
    rows = s.scalars(select(Signup).options(selectinload(Signup.station)).where(*conds).order_by(*order)
                     .offset(max(0, offset)).limit(max(1, min(limit, 500)))).all()
    return total, list(rows)


def tab_counts(s: Session, user: User | None) -> dict[str, int]:
    conds = _scope_conds(s, user)
    if conds is None:
        return {k: 0 for k in TABS}
    by_state = dict(s.execute(select(Signup.state, func.count()).where(*conds).group_by(Signup.state)).all())
    return {k: sum(by_state.get(st, 0) for st in states) for k, states in _TAB_STATES.items()}


def overdue_count(s: Session, user: User | None) -> int:
    conds = _scope_conds(s, user)
    if conds is None:
        return 0
    return s.scalar(select(func.count()).select_from(Signup).where(
        *conds, Signup.state == "signed_up", Signup.due_at <= clock.now())) or 0


def view(su: Signup, *, full: bool = False, at=None) -> dict:
    """A sign-up for a page or the API. Lists mask the name and phone; `full`: the detail page of
    whoever may follow it up (or the station master who made it). The 身份证号 is never in here
    whole (only whether staff have it, masked)."""
    at = at or clock.now()
    reasons = dagong().close_reasons
    due = clock.aware(su.due_at)
    contacted = clock.aware(su.contacted_at)
    waiting = su.state == "signed_up"
    d = {"id": su.id, "state": su.state, "state_label": STATE_LABELS[su.state],
         "name": su.name if full else mask_name(su.name), "phone": su.phone if full else mask_phone(su.phone),
         "posting_id": su.posting_id, "posting_title": su.posting_title, "employer_name": su.employer_name or "",
         "station_id": su.station_id, "station_name": su.station.name if su.station else "（未经工作站）",
         "district": su.district, "channel": su.channel, "channel_label": CHANNEL_LABELS.get(su.channel, ""),
         "created_at": iso(su.created_at), "created_text": clock.show(su.created_at),
         "due_at": iso(due), "due_text": clock.show(due),
         "time_left": clock.time_left_text(due, at) if waiting else "",
         "overdue": waiting and due <= at, "seconds_left": int((due - at).total_seconds()) if waiting else None,
         "contacted_at": iso(contacted), "contacted_text": clock.show(contacted),
         "contacted_in_time": (contacted <= due) if contacted else (False if due <= at else None),
         "escalated": su.escalated_at is not None, "escalated_text": clock.show(su.escalated_at),
         "attempts": su.attempts, "has_id_number": su.person_id is not None,
         "recommended_text": clock.show(su.recommended_at), "departed_text": clock.show(su.departed_at),
         "started_on": iso(su.started_on), "followup_due_on": iso(su.followup_due_on),
         "followed_up_text": clock.show(su.followed_up_at), "still_working": su.still_working,
         "close_reason": su.close_reason, "close_reason_label": reasons.get(su.close_reason or "", ""),
         "group_id": su.group_id, "in_market": su.market_application_id is not None,
         "note": su.note if full else None, "outcome_note": su.outcome_note if full else None,
         "version": su.version}
    return d


def for_phone(s: Session, phone: str | None, *, limit: int = 50) -> list[Signup]:
    """The sign-ups made under `phone`, newest first (a citizen's 我的: their account's phone)."""
    if not phone:
        return []
    return list(s.scalars(select(Signup).where(Signup.phone == phone).order_by(Signup.id.desc()).limit(limit)).all())

"""Placement and the months on the post.

The case (procedure public_welfare_post) is the single path: when the centre takes the step
「安排上岗」 (placement → on_post) — from the case page or from the post's page (`place`, which names
the signup) — `on_transition` runs in the same transaction and takes one place of the post with one
conditional UPDATE (filled < places, post open, 招收期 not over): of two concurrent placements on the
last place one fails with 「名额已满」 and its case step is rolled back. The term is fixed then from the
rules: 36 months, or to retirement when fewer than 60 months are left (000 二 4). Leaving the post
(期满退出, 离岗) frees the place (推定). A rejected or withdrawn case ends its open signups."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import case as sql_case
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Case, Person, User
from jiuye.welfare_posts import access, rules
from jiuye.welfare_posts.common import Conflict, Invalid, actor_of, clock, commit, money, record
from jiuye.welfare_posts.models import WelfarePost, WelfareSignup, WelfareSubsidyMonth
from jiuye.welfare_posts.settings import settings

CHOSEN = "welfare_signup_id"  # Session.info key: the signup `place` names for the hook
ON_POST = ("on_post", "until_retirement")


def take_place(s: Session, post: WelfarePost) -> None:
    """One place, atomically: never more than `places` filled, whatever runs at the same time."""
    today = clock.today()
    res = s.execute(
        update(WelfarePost)
        .where(WelfarePost.id == post.id, WelfarePost.state == "open", WelfarePost.filled < WelfarePost.places,
               WelfarePost.end_on >= today)
        .values(filled=WelfarePost.filled + 1, version=WelfarePost.version + 1,
                state=sql_case((WelfarePost.filled + 1 >= WelfarePost.places, "filled"), else_=WelfarePost.state))
        .execution_options(synchronize_session=False))
    s.expire(post)
    if res.rowcount != 1:
        raise Conflict(f"岗位「{post.title}」名额已满或已结束招收，不能再安排上岗", field="post")


def free_place(s: Session, post: WelfarePost) -> None:
    """推定: a place left by a person who ended their term or left is open again (if in 招收期)."""
    s.execute(update(WelfarePost).where(WelfarePost.id == post.id, WelfarePost.filled > 0)
              .values(filled=WelfarePost.filled - 1, version=WelfarePost.version + 1,
                      state=sql_case((WelfarePost.state == "filled", "open"), else_=WelfarePost.state))
              .execution_options(synchronize_session=False))
    s.expire(post)


def _profile(s: Session, row: WelfareSignup) -> dict:
    person = s.get(Person, row.person_id)
    return rules.profile(person.id_number, row.post.district, row.groups or {})


def on_transition(s: Session, case: Case, actor: User | None, from_state: str, to_state: str, comment: str | None) -> None:
    """Called by jiuye.cases.service for every step of a public_welfare_post case (same transaction)."""
    rows = list(s.scalars(select(WelfareSignup).where(WelfareSignup.case_id == case.id)).all())
    applied = [r for r in rows if r.state == "applied"]
    today = clock.today()
    if from_state == "placement" and to_state == "on_post":
        chosen = s.info.get(CHOSEN)
        pick = [r for r in applied if r.id == chosen] if chosen else applied
        if not pick:
            if chosen:
                raise Invalid("这条报名不在这件案件上，或已处理", field="signup")
            return  # placed on a post not listed here (a window filing): nothing to count
        if len(pick) > 1:
            raise Invalid(f"申请人报名了 {len(pick)} 个公益性岗位，请在「公益性岗位」页面选择安排到哪个岗位", field="signup")
        row = pick[0]
        take_place(s, row.post)
        months, basis = rules.term(_profile(s, row), today)
        if months == 0:
            raise Invalid(basis, field="signup")
        if months is None:
            months = rules_max_months(today)
        row.state, row.placed_on, row.term_months, row.term_basis = "placed", today, months, basis
        row.term_ends_on = rules.add_months(today, months)
        for other in applied:
            if other is not row:
                other.state = "not_placed"
        record(s, actor, "placed", post_id=row.post_id, signup_id=row.id,
               data={"case_id": case.id, "term_months": months, "term_ends_on": row.term_ends_on.isoformat()})
    elif to_state in ("rejected", "withdrawn"):
        for r in applied:
            r.state = "withdrawn" if to_state == "withdrawn" else "not_placed"
            record(s, actor, to_state, post_id=r.post_id, signup_id=r.id)
    elif from_state == "on_post" and to_state == "until_retirement":
        near = settings().term.exceptions["near_retirement"]
        for r in rows:
            if r.state == "placed":  # the centre checked the retirement date: the term runs to retirement
                r.term_ends_on = None
                r.term_basis = f"中心已办理「{near.label}」（{near.source.cite()}）：使用期限到法定退休年龄为止。{(comment or '')[:200]}"
                record(s, actor, "until_retirement", post_id=r.post_id, signup_id=r.id, comment=comment)
    elif from_state in ON_POST and to_state in ("left", "term_ended"):
        for r in rows:
            if r.state == "placed":
                r.state, r.ended_on = "ended", today
                free_place(s, r.post)
                record(s, actor, "ended", post_id=r.post_id, signup_id=r.id, comment=comment)


def rules_max_months(day: dt.date) -> int:
    from jiuye.rules import build_system, core

    value = core.param(build_system().parameters, day.isoformat(), settings().term.max_months_parameter)
    if value is None:
        raise Invalid("规则参数没有给出公益性岗位使用期限（public_welfare_post.max_months）", field="signup")
    return int(value)


def place(s: Session, user: User, signup_id, *, comment: str | None = None) -> WelfareSignup:
    """The centre places the person of `signup_id` on its post: the case's step 「安排上岗」."""
    from jiuye.welfare_posts import signups

    row = signups.load(s, user, signup_id)
    access.require(access.post(actor_of(user), "place", row.post.state, district=row.post.district))
    if row.state != "applied":
        raise Invalid(f"这条报名当前为「{signups.STATE_LABELS[row.state]}」，不能安排上岗", field="signup")
    case = s.get(Case, row.case_id)
    if case.state != "placement":
        raise Invalid(f"案件 {case.id} 还没有审核通过（当前为「{cases.get_procedures()[case.procedure].state_label(case.state)}」），"
                      f"请先在案件页办理受理和审核", field="signup", case_id=case.id)
    note = (comment or "").strip() or f"安排到公益性岗位「{row.post.title}」（{row.post.unit}），上岗日期 {clock.today()}"
    s.info[CHOSEN] = row.id
    try:
        cases.transition(s, user, case.id, "on_post", comment=note)
    finally:
        s.info.pop(CHOSEN, None)
    s.refresh(row)
    return row


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def record_month(s: Session, user: User, signup_id, month: str, *, note: str | None = None) -> WelfareSubsidyMonth:
    """The month's subsidy of a placed person: 岗位补贴 from the rules (or 'not given'), 社保补贴 as the
    documents state it (no figure); only months from the placement to the end of the term."""
    from jiuye.welfare_posts import signups

    try:
        row = signups.load(s, user, signup_id)
        access.require(access.post(actor_of(user), "subsidy", row.post.state, district=row.post.district))
        m = MONTH.match(str(month or "").strip())
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
            raise Invalid(f"月份应为 YYYY-MM，实际为「{str(month or '')[:20]}」", field="month")
        first = dt.date(int(m.group(1)), int(m.group(2)), 1)
        if row.placed_on is None:
            raise Invalid("这个人还没有上岗，不能记录补贴", field="signup")
        last = row.ended_on or row.term_ends_on
        if first < row.placed_on.replace(day=1):
            raise Invalid(f"{month} 早于上岗月份（{row.placed_on:%Y-%m}）", field="month")
        if last is not None and first > last:
            why = "已离岗" if row.ended_on else f"已超过使用期限（期满日 {row.term_ends_on}；{row.term_basis}）"
            raise Invalid(f"{month} {why}，不能再记录补贴", field="month")
        if first > clock.today():
            raise Invalid(f"{month} 还没到，不能预先记录", field="month")
        cfg = settings().subsidy
        wage = rules.monthly_wage_fen(_profile(s, row), first)
        text = (f"{cfg.wage.label} {money(wage)}" if wage is not None else f"{cfg.wage.label}：{cfg.wage.not_given}")
        text += f"；{cfg.social_insurance.label}：{cfg.social_insurance.not_given}"
        item = WelfareSubsidyMonth(signup_id=row.id, month=f"{first:%Y-%m}", wage_fen=wage,
                                   note=(note or "").strip()[:200] or None, recorded_by_id=user.id, created_at=clock.now())
        s.add(item)
        s.flush()
        record(s, user, "subsidy", post_id=row.post_id, signup_id=row.id, data={"month": item.month, "wage_fen": wage})
        case = s.get(Case, row.case_id)
        if case.state in ON_POST:  # the case's own monthly step (第 n 次发放), same transaction
            cases._transition(s, user, case.id, case.state, f"{item.month} {text}", None)
        commit(s)
        return item
    except IntegrityError:
        s.rollback()
        raise Conflict(f"{month} 的补贴已经记录过", field="month") from None
    except BaseException:
        s.rollback()
        raise


def months_of(s: Session, row: WelfareSignup) -> list[dict]:
    cfg = settings().subsidy
    items = s.scalars(select(WelfareSubsidyMonth).where(WelfareSubsidyMonth.signup_id == row.id)
                      .order_by(WelfareSubsidyMonth.month)).all()
    return [{"month": i.month, "wage_fen": i.wage_fen, "wage": money(i.wage_fen) if i.wage_fen is not None else None,
             "wage_text": money(i.wage_fen) if i.wage_fen is not None else "资料未给出金额（见下）",
             "si_text": "资料未给出金额（见下）", "note": i.note} for i in items]


def my_view(s: Session, user: User) -> list[dict]:
    """我的公益性岗位: each signup, and for a placed person the months recorded and the term's end."""
    from jiuye.welfare_posts import signups

    cfg = settings().term
    out = []
    for row in signups.mine(s, user):
        v = signups.view(s, row, full=True)
        v["months"] = months_of(s, row) if row.placed_on else []
        v["training_hint"] = None
        if row.state == "placed" and row.term_ends_on is not None:
            soon = rules.add_months(clock.today(), cfg.training_before_end.months) >= row.term_ends_on
            if soon:
                v["training_hint"] = cfg.training_before_end.source.cite()
        out.append(v)
    return out

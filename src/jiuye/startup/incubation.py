"""Admission to a 创业园孵化基地 (the catalogue: data/incubation_bases.yaml): a founder applies (创业计划书
summary and upload, 就业创业证, 创业培训证书, first-time founder, the months asked for — at most the
incubation period, 003: 孵化周期一般不超过3年); the centre of the base's district assigns at least
`review.min_reviewers` reviewers; each declares a conflict of interest first and, without one,
scores; the centre decides (dated, with reasons) once enough scores are in; an admitted founder's
tenancy is recorded with its entry and exit dates; the base's figures are counted from these rows.
Who may do what: jiuye.startup.access."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.startup import access
from jiuye.startup.common import (
    Invalid, NotFound, actor_of, check_id, commit, mask_name, need, now, record, show, text, today,
)
from jiuye.startup.models import Application, Review, Tenancy
from jiuye.startup.settings import startup

STATE_LABELS = {"submitted": "已提交，待指派评审", "reviewing": "评审中", "admitted": "准予入驻", "refused": "不予入驻",
                "withdrawn": "已撤回"}
EXIT_KINDS = {"graduated": "孵化期满毕业（出园）", "left": "提前退出"}


def _bool(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "on", "yes", "是")


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _base(key: str | None):
    b = startup().base(str(key or ""))
    if b is None:
        raise Invalid("请从目录中选择要入驻的基地", field="base")
    return b


def apply(s: Session, user: User, data: dict, *, plan: tuple[str, bytes] | None = None) -> Application:
    """A founder's application to enter a base. `plan`: the uploaded 创业计划书 (name, bytes)."""
    from jiuye.cases import attachments
    from jiuye.startup.models import Project

    if user.role != "applicant":
        raise Invalid("入驻申请由创业者本人用个人账号提交", field="user")
    cfg = startup().incubation
    b = _base(data.get("base"))
    limit = cfg.period_years * 12
    try:
        months = int(str(data.get("months_requested") or "").strip())
    except ValueError:
        raise Invalid("申请孵化期限应为整数（月）", field="months_requested") from None
    if not 1 <= months <= limit:
        raise Invalid(f"申请孵化期限应为 1–{limit} 个月（孵化周期一般不超过{cfg.period_years}年）", field="months_requested")
    try:
        jobs = int(str(data.get("planned_jobs") or "0").strip() or 0)
    except ValueError:
        raise Invalid("计划带动就业人数应为整数", field="planned_jobs") from None
    if not 0 <= jobs <= 10000:
        raise Invalid("计划带动就业人数应在 0–10000 之间", field="planned_jobs")
    reg = None
    if data.get("business_registration_date"):
        try:
            reg = dt.date.fromisoformat(str(data["business_registration_date"]).strip())
        except ValueError:
            raise Invalid("登记注册日期应为 YYYY-MM-DD", field="business_registration_date") from None
        if reg > today():
            raise Invalid("登记注册日期晚于今天", field="business_registration_date")
    project_id = None
    if data.get("project_id"):
        from jiuye.startup.projects import load as load_project

        project_id = load_project(s, user, data["project_id"]).id
        if s.get(Project, project_id).state != "published":
            raise Invalid("只能关联已发布的创业项目", field="project_id")
    plan_file = None
    if plan is not None and plan[1]:
        _name, blob = plan
        if len(blob) > attachments.max_bytes():
            raise Invalid("创业计划书文件太大", field="plan")
        if attachments.sniff(blob) is None:
            raise Invalid("创业计划书请上传 PDF、JPG 或 PNG 文件", field="plan")
        plan_file = attachments.store_bytes(blob)[0]
    summary = text(data.get("plan_summary"), "plan_summary", "创业计划书摘要", limit=2000)
    if plan_file is None and not summary:
        raise Invalid("请上传创业计划书或填写摘要", field="plan")
    t = now()
    a = Application(founder_id=user.id, base_key=b.id, district=b.district, project_id=project_id,
                    business_name=text(data.get("business_name"), "business_name", "创业实体（项目）名称", limit=60),
                    plan_summary=summary, plan_file=plan_file, has_employment_card=_bool(data.get("has_employment_card")),
                    has_training_certificate=_bool(data.get("has_training_certificate")),
                    first_business=_bool(data.get("first_business")), business_registration_date=reg,
                    planned_jobs=jobs, months_requested=months, state="submitted", created_at=t, updated_at=t)
    s.add(a)
    s.flush()
    record(s, user, "application_submitted", application_id=a.id, data={"base": b.id})
    commit(s)
    return a


def _reviews(s: Session, app_id: int) -> list[Review]:
    return list(s.scalars(select(Review).where(Review.application_id == app_id).order_by(Review.id)).all())


def _rule(s: Session, user: User | None, a: Application, action: str, reviews: list[Review] | None = None):
    reviews = _reviews(s, a.id) if reviews is None else reviews
    return access.application(actor_of(user), action, a.state, district=a.district, founder_id=a.founder_id,
                              reviewer_ids=tuple(r.reviewer_id for r in reviews),
                              conflicted_ids=tuple(r.reviewer_id for r in reviews if r.conflict))


def load(s: Session, user: User | None, app_id, action: str = "view") -> Application:
    a = s.get(Application, check_id(app_id, "入驻申请"))
    if a is None or not _rule(s, user, a, "view")[0]:
        raise NotFound("没有这份入驻申请（或您无权查看）")
    if action != "view":
        need(_rule(s, user, a, action))
    return a


def assign(s: Session, user: User, app_id, reviewer_ids: list[int]) -> list[Review]:
    from jiuye.market import notify

    a = load(s, user, app_id, "assign")
    have = {r.reviewer_id for r in _reviews(s, a.id)}
    added = []
    for rid in reviewer_ids:
        reviewer = s.get(User, rid) if isinstance(rid, int) and rid > 0 else None
        if reviewer is None or reviewer.role not in access.VIEW_ROLES or not reviewer.active:
            raise Invalid("评审须是在岗的工作人员账号", field="reviewers")
        if reviewer.id == user.id:
            raise Invalid("作出决定的人不能同时担任评审", field="reviewers")
        if reviewer.id in have:
            continue
        have.add(reviewer.id)
        r = Review(application_id=a.id, reviewer_id=reviewer.id)
        s.add(r)
        added.append(r)
        notify.notify(s, "startup_review", user_id=reviewer.id, title="请评审一份孵化基地入驻申请",
                      body="请先声明是否存在利益冲突，再评分。", link=f"/startup/reviews/{a.id}",
                      dedupe=f"startup-review:{a.id}:{reviewer.id}")
    if len(have) < startup().incubation.review.min_reviewers:
        s.rollback()
        raise Invalid(f"至少指派 {startup().incubation.review.min_reviewers} 名评审", field="reviewers")
    a.state, a.updated_at = "reviewing", now()
    record(s, user, "reviewers_assigned", application_id=a.id, data={"reviewers": sorted(have)})
    commit(s)
    return added


def _my_review(s: Session, user: User, a: Application) -> Review:
    r = s.scalar(select(Review).where(Review.application_id == a.id, Review.reviewer_id == user.id))
    if r is None:
        raise NotFound("没有这份入驻申请（或您无权查看）")
    return r


def declare(s: Session, user: User, app_id, *, conflict: bool, note: str | None = None) -> Review:
    a = load(s, user, app_id, "declare")
    r = _my_review(s, user, a)
    if r.conflict is not None:
        raise Invalid("利益冲突已经声明过，不能更改", field="conflict")
    why = text(note, "conflict_note", "利益冲突说明", limit=300, required=bool(conflict))
    r.conflict, r.conflict_note = bool(conflict), why
    r.declared_at = now()
    record(s, user, "conflict_declared", application_id=a.id, data={"conflict": r.conflict})
    commit(s)
    return r


def score(s: Session, user: User, app_id, *, value, comment: str | None) -> Review:
    a = load(s, user, app_id, "score")
    r = _my_review(s, user, a)
    if r.conflict is None:
        raise Invalid("请先声明是否存在利益冲突", field="conflict")
    rule = startup().incubation.review
    try:
        v = int(str(value).strip())
    except (TypeError, ValueError):
        raise Invalid(f"评分应为 {rule.score_min}–{rule.score_max} 的整数", field="score") from None
    if not rule.score_min <= v <= rule.score_max:
        raise Invalid(f"评分应为 {rule.score_min}–{rule.score_max} 的整数", field="score")
    if r.score is not None:
        raise Invalid("您已经评过分", field="score")
    r.score, r.comment, r.scored_at = v, text(comment, "comment", "评审意见", limit=500), now()
    record(s, user, "review_scored", application_id=a.id, data={"score": v})
    commit(s)
    return r


def summary(reviews: list[Review]) -> dict:
    rule = startup().incubation.review
    scored = [r.score for r in reviews if r.score is not None and not r.conflict]
    avg = round(sum(scored) / len(scored), 1) if scored else None
    return {"assigned": len(reviews), "conflicted": sum(1 for r in reviews if r.conflict), "scored": len(scored),
            "needed": rule.min_reviewers, "average": avg, "pass_mark": rule.pass_mark,
            "ready": len(scored) >= rule.min_reviewers, "suggests_admission": avg is not None and avg >= rule.pass_mark}


def decide(s: Session, user: User, app_id, *, admit: bool, reason: str, entry_date: str | None = None) -> Application:
    from jiuye.market import notify

    a = load(s, user, app_id, "decide")
    info = summary(_reviews(s, a.id))
    if not info["ready"]:
        raise Invalid(f"还需要 {info['needed'] - info['scored']} 名无利益冲突的评审评分，才能作出决定", field="reviews")
    reason = text(reason, "reason", "决定理由", limit=500)
    entry = _entry_day(entry_date)
    a.decision_reason = reason
    a.state, a.decided_on, a.decided_by_id, a.updated_at = ("admitted" if admit else "refused"), today(), user.id, now()
    record(s, user, "application_decided", application_id=a.id, data={"admit": admit, "average": info["average"]})
    if admit:
        enter(s, user, a, entry)
    b = startup().base(a.base_key)
    notify.notify(s, "startup_decision", user_id=a.founder_id, title=f"{b.name if b else '孵化基地'}入驻申请：{STATE_LABELS[a.state]}",
                  body=f"决定日期 {a.decided_on.isoformat()}。理由：{a.decision_reason}", link=f"/startup/applications/{a.id}")
    commit(s)
    return a


def _entry_day(entry_date: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(str(entry_date).strip()) if entry_date else today()
    except ValueError:
        raise Invalid("入驻日期应为 YYYY-MM-DD", field="entry_date") from None
    if abs((day - today()).days) > 366 * 5:
        raise Invalid("入驻日期应在今天前后 5 年之内", field="entry_date")
    return day


def enter(s: Session, user: User, a: Application, day: dt.date) -> Tenancy:
    t = Tenancy(application_id=a.id, founder_id=a.founder_id, base_key=a.base_key, entered_on=day,
                planned_exit_on=_add_months(day, a.months_requested), jobs_created=0, created_at=now())
    s.add(t)
    s.flush()
    record(s, user, "tenancy_started", application_id=a.id, data={"entered_on": day.isoformat()})
    return t


def tenancy_of(s: Session, app_id: int) -> Tenancy | None:
    return s.scalar(select(Tenancy).where(Tenancy.application_id == app_id))


def record_exit(s: Session, user: User, app_id, *, exit_date: str, kind: str, jobs_created) -> Tenancy:
    a = load(s, user, app_id, "tenancy")
    t = tenancy_of(s, a.id)
    if t is None:
        raise NotFound("这份申请没有入驻记录")
    if t.exited_on is not None:
        raise Invalid("已经登记过退出", field="exit_date")
    if kind not in EXIT_KINDS:
        raise Invalid(f"退出方式应为：{'、'.join(EXIT_KINDS.values())}", field="kind")
    try:
        day = dt.date.fromisoformat(str(exit_date))
    except ValueError:
        raise Invalid("退出日期应为 YYYY-MM-DD", field="exit_date") from None
    if day < t.entered_on or day > today():
        raise Invalid("退出日期应在入驻日期和今天之间", field="exit_date")
    try:
        jobs = int(str(jobs_created).strip())
    except ValueError:
        raise Invalid("带动就业人数应为整数", field="jobs_created") from None
    if not 0 <= jobs <= 10000:
        raise Invalid("带动就业人数应在 0–10000 之间", field="jobs_created")
    t.exited_on, t.exit_kind, t.jobs_created = day, kind, jobs
    record(s, user, "tenancy_ended", application_id=a.id, data={"kind": kind, "jobs": jobs})
    commit(s)
    return t


def figures(s: Session, base_key: str, on: dt.date | None = None) -> dict:
    """The base's figures, counted from the tenancy rows (never typed in)."""
    on = on or today()
    rows = list(s.scalars(select(Tenancy).where(Tenancy.base_key == base_key)).all())
    current = [t for t in rows if t.entered_on <= on and (t.exited_on is None or t.exited_on > on)]
    ended = [t for t in rows if t.exited_on is not None and t.exited_on <= on]
    graduates = [t for t in ended if t.exit_kind == "graduated"]
    on_time = [t for t in ended if t.exited_on <= t.planned_exit_on]
    overstaying = [t for t in current if t.planned_exit_on < on]
    return {"as_of": on.isoformat(), "tenants_now": len(current), "tenancies_total": len(rows),
            "jobs_created": sum(t.jobs_created for t in rows), "graduates": len(graduates), "exits": len(ended),
            "on_time_exits": len(on_time), "past_planned_exit": len(overstaying),
            "on_time_rate": round(len(on_time) / len(ended) * 100, 1) if ended else None}


def queue(s: Session, user: User) -> list[Application]:
    """Applications this staff member may act on: the centre's open ones and those assigned to them."""
    rows = s.scalars(select(Application).where(Application.state.in_(("submitted", "reviewing")))
                     .order_by(Application.id)).all()
    return [a for a in rows if _rule(s, user, a, "view")[0]]


def mine(s: Session, user: User) -> list[Application]:
    return list(s.scalars(select(Application).where(Application.founder_id == user.id).order_by(Application.id.desc())).all())


def view(s: Session, user: User | None, a: Application) -> dict:
    from jiuye.cases.models import User as U

    reviews = _reviews(s, a.id)
    actor = actor_of(user)
    founder = s.get(U, a.founder_id)
    is_founder = actor.kind == "citizen" and actor.user_id == a.founder_id
    centre = access.covers(actor, a.district, access.CENTRE_ROLES)
    b = startup().base(a.base_key)
    t = tenancy_of(s, a.id)
    name = (founder.display_name or founder.username) if founder else ""
    return {"id": a.id, "base": a.base_key, "base_name": b.name if b else a.base_key, "district": a.district,
            "founder": name if is_founder else mask_name(name), "business_name": a.business_name,
            "plan_summary": a.plan_summary, "plan_uploaded": a.plan_file is not None,
            "has_employment_card": a.has_employment_card, "has_training_certificate": a.has_training_certificate,
            "first_business": a.first_business,
            "business_registration_date": a.business_registration_date.isoformat() if a.business_registration_date else None,
            "planned_jobs": a.planned_jobs, "months_requested": a.months_requested, "state": a.state,
            "state_label": STATE_LABELS[a.state], "decided_on": a.decided_on.isoformat() if a.decided_on else None,
            "decision_reason": a.decision_reason, "project_id": a.project_id, "version": a.version,
            "created_at": show(a.created_at),
            "reviews": [{"reviewer_id": r.reviewer_id, "conflict": r.conflict, "score": r.score, "comment": r.comment,
                         "mine": actor.user_id == r.reviewer_id}
                        for r in reviews if centre or actor.kind == "admin" or actor.user_id == r.reviewer_id],
            "summary": summary(reviews) if centre or actor.kind == "admin" else None,
            "tenancy": None if t is None else {
                "entered_on": t.entered_on.isoformat(), "planned_exit_on": t.planned_exit_on.isoformat(),
                "exited_on": t.exited_on.isoformat() if t.exited_on else None,
                "exit_kind": EXIT_KINDS.get(t.exit_kind or ""), "jobs_created": t.jobs_created}}

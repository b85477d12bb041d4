"""报名: a citizen signs up for an open post with places left. The rules screen them as of today (the
declared groups, the 身份证号, the post's district); an ineligible person is refused with the reasons,
never silently accepted. An eligible one joins their open public_welfare_post case (one at a time) or
opens one (jiuye.cases.service, the same path as a window filing), with the post recorded here.
A person whose earlier term ended may sign up again only for 二次上岗 (000 二 4)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Case, Person, User
from jiuye.welfare_posts import posts, rules
from jiuye.welfare_posts.common import (
    Conflict, Invalid, NotFound, actor_of, check_id, check_phone, clock, commit, mask_id_number, mask_name, mask_phone,
    record,
)
from jiuye.welfare_posts.models import WelfareSignup
from jiuye.welfare_posts.settings import settings

STATE_LABELS = {"applied": "已报名，待中心审核安排", "placed": "已上岗", "not_placed": "未安排到这个岗位",
                "withdrawn": "已撤回", "ended": "已离岗（期满或离岗）"}
STATUS_LABELS = {"eligible": "符合条件", "not_eligible": "不符合条件", "needs_information": "还需要信息",
                 "window_closed": "受理期限已过"}


def groups_of(raw: dict | None) -> dict:
    cfg = settings().eligibility
    out = {}
    for k, v in (raw or {}).items():
        if k not in cfg.groups:
            raise Invalid(f"未知的情况「{k}」", field=f"groups.{k}")
        if v not in (True, False, None):
            raise Invalid(f"「{cfg.groups[k]}」应为 是 / 否", field=f"groups.{k}")
        if v is not None:
            out[k] = v
    if out.get(cfg.required) is None:
        raise Invalid(f"请回答：是否{cfg.groups[cfg.required]}", field=f"groups.{cfg.required}")
    return out


def check(s: Session, user: User, post_id, groups: dict | None) -> dict:
    """The verdict a citizen would get on signing up now (shown before they sign up)."""
    p = posts.must(s, user, post_id, "signup")
    person = s.get(Person, user.person_id)
    return rules.verdict(rules.profile(person.id_number, p.district, groups_of(groups)), clock.today())


def _refusal(v: dict) -> str:
    cfg = settings().eligibility
    why = "；".join(r["text"] for r in v["reasons"] if r["state"] in ("not_met", "unknown"))[:600]
    head = STATUS_LABELS.get(v["status"], v["status"])
    return f"按 {v['as_of']} 的政策筛查，公益性岗位安置{head}" + (f"：{why}" if why else "") + f"。{cfg.not_certified_hint}"


def _earlier_terms(s: Session, person_id: int) -> int:
    return len(s.scalars(select(WelfareSignup.id).where(WelfareSignup.person_id == person_id,
                                                        WelfareSignup.placed_on.is_not(None))).all())


def signup(s: Session, user: User, post_id, *, groups: dict | None = None, phone: str | None = None) -> WelfareSignup:
    try:
        p = posts.must(s, user, post_id, "signup")
        today = clock.today()
        if p.start_on > today or p.end_on < today:
            raise Invalid(f"这个岗位的招收期为 {p.start_on} 至 {p.end_on}，今天不能报名", field="post")
        if p.filled >= p.places:
            raise Conflict("这个岗位名额已满", field="post")
        person = s.get(Person, user.person_id)
        if s.scalar(select(WelfareSignup.id).where(WelfareSignup.post_id == p.id, WelfareSignup.person_id == person.id)):
            raise Conflict("您已经报名过这个岗位", field="post")
        g = groups_of(groups)
        prof = rules.profile(person.id_number, p.district, g)
        v = rules.verdict(prof, today)
        if v["status"] != "eligible":
            raise Invalid(_refusal(v), field=f"groups.{settings().eligibility.required}", screening_status=v["status"])
        placed = s.scalar(select(WelfareSignup).where(WelfareSignup.person_id == person.id,
                                                      WelfareSignup.state == "placed"))
        if placed is not None:
            raise Conflict(f"您已在公益性岗位「{placed.post.title}」上岗，不能再报名", field="post")
        terms = _earlier_terms(s, person.id)
        second = settings().term.exceptions["second_term"]
        if terms >= (second.max_terms or 2):
            raise Invalid(f"您已经使用过 {terms} 个公益性岗位使用期限，不能再报名（{second.source.cite()}；{second.assumption}）",
                          field="post")
        if terms and not rules.second_term_possible(prof, today):
            raise Invalid(f"您已经使用过公益性岗位使用期限。{second.label}（{second.source.cite()}）；按您填写的情况，"
                          f"不属于重度残疾或大龄失业人员。{settings().eligibility.second_term_offline}", field="groups")
        case = _case_for(s, user, person, p.district, v)
        row = WelfareSignup(post_id=p.id, person_id=person.id, user_id=user.id, case_id=case.id,
                            phone=check_phone(phone or user.phone, required=False), groups=g,
                            verdict={k: v[k] for k in ("status", "reasons", "amount_fen", "as_of")},
                            state="applied", term_no=terms + 1, created_at=clock.now())
        s.add(row)
        s.flush()
        record(s, user, "signed_up", post_id=p.id, signup_id=row.id, data={"case_id": case.id, "term_no": terms + 1})
        commit(s)
        return row
    except IntegrityError:
        s.rollback()
        raise Conflict("您已经报名过这个岗位", field="post") from None
    except BaseException:
        s.rollback()
        raise


def _case_for(s: Session, user: User, person: Person, district: str, v: dict) -> Case:
    """The person's open public_welfare_post case (the signup joins it), or a new one for the post's
    district, with the screening snapshot of this sign-up."""
    proc = settings().procedure
    open_case = s.scalar(select(Case).where(Case.person_id == person.id, Case.procedure == proc,
                                            Case.final.is_(False)).order_by(Case.id.desc()))
    if open_case is not None:
        if open_case.state not in ("submitted", "returned", "review", "placement"):
            raise Conflict("您的公益性岗位案件已在岗，不能再报名", field="post")
        if open_case.district != cases.district_key(district):
            raise Conflict(f"您在{open_case.district}已有一件公益性岗位报名（案件编号 {open_case.id}）还在办理；案件由岗位所在旗县市的"
                           f"就业服务中心办理，同一时间只能在一个旗县市报名。请等待结果或先撤回那件报名。", field="post")
        return open_case
    return cases._create_case(s, user, proc, profile=None, as_of=None, fields=None, district=district, id_number=None,
                              name=None, credit_code=None, office_id=None, snapshot=v["snapshot"])


def load(s: Session, user: User | None, signup_id) -> WelfareSignup:
    row = s.get(WelfareSignup, check_id(signup_id, "报名"))
    actor = actor_of(user)
    if row is None or not ((actor.kind == "citizen" and actor.person_id == row.person_id)
                           or posts.access.reads(actor, row.post.district)):
        raise NotFound(f"没有编号为 {signup_id} 的报名（或您无权查看）")
    return row


def applicants(s: Session, user: User, post_id) -> list[WelfareSignup]:
    p = posts.must(s, user, post_id, "applicants")
    return list(s.scalars(select(WelfareSignup).where(WelfareSignup.post_id == p.id).order_by(WelfareSignup.id)).all())


def mine(s: Session, user: User) -> list[WelfareSignup]:
    if user is None or user.person_id is None:
        return []
    return list(s.scalars(select(WelfareSignup).where(WelfareSignup.person_id == user.person_id)
                          .order_by(WelfareSignup.id.desc())).all())


def view(s: Session, row: WelfareSignup, *, full: bool = False) -> dict:
    person = s.get(Person, row.person_id)
    v = row.verdict or {}
    return {"id": row.id, "post_id": row.post_id, "post": row.post.title, "unit": row.post.unit,
            "district": row.post.district, "case_id": row.case_id,
            "name": person.name if full else mask_name(person.name), "id_number": mask_id_number(person.id_number),
            "phone": row.phone if full else mask_phone(row.phone), "state": row.state,
            "state_label": STATE_LABELS[row.state], "status": v.get("status"),
            "status_label": STATUS_LABELS.get(v.get("status"), ""), "reasons": [r["text"] for r in v.get("reasons", [])][:4],
            "term_no": row.term_no, "placed_on": row.placed_on.isoformat() if row.placed_on else None,
            "term_months": row.term_months, "term_ends_on": row.term_ends_on.isoformat() if row.term_ends_on else None,
            "term_basis": row.term_basis, "ended_on": row.ended_on.isoformat() if row.ended_on else None}

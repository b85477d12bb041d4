"""公益性岗位 in the staff console (/console/welfare): the posts the staff member reads (places, filled,
left, applicants), the publishing form (旗县市中心 / 人社局), one post's applicants with their screening
verdict and case state, 安排上岗 (the case step, one place taken atomically), the monthly subsidy record
and ending a post. Errors re-render in Chinese with the field named; never a 500 for the input."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, CoreStaff, render

router = APIRouter(prefix="/console/welfare", include_in_schema=False, default_response_class=HTMLResponse)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v)[:1000] for k, v in form.items() if isinstance(v, str)}


FormData = Annotated[dict, Depends(_form)]


def _index(request, s, me, *, error=None, field=None, v=None, status_code=200, notice=None):
    from jiuye.welfare_posts import access, posts
    from jiuye.welfare_posts.settings import settings

    rows = []
    for p in posts.for_staff(s, me):
        d = posts.view(p)
        d["counts"] = posts.counts(s, p.id)
        d["applicants"] = sum(d["counts"].values())
        rows.append(d)
    actor = access.actor_for(me)
    return render(request, "welfare/console.html", {
        "user": me, "console": True, "rows": rows, "cfg": settings(), "districts": posts.districts(),
        "can_publish": any(access.publishes(actor, d) for d in posts.districts()), "error": error, "field": field,
        "v": v or {"district": me.district}, "notice": notice}, status_code=status_code)


@router.get("")
def index(request: Request, s: DB, me: CoreStaff, done: str = ""):
    return _index(request, s, me, notice="岗位已发布。" if done == "published" else None)


@router.post("/posts", dependencies=[CSRF])
def publish(request: Request, s: DB, me: CoreStaff, form: FormData):
    from jiuye.welfare_posts import posts
    from jiuye.welfare_posts.common import CaseError

    data = {k: form.get(k, "") for k in posts.FIELDS}
    try:
        p = posts.publish(s, me, data)
    except CaseError as exc:
        s.rollback()
        return _index(request, s, me, error=str(exc), field=exc.extra.get("field"), v=form, status_code=exc.status)
    return RedirectResponse(f"/console/welfare/posts/{p.id}?done=published", status_code=303)


def _post(request, s, me, post_id, *, error=None, field=None, status_code=200, notice=None):
    from jiuye.cases.procedures import get_procedures
    from jiuye.cases.models import Case
    from jiuye.welfare_posts import access, posts, signups
    from jiuye.welfare_posts.common import CaseError

    try:
        p = posts.must(s, me, post_id, "applicants")
        rows = signups.applicants(s, me, p.id)
    except CaseError as exc:
        return render(request, "console/message.html", {"user": me, "console": True, "message": str(exc),
                                                       "status_code": exc.status}, status_code=exc.status)
    proc = get_procedures()["public_welfare_post"]
    actor = access.actor_for(me)
    out = []
    for r in rows:
        d = signups.view(s, r)
        case = s.get(Case, r.case_id)
        d["case_state"] = proc.state_label(case.state)
        d["ready"] = case.state == "placement" and r.state == "applied"
        out.append(d)
    return render(request, "welfare/console_post.html", {
        "user": me, "console": True, "p": posts.view(p), "rows": out, "error": error, "field": field,
        "notice": notice, "can_place": access.post(actor, "place", p.state, district=p.district)[0],
        "can_subsidy": access.post(actor, "subsidy", p.state, district=p.district)[0],
        "can_close": access.post(actor, "close", p.state, district=p.district)[0]}, status_code=status_code)


NOTICES = {"published": "岗位已发布。", "placed": "已安排上岗，名额已扣减。", "month": "已记录本月补贴。", "closed": "岗位已结束招收。"}


@router.get("/posts/{post_id}")
def post(request: Request, s: DB, me: CoreStaff, post_id: str, done: str = ""):
    return _post(request, s, me, post_id, notice=NOTICES.get(done))


def _act(request, s, me, post_id: str, fn, done: str):
    from jiuye.welfare_posts.common import CaseError

    try:
        fn()
    except CaseError as exc:
        s.rollback()
        return _post(request, s, me, post_id, error=str(exc), field=exc.extra.get("field"), status_code=exc.status)
    return RedirectResponse(f"/console/welfare/posts/{int(post_id)}?done={done}", status_code=303)


@router.post("/posts/{post_id}/place", dependencies=[CSRF])
def place(request: Request, s: DB, me: CoreStaff, post_id: str, form: FormData):
    from jiuye.welfare_posts import placement, posts

    def go():
        posts.must(s, me, post_id, "applicants")
        row = _signup_of(s, me, post_id, form.get("signup"))
        placement.place(s, me, row.id, comment=form.get("comment") or None)

    return _act(request, s, me, post_id, go, "placed")


@router.post("/posts/{post_id}/month", dependencies=[CSRF])
def month(request: Request, s: DB, me: CoreStaff, post_id: str, form: FormData):
    from jiuye.welfare_posts import placement, posts

    def go():
        posts.must(s, me, post_id, "applicants")
        row = _signup_of(s, me, post_id, form.get("signup"))
        placement.record_month(s, me, row.id, form.get("month", ""), note=form.get("note") or None)

    return _act(request, s, me, post_id, go, "month")


@router.post("/posts/{post_id}/close", dependencies=[CSRF])
def close(request: Request, s: DB, me: CoreStaff, post_id: str, form: FormData):
    from jiuye.welfare_posts import posts

    return _act(request, s, me, post_id, lambda: posts.close(s, me, post_id, form.get("reason")), "closed")


def _signup_of(s, me, post_id: str, signup_id):
    from jiuye.welfare_posts import signups
    from jiuye.welfare_posts.common import NotFound

    row = signups.load(s, me, signup_id)
    if str(row.post_id) != str(post_id).strip():
        raise NotFound(f"这个岗位没有编号为 {signup_id} 的报名")
    return row


__all__ = ["router"]

"""公益性岗位 pages for citizens, phone-first, thin over jiuye.welfare_posts:

- /welfare: the open posts with places left (filter by 旗县市, type), no account needed, with what the
  documents say (who qualifies, 补贴, 使用期限 and its exceptions, quoted);
- /welfare/posts/{id}: the post; for a logged-in citizen the 报名 form (the groups they declare) — the
  screening verdict with its reasons is shown, and an ineligible person is told why (422, the field);
- /my/welfare: 我的公益性岗位 — each signup, its case, and once placed the term's end and the months of
  subsidy recorded.
CSRF on every POST; errors re-render in Chinese with the field named.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, LoginRequired, PageUser, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(v)[:500] for k, v in form.items() if isinstance(v, str)}


FormData = Annotated[dict, Depends(_form)]


def _about() -> dict:
    from jiuye.welfare_posts.settings import settings

    cfg = settings()
    return {"cfg": cfg, "types": {k: v.label for k, v in cfg.post_types.items()}}


@router.get("/welfare")
def index(request: Request, s: DB, user: PageUser, district: str = "", type: str = "", page: str = "1"):
    from jiuye.welfare_posts import posts

    n = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
    district = district[:20] if district[:20] in posts.districts() else ""
    kind = type[:30] if type[:30] in _about()["types"] else ""
    total, rows = posts.search(s, district=district or None, post_type=kind or None, limit=PAGE, offset=(n - 1) * PAGE)
    return render(request, "welfare/index.html", {
        "user": user, "rows": [posts.view(p) for p in rows], "total": total, "page": n,
        "pages": max(1, -(-total // PAGE)), "district": district, "type": kind, "districts": posts.districts(),
        **_about()})


def _post_page(request, s, user, post_id, *, error=None, field=None, status_code=200, notice=None, v=None):
    from jiuye.welfare_posts import posts, signups
    from jiuye.welfare_posts.common import CaseError
    from jiuye.welfare_posts.models import WelfareSignup

    try:
        p = posts.must(s, user, post_id, "view")
    except CaseError:
        return render(request, "error.html", {"user": user, "status_code": 404, "message": "没有这个公益性岗位，或已不再招收。"},
                      status_code=404)
    mine = None
    if user is not None and user.person_id is not None:
        row = s.query(WelfareSignup).filter(WelfareSignup.post_id == p.id, WelfareSignup.person_id == user.person_id).first()
        mine = signups.view(s, row, full=True) if row else None
    return render(request, "welfare/post.html", {
        "user": user, "p": posts.view(p), "mine": mine, "error": error, "field": field, "notice": notice,
        "v": v or {}, **_about()}, status_code=status_code)


@router.get("/welfare/posts/{post_id}")
def post(request: Request, s: DB, user: PageUser, post_id: str, done: str = ""):
    notice = "报名成功。请带身份证和就业困难人员认定材料到岗位所在旗县市就业服务中心核验；审核和安排结果会在「我的公益性岗位」和消息中告诉您。" \
        if done == "signed" else None
    return _post_page(request, s, user, post_id, notice=notice)


@router.post("/welfare/posts/{post_id}/signup", dependencies=[CSRF])
def signup(request: Request, s: DB, user: PageUser, post_id: str, form: FormData):
    from jiuye.welfare_posts import signups
    from jiuye.welfare_posts.common import CaseError
    from jiuye.welfare_posts.settings import settings

    if user is None:
        raise LoginRequired("/login", f"/welfare/posts/{post_id}"[:80])
    groups = {}
    for g in settings().eligibility.groups:
        if form.get(f"g_{g}") in ("1", "0"):
            groups[g] = form[f"g_{g}"] == "1"
    try:
        signups.signup(s, user, post_id, groups=groups, phone=form.get("phone") or None)
    except CaseError as exc:
        s.rollback()
        return _post_page(request, s, user, post_id, error=str(exc), field=exc.extra.get("field"),
                          status_code=exc.status, v=form)
    return RedirectResponse(f"/welfare/posts/{int(post_id)}?done=signed", status_code=303)


@router.get("/my/welfare")
def my(request: Request, s: DB, user: PageUser):
    from jiuye.welfare_posts import placement

    if user is None:
        raise LoginRequired("/login", "/my/welfare")
    return render(request, "welfare/my.html", {"user": user, "rows": placement.my_view(s, user), **_about()})


__all__ = ["router"]

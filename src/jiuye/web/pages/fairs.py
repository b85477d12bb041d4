"""招聘会 and 直播带岗 for citizens (thin pages over jiuye.fairs):

- /fairs: the coming on-site fairs (the weekly one at 盟民生大厦 with its source), online fairs and the
  「上什么班」 live streams, what to bring, the hotline.
- /fairs/{id}: a fair's page: time, place or platform, the posts shown with it, pre-registration (name and
  phone, no account); a live stream's page lists its featured posts, each with a sign-up form.
- /fairs/pass/{code}: the check-in code and its QR (made here by segno; the QR opens the door page).
- /my/fairs (我的): the account's fair registrations, intentions and their follow-up, and its 打工直通车 sign-ups.
CSRF on every POST; errors re-render the form with what was typed, in Chinese.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jiuye.web.pages.common import CSRF, DB, PageUser, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _not_found(request: Request, user, message: str = "没有这场招聘会。请回到「招聘会」重新选择。"):
    return render(request, "error.html", {"user": user, "status_code": 404, "message": message}, status_code=404)


def _about() -> dict:
    from jiuye.fairs.settings import cite, fairs as settings

    cfg = settings()
    return {"cfg": cfg, "materials_source": cite(cfg.employer_materials_source), "bring_source": cite(cfg.seeker_bring_source),
            "hotline_source": cite(cfg.weekly.hotline.source), "weekly_source": cite(cfg.weekly.sources[0]),
            "stream_source": cite(cfg.livestream.sources[0]), "online_source": cite(cfg.online_platforms_source)}


@router.get("/fairs")
def index(request: Request, s: DB, user: PageUser):
    from jiuye.fairs import fairs

    rows = [fairs.view(f, s=s) for f in fairs.upcoming(s, limit=60) if f.state == "open"]
    return render(request, "fairs/index.html", {
        "user": user, "onsite": [r for r in rows if r["kind"] == "onsite"][:8],
        "online": [r for r in rows if r["kind"] == "online"][:8], "streams": [r for r in rows if r["kind"] == "stream"][:4],
        **_about()})


def _fair_page(request: Request, s, user, fair_id: int, *, values=None, error=None, field=None, status_code=200,
               posting_id: int | None = None):
    from jiuye.fairs import fairs
    from jiuye.fairs.common import CaseError, actor_of

    try:
        f = fairs.get(s, fair_id)
    except CaseError:
        return _not_found(request, user)
    actor = actor_of(s, user)
    v = {"name": (user.display_name if user is not None and actor.kind == "citizen" else "") or "",
         "phone": (user.phone if user is not None and actor.kind == "citizen" else "") or "", **(values or {})}
    return render(request, "fairs/fair.html", {
        "user": user, "f": fairs.view(f, s=s), "posts": fairs.posts_of(s, f), "v": v, "error": error, "field": field,
        "error_post": posting_id, "is_employer": actor.kind == "employer", **_about()}, status_code=status_code)


@router.get("/fairs/{fair_id}")
def fair(request: Request, s: DB, user: PageUser, fair_id: int):
    return _fair_page(request, s, user, fair_id)


@router.post("/fairs/{fair_id}/register", dependencies=[CSRF])
def register(request: Request, s: DB, user: PageUser, fair_id: int, name: Annotated[str, Form()] = "",
             phone: Annotated[str, Form()] = ""):
    from jiuye.fairs import visitors
    from jiuye.fairs.common import CaseError

    try:
        v, _created = visitors.register(s, user, fair_id, name=name, phone=phone)
    except CaseError as exc:
        s.rollback()
        return _fair_page(request, s, user, fair_id, values={"name": name[:50], "phone": phone[:30]}, error=str(exc),
                          field=exc.extra.get("field"), status_code=exc.status)
    return RedirectResponse(f"/fairs/pass/{v.code}", status_code=303)


@router.post("/fairs/{fair_id}/streams/{posting_id}", dependencies=[CSRF])
def stream_signup(request: Request, s: DB, user: PageUser, fair_id: int, posting_id: int,
                  name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = ""):
    from jiuye.fairs import intentions
    from jiuye.fairs.common import CaseError

    try:
        i = intentions.stream_signup(s, user, fair_id, posting_id, name=name, phone=phone)
    except CaseError as exc:
        s.rollback()
        return _fair_page(request, s, user, fair_id, values={"name": name[:50], "phone": phone[:30]}, error=str(exc),
                          field=exc.extra.get("field"), status_code=exc.status, posting_id=posting_id)
    return RedirectResponse(f"/fairs/pass/{i.visitor.code}?post={posting_id}", status_code=303)


@router.get("/fairs/pass/{code}")
def fair_pass(request: Request, s: DB, user: PageUser, code: str, post: str = ""):
    from jiuye.fairs import fairs, visitors
    from jiuye.fairs.intentions import clock_of

    v = visitors.by_code(s, code[:40])
    if v is None:
        return _not_found(request, user, "没有这个签到码。请回到招聘会页面重新预约（同一电话会得到原来的签到码）。")
    f = fairs.view(v.fair)
    door = str(request.base_url).rstrip("/") + f"/console/fairs/{v.fair_id}/door?code={v.code}"
    opens, due = clock_of(v.fair.held_on)
    from jiuye.fairs.common import clock

    return render(request, "fairs/pass.html", {
        "user": user, "v": visitors.view(v, full=True), "f": f, "qr": visitors.qr_svg(door) if v.fair.kind == "onsite" else "",
        "stream_post": post.isdigit(), "follow_up_due": clock.show(due), **_about()})


@router.get("/my/fairs")
def mine(request: Request, s: DB, user: PageUser):
    from jiuye.fairs import fairs, intentions, visitors

    if user is None:
        return RedirectResponse("/login?next=/my/fairs", status_code=303)
    regs = [{**visitors.view(v, full=True), "fair": fairs.view(v.fair)} for v in visitors.mine(s, user)]
    mine_i = [intentions.view(i) for i in intentions.mine(s, user)]
    return render(request, "fairs/my.html", {"user": user, "regs": regs, "intentions": mine_i,
                                             "dagong": _dagong_of(s, user)})


def _dagong_of(s, user) -> list[dict]:
    """The account's 打工直通车 sign-ups (jiuye.platforms): made under its phone."""
    from jiuye.platforms import signups

    return [signups.view(su) for su in signups.for_phone(s, user.phone)] if user.phone else []

"""招聘会 for employers (/employer/fairs; thin pages over jiuye.fairs): the fairs open for booths and the
employer's own applications; the application form (sector, contact, the posts it brings, the three
materials uploaded); a booth's page (state, number or place on the waiting list, the reason of a return,
the materials, the intentions recorded at it with their follow-up); recording an intention at the booth
by the seeker's check-in code; the follow-up outcome. An employer sees only its own booths and
intentions (jiuye.fairs.access). CSRF on every POST.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.web.pages.common import CSRF, DB, PageUser, render

router = APIRouter(prefix="/employer/fairs", include_in_schema=False, default_response_class=HTMLResponse)
NOTICES = {"applied": "申请已提交，等待就业服务中心审核。", "intention": "已记录意向，次日起生成回访任务。",
           "followed": "已记录回访结果。", "withdrawn": "申请已撤回。"}
MAX_FILE = 12 * 1024 * 1024


def _refuse(request: Request, s, user):
    from jiuye.fairs.common import actor_of

    if user is None:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    if actor_of(s, user).kind != "employer":
        return render(request, "error.html", {"user": user, "status_code": 403, "message":
                      "招聘会展位由用人单位申请：请用单位账号登录，并先在「单位招聘」里填写单位的招聘信息。"}, status_code=403)
    return None


def _error(request: Request, user, exc):
    status = getattr(exc, "status", 422)
    return render(request, "error.html", {"user": user, "status_code": status, "message": str(exc)}, status_code=status)


@router.get("")
def home(request: Request, s: DB, user: PageUser):
    from jiuye.fairs import booths, fairs

    refused = _refuse(request, s, user)
    if refused is not None:
        return refused
    mine = [{**booths.view(b), "fair": fairs.view(b.fair)} for b in booths.mine(s, user)]
    applied = {b["fair_id"] for b in mine if b["state"] not in ("returned", "withdrawn")}
    open_fairs = [fairs.view(f, s=s) for f in fairs.upcoming(s, limit=40)
                  if f.kind != "stream" and f.state == "open" and f.id not in applied and not fairs.is_past(f)]
    return render(request, "fairs/employer_home.html", {"user": user, "mine": mine, "open_fairs": open_fairs[:12]})


def _apply_page(request: Request, s, user, fair_id: int, *, values=None, error=None, field=None, status_code=200):
    from jiuye.fairs import fairs
    from jiuye.fairs.common import CaseError
    from jiuye.fairs.settings import cite, fairs as settings
    from jiuye.market import employers, postings

    try:
        f = fairs.get(s, fair_id)
    except CaseError as exc:
        return _error(request, user, exc)
    emp = employers.employer_for(s, user)
    posts = [postings.view(p) for p in postings.list_for(s, user, state="published")]
    v = {"sector": "", "contact_name": emp.contact_name or "", "phone": emp.phone or "", "posting_ids": [], **(values or {})}
    cfg = settings()
    return render(request, "fairs/employer_apply.html", {
        "user": user, "f": fairs.view(f, s=s), "posts": posts, "v": v, "error": error, "field": field,
        "materials": cfg.employer_materials, "materials_source": cite(cfg.employer_materials_source)}, status_code=status_code)


@router.get("/{fair_id}/apply")
def apply_form(request: Request, s: DB, user: PageUser, fair_id: int):
    refused = _refuse(request, s, user)
    return refused if refused is not None else _apply_page(request, s, user, fair_id)


@router.post("/{fair_id}/apply", dependencies=[CSRF])
async def apply_submit(request: Request, s: DB, user: PageUser, fair_id: int, sector: Annotated[str, Form()] = "",
                       contact_name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
                       posting_ids: Annotated[list[str], Form()] = [],  # noqa: B006
                       file_licence: Annotated[UploadFile | None, File()] = None,
                       file_legal_id: Annotated[UploadFile | None, File()] = None,
                       file_form: Annotated[UploadFile | None, File()] = None):
    from jiuye.fairs import booths
    from jiuye.fairs.common import CaseError

    refused = _refuse(request, s, user)
    if refused is not None:
        return refused
    files = {}
    for code, up in (("licence", file_licence), ("legal_id", file_legal_id), ("form", file_form)):
        if up is not None and up.filename:
            files[code] = (up.filename, await up.read(MAX_FILE + 1))
    values = {"sector": sector[:30], "contact_name": contact_name[:50], "phone": phone[:30], "posting_ids": posting_ids[:20]}
    try:
        b = booths.apply(s, user, fair_id, sector=sector, contact_name=contact_name, phone=phone,
                         posting_ids=posting_ids, files=files)
    except CaseError as exc:
        s.rollback()
        return _apply_page(request, s, user, fair_id, values=values, error=str(exc), field=exc.extra.get("field"),
                           status_code=exc.status)
    return RedirectResponse(f"/employer/fairs/booths/{b.id}?done=applied", status_code=303)


def _booth_page(request: Request, s, user, booth_id: int, *, error=None, field=None, status_code=200, notice=None):
    from jiuye.fairs import booths, fairs, intentions
    from jiuye.fairs.common import CaseError

    try:
        b = booths.load(s, user, booth_id)
    except CaseError as exc:
        return _error(request, user, exc)
    rows = [intentions.view(i, full=True) for i in intentions.queue(s, user, fair_id=b.fair_id, tab="all")
            if i.booth_id == b.id]
    from jiuye.market.models import Posting
    from sqlalchemy import select

    titles = dict(s.execute(select(Posting.id, Posting.title).where(Posting.id.in_(b.posting_ids or [0]))).all())
    return render(request, "fairs/employer_booth.html", {
        "user": user, "b": booths.view(b), "f": fairs.view(b.fair), "rows": rows, "outcomes": intentions.OUTCOMES,
        "posts": [{"id": i, "title": titles.get(i, "")} for i in b.posting_ids or []], "error": error, "field": field,
        "notice": notice}, status_code=status_code)


@router.get("/booths/{booth_id}")
def booth(request: Request, s: DB, user: PageUser, booth_id: int, done: str = ""):
    refused = _refuse(request, s, user)
    return refused if refused is not None else _booth_page(request, s, user, booth_id, notice=NOTICES.get(done))


@router.get("/booths/{booth_id}/materials/{code}")
def material(request: Request, s: DB, user: PageUser, booth_id: int, code: str):
    from jiuye.fairs import booths
    from jiuye.fairs.common import CaseError

    refused = _refuse(request, s, user)
    if refused is not None:
        return refused
    try:
        m, data = booths.material(s, user, booth_id, code[:20])
    except CaseError as exc:
        return _error(request, user, exc)
    return Response(data, media_type=m["type"], headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(m['name'])}"})


@router.post("/booths/{booth_id}/intentions", dependencies=[CSRF])
def record(request: Request, s: DB, user: PageUser, booth_id: int, code: Annotated[str, Form()] = "",
           posting_id: Annotated[str, Form()] = "", note: Annotated[str, Form()] = ""):
    from jiuye.fairs import intentions
    from jiuye.fairs.common import CaseError

    refused = _refuse(request, s, user)
    if refused is not None:
        return refused
    try:
        intentions.record(s, user, booth_id, code=code, posting_id=int(posting_id) if posting_id.isdigit() else None,
                          note=note)
    except (CaseError, ValueError) as exc:
        s.rollback()
        return _booth_page(request, s, user, booth_id, error=str(exc), field=getattr(exc, "extra", {}).get("field"),
                           status_code=getattr(exc, "status", 422))
    return RedirectResponse(f"/employer/fairs/booths/{booth_id}?done=intention", status_code=303)


@router.post("/intentions/{intention_id}/follow-up", dependencies=[CSRF])
def follow_up(request: Request, s: DB, user: PageUser, intention_id: int, outcome: Annotated[str, Form()] = "",
              note: Annotated[str, Form()] = "", hired_on: Annotated[str, Form()] = ""):
    from jiuye.fairs import intentions
    from jiuye.fairs.common import CaseError
    from jiuye.fairs.fairs import _date

    refused = _refuse(request, s, user)
    if refused is not None:
        return refused
    try:
        i = intentions.load(s, user, intention_id)
        intentions.follow_up(s, user, intention_id, outcome, note=note,
                             hired_on=_date(hired_on, "hired_on") if hired_on.strip() else None)
    except CaseError as exc:
        s.rollback()
        return _error(request, user, exc)
    return RedirectResponse(f"/employer/fairs/booths/{i.booth_id}?done=followed", status_code=303)


@router.post("/booths/{booth_id}/withdraw", dependencies=[CSRF])
def withdraw(request: Request, s: DB, user: PageUser, booth_id: int):
    from jiuye.fairs import booths
    from jiuye.fairs.common import CaseError

    refused = _refuse(request, s, user)
    if refused is not None:
        return refused
    try:
        booths.withdraw(s, user, booth_id)
    except CaseError as exc:
        s.rollback()
        return _error(request, user, exc)
    return RedirectResponse(f"/employer/fairs/booths/{booth_id}?done=withdrawn", status_code=303)

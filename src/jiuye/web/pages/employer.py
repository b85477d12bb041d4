"""The labour market for employers and licensed 人力资源服务机构 (/employer): the market profile,
posts (write, submit for review, withdraw), bulk import and export (CSV/XLSX with Chinese headers),
applicants (invite to interview, record the outcome) and seekers who consented to be seen.
Thin routes over jiuye.market; every POST carries the CSRF token.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jiuye.config import today
from jiuye.web.pages.common import CSRF, DB, PageUser, render
from jiuye.web.pages.market_forms import PostedForm, choices, posting_data, posting_form_values

router = APIRouter(prefix="/employer", include_in_schema=False, default_response_class=HTMLResponse)
NOTICES = {"profile": "单位招聘信息已保存。", "draft": "岗位已保存为草稿。", "submitted": "岗位已提交，等待就业服务中心审核。",
           "withdrawn": "岗位已撤下。", "invited": "已发出面试邀请。", "decided": "已记录结果，求职者会收到通知。",
           "saved": "已保存。"}
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _refuse(request: Request, user):
    """None for an enterprise account; else a login redirect or the page that says why not."""
    if user is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if user.role != "applicant" or not user.enterprise_id:
        return render(request, "error.html", {"user": user, "status_code": 403, "message":
                      "这里是单位招聘。请用单位账号登录（单位注册时填写统一社会信用代码）；个人找工作请到「找工作」。"},
                      status_code=403)
    return None


def _error(request: Request, user, exc):
    status = getattr(exc, "status", 422)
    return render(request, "error.html", {"user": user, "status_code": status, "message": str(exc)}, status_code=status)


@router.get("")
def home(request: Request, s: DB, user: PageUser, done: str = ""):
    from jiuye.market import employers, postings

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    emp = employers.employer_for(s, user)
    ctx = {"user": user, "notice": NOTICES.get(done), "emp": employers.employer_view(emp, full=True) if emp else None,
           "kinds": employers.KINDS, "title": "单位招聘"}
    if emp is not None:
        ctx["rows"] = [postings.view(p, staff=True) for p in postings.list_for(s, user)]
    return render(request, "market/employer_home.html", ctx)


@router.post("/profile", dependencies=[CSRF])
def profile(request: Request, s: DB, user: PageUser, kind: Annotated[str, Form()] = "employer",
            licence_no: Annotated[str, Form()] = "", contact_name: Annotated[str, Form()] = "",
            phone: Annotated[str, Form()] = ""):
    from jiuye.market import employers
    from jiuye.market.common import CaseError

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    try:
        employers.register(s, user, kind=kind, licence_no=licence_no, contact_name=contact_name, phone=phone or None)
    except CaseError as exc:
        s.rollback()
        return render(request, "market/employer_home.html", {
            "user": user, "emp": None, "kinds": employers.KINDS, "error": str(exc),
            "form": {"kind": kind, "licence_no": licence_no, "contact_name": contact_name, "phone": phone}},
            status_code=exc.status)
    return RedirectResponse("/employer?done=profile", status_code=303)


def _form_page(request: Request, user, emp, values: dict, *, post=None, error: str | None = None,
               field: str | None = None, status_code: int = 200):
    return render(request, "market/employer_post_form.html", {
        "user": user, "emp": emp, "v": posting_form_values(values), "post": post, "error": error, "field": field,
        "c": choices(), "today": today().isoformat()}, status_code=status_code)


@router.get("/posts/new")
def new_post(request: Request, s: DB, user: PageUser):
    from jiuye.market import employers

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    emp = employers.employer_for(s, user)
    if emp is None:
        return RedirectResponse("/employer", status_code=303)
    return _form_page(request, user, employers.employer_view(emp), {"wage_unit": "month", "places": 1})


@router.post("/posts/new", dependencies=[CSRF])
def new_post_submit(request: Request, s: DB, user: PageUser, form: PostedForm):
    return _save(request, s, user, form, None)


@router.post("/posts/{posting_id}/edit", dependencies=[CSRF])
def edit_post_submit(request: Request, s: DB, user: PageUser, posting_id: int, form: PostedForm):
    return _save(request, s, user, form, posting_id)


def _save(request: Request, s, user, form, posting_id: int | None):
    from jiuye.market import employers, postings
    from jiuye.market.common import CaseError, NotFound

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    emp = employers.employer_for(s, user)
    if emp is None:
        return RedirectResponse("/employer", status_code=303)
    data = posting_data(form)
    submit = form.get("action") == "submit"
    try:
        if posting_id is None:
            p = postings.create(s, user, data, submit=submit)
        else:
            version = str(form.get("version") or "")
            p = postings.update(s, user, posting_id, data, expected_version=int(version) if version.isdigit() else None)
            if submit:
                postings.submit(s, user, p.id)
    except NotFound as exc:
        return _error(request, user, exc)
    except CaseError as exc:
        s.rollback()
        return _form_page(request, user, employers.employer_view(emp), data, error=str(exc),
                          field=exc.extra.get("field"), status_code=exc.status if exc.status in (403, 409) else 422,
                          post={"id": posting_id} if posting_id else None)
    return RedirectResponse(f"/employer/posts/{p.id}?done={'submitted' if submit else 'draft'}", status_code=303)


@router.get("/posts/{posting_id}")
def post_page(request: Request, s: DB, user: PageUser, posting_id: int, done: str = ""):
    return _post_page(request, s, user, posting_id, notice=NOTICES.get(done))


def _post_page(request: Request, s, user, posting_id: int, *, notice: str | None = None, error: str | None = None,
               status_code: int = 200):
    from jiuye.market import applications, employers, policies, postings
    from jiuye.market.common import CaseError

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    try:
        p = postings.load(s, user, posting_id, "applicants")
    except CaseError as exc:
        return _error(request, user, exc)
    apps = []
    for a in applications.for_posting(s, user, p.id):
        apps.append({**applications.view(a, as_employer=True), "policies": policies.for_application(a, "employer")["employer"]})
    ctx = {"user": user, "p": postings.view(p, detail=True), "apps": apps, "notice": notice, "error": error,
           "editable": p.state in ("draft", "returned"), "emp": employers.employer_view(p.employer),
           "c": choices(), "v": posting_form_values(p.record), "post": {"id": p.id, "version": p.version},
           "today": today().isoformat(), "candidates": _candidates(s, user, p)}
    return render(request, "market/employer_post.html", ctx, status_code=status_code)


def _candidates(s, user, p) -> list[dict]:
    """Seekers who consented to be seen and fit the post (bridge.match_seekers), name masked, each with
    what hiring them could bring (jiuye.market.policies)."""
    from jiuye.market import bridge, policies, postings, seekers

    if p.state != "published":
        return []
    rows = [sk for sk in seekers.list_for(s, user, state="active") if sk.record.get("consent_to_employers")]
    by_id = {str(sk.id): sk for sk in rows}
    post = postings.record_of(p)
    out = []
    for m in bridge.match_seekers(post, [seekers.record_of(sk) for sk in rows], 10):
        if m.id in by_id:
            sk = by_id[m.id]
            out.append({"s": seekers.view(sk, employer=True), "reasons": m.reasons,
                        "policies": policies.for_employer(seekers.record_of(sk), post, district=policies.employer_district(p))})
    return out


@router.post("/posts/{posting_id}/submit", dependencies=[CSRF])
def submit_post(request: Request, s: DB, user: PageUser, posting_id: int):
    return _act(request, s, user, posting_id, "submit")


@router.post("/posts/{posting_id}/withdraw", dependencies=[CSRF])
def withdraw_post(request: Request, s: DB, user: PageUser, posting_id: int, reason: Annotated[str, Form()] = ""):
    return _act(request, s, user, posting_id, "withdraw", reason)


def _act(request: Request, s, user, posting_id: int, what: str, reason: str = ""):
    from jiuye.market import postings
    from jiuye.market.common import CaseError, NotFound

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    try:
        if what == "submit":
            postings.submit(s, user, posting_id)
        else:
            postings.withdraw(s, user, posting_id, reason.strip()[:500] or None)
    except NotFound as exc:
        return _error(request, user, exc)
    except CaseError as exc:
        s.rollback()
        return _post_page(request, s, user, posting_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/employer/posts/{posting_id}?done={'submitted' if what == 'submit' else 'withdrawn'}",
                            status_code=303)


@router.post("/applications/{application_id}/invite", dependencies=[CSRF])
def invite(request: Request, s: DB, user: PageUser, application_id: int, date: Annotated[str, Form()] = "",
           time: Annotated[str, Form()] = "", place: Annotated[str, Form()] = "", note: Annotated[str, Form()] = ""):
    from jiuye.market import applications
    from jiuye.market.common import CaseError, Invalid

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    try:
        a = applications.load(s, user, application_id)
        try:
            at = dt.datetime.fromisoformat(f"{date.strip()}T{time.strip() or '09:00'}")
        except ValueError:
            raise Invalid("请填写面试日期和时间（如 2027-01-05 和 09:30）", field="at") from None
        applications.invite(s, user, application_id, at=at, place=place, note=note)
    except CaseError as exc:
        s.rollback()
        if exc.status == 404:
            return _error(request, user, exc)
        return _post_page(request, s, user, a.posting_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/employer/posts/{a.posting_id}?done=invited", status_code=303)


@router.post("/applications/{application_id}/decide", dependencies=[CSRF])
def decide(request: Request, s: DB, user: PageUser, application_id: int, outcome: Annotated[str, Form()] = "",
           reason: Annotated[str, Form()] = ""):
    from jiuye.market import applications
    from jiuye.market.common import CaseError

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    try:
        a = applications.load(s, user, application_id)
        applications.decide(s, user, application_id, outcome, reason)
    except CaseError as exc:
        s.rollback()
        if exc.status == 404:
            return _error(request, user, exc)
        return _post_page(request, s, user, a.posting_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/employer/posts/{a.posting_id}?done=decided", status_code=303)


# --- import and export ------------------------------------------------------------------------------
@router.get("/import")
def import_form(request: Request, s: DB, user: PageUser):
    from jiuye.market import importing

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    return render(request, "market/employer_import.html", {"user": user, "headers": importing.headers(),
                                                           "max_rows": importing.MAX_ROWS})


@router.post("/import", dependencies=[CSRF])
def import_upload(request: Request, s: DB, user: PageUser, file: Annotated[UploadFile, File()],
                  submit: Annotated[str, Form()] = "1"):
    from jiuye.batch.readers import FORMATS
    from jiuye.market import importing
    from jiuye.market.common import CaseError

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    name = Path(file.filename or "岗位.csv").name
    suffix = Path(name).suffix.lower()
    ctx = {"user": user, "headers": importing.headers(), "max_rows": importing.MAX_ROWS}
    if FORMATS.get(suffix) not in ("csv", "xlsx"):
        ctx["error"] = "请上传 .csv 或 .xlsx 文件（Excel 旧版 .xls 请另存为 .xlsx）"
        return render(request, "market/employer_import.html", ctx, status_code=422)
    with tempfile.TemporaryDirectory(prefix="jiuye-import-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        from jiuye.config import roster_max_bytes

        data = file.file.read(roster_max_bytes() + 1)
        if len(data) > roster_max_bytes():
            ctx["error"] = f"文件超过 {roster_max_bytes() // 1048576} MB"
            return render(request, "market/employer_import.html", ctx, status_code=413)
        path.write_bytes(data)
        try:
            report = importing.import_file(s, user, path, filename=name, submit=submit == "1")
        except CaseError as exc:
            s.rollback()
            ctx["error"] = str(exc)
            return render(request, "market/employer_import.html", ctx, status_code=exc.status)
    ctx["report"] = report.as_dict()
    return render(request, "market/employer_import.html", ctx)


@router.get("/export.{fmt}", response_class=Response)
def export(request: Request, s: DB, user: PageUser, fmt: str):
    from jiuye.market import importing

    refused = _refuse(request, user)
    if refused is not None:
        return refused
    if fmt not in MEDIA:
        return _error(request, user, ValueError("只能导出为 csv 或 xlsx"))
    with tempfile.TemporaryDirectory(prefix="jiuye-export-") as tmp:
        path = importing.export_file(s, user, Path(tmp) / f"岗位.{fmt}")
        data = path.read_bytes()
    from urllib.parse import quote

    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote('岗位.' + fmt)}"})


__all__ = ["router"]

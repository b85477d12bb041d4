"""The FastAPI application: thin routes over the knowledge service layer.

`create_app()` loads and validates the data once (bad data stops start-up) and shares it with
every request through a dependency.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import AfterValidator

from jiuye import __version__
from jiuye.config import today
from jiuye.knowledge import catalogue
from jiuye.knowledge.audit import audit
from jiuye.knowledge.catalogue import UnknownName
from jiuye.knowledge.loader import KnowledgeBase, get_knowledge
from jiuye.web import schemas
from jiuye.web.api_cases import router as cases_router

def knowledge() -> KnowledgeBase:
    return get_knowledge()


KB = Annotated[KnowledgeBase, Depends(knowledge)]
AsOf = Annotated[dt.date | None, Query(description="按哪一天判断（YYYY-MM-DD，默认今天；须在规则覆盖的日期范围内）"),
                 AfterValidator(schemas.valid_as_of)]


def _not_found(exc: UnknownName) -> HTTPException:
    return HTTPException(status_code=404, detail=exc.as_dict())


def _unprocessable(exc: UnknownName) -> HTTPException:
    return HTTPException(status_code=422, detail=exc.as_dict())


def _validation_items(errors, prefix: tuple = ()) -> list[dict]:
    """FastAPI/pydantic errors with, for each, the field it names and a Chinese message."""
    from jiuye.screening.checks import ERROR_MESSAGES, error_item

    items = []
    for err in errors:
        loc = list(err.get("loc", ()))
        inner = tuple(loc[1:]) if loc and loc[0] in ("body", "query", "path") else tuple(loc)
        if inner[:1] == ("profile",):
            item = error_item(inner[1:], err.get("type", ""), err.get("msg", ""), err.get("ctx"))
            field = "profile." + item["field"] if item["field"] != "(profile)" else "profile"
            message = item["message"]
            loc = ["body", "profile", *item["loc"]]
        elif err.get("type") == "json_invalid":  # loc is ("body", <character offset>), not a field
            field = "(body)"
            at = inner[0] if inner and isinstance(inner[0], int) else None
            message = "请求内容不是有效的 JSON" + (f"：第 {at + 1} 个字符附近有误" if at is not None else "")
        else:
            field = ".".join(str(x) for x in inner) or "(body)"
            text = ERROR_MESSAGES.get(err.get("type", ""))
            if text and err.get("ctx"):  # the Chinese text of the common kinds ("不能大于 2147483647")
                try:
                    text = text.format(**err["ctx"])
                except (KeyError, IndexError, ValueError):
                    pass  # the template without its numbers: still Chinese
            message = f"字段「{field}」：{text or err.get('msg', '')}"
        items.append({"loc": loc, "field": field, "msg": err.get("msg", ""), "message": message, "type": err.get("type", "")})
    return items


# FastAPI's and Starlette's 400 for a request body they cannot read (not UTF-8, a broken multipart form),
# raised before any route runs: answered 422 in Chinese, like malformed JSON.
_BODY_PARSE_ERRORS = ("There was an error parsing the body", "Missing boundary in multipart.", "Invalid multipart data.",
                      'The Content-Disposition header field "name" must be provided.')


def _unreadable_body(exc) -> str | None:
    """The Chinese message for a body FastAPI/Starlette could not parse, else None."""
    detail = exc.detail if exc.status_code == 400 and isinstance(exc.detail, str) else ""
    if detail in _BODY_PARSE_ERRORS:
        return "请求内容无法解析：应为 UTF-8 编码的 JSON，或完整的表单（multipart/form-data）"
    if detail.startswith(("Too many fields", "Too many files", "Field exceeded", "Part exceeded")):
        return "表单过大：字段、文件的个数或单项的大小超出上限"
    return None


def create_app() -> FastAPI:
    import gc

    from openfisca_core.errors import ParameterNotFoundError

    from jiuye.screening import ProfileError, default_screener

    get_knowledge()  # fail fast on invalid data
    screener = default_screener()  # rules, sentence templates: loaded and checked once, before serving
    app = FastAPI(
        title="就业 Jiuye API",
        version=__version__,
        docs_url=None, redoc_url=None,  # /docs and /redoc without a CDN or inline script: jiuye.web.apidocs
        description="兴安盟就业政策与服务：政策目录、咨询电话、资料核查、政策找人（/api/screen）。所有回答都注明出处与日期。"
                    "同一套规则的标准 OpenFisca Web API 在 /openfisca（/openfisca/variables、/openfisca/calculate …）。",
    )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        from jiuye.web.errors import error_response, wants_json

        items = _validation_items(exc.errors())
        if not wants_json(request):  # a page's form or address: the Chinese error page, not JSON
            return error_response(request, 422, [{"message": i["message"]} for i in items])
        return JSONResponse(status_code=422, content=jsonable_encoder({"detail": items}))

    @app.post("/api/screen", response_model=schemas.ScreenResult, tags=["screen"],
              responses={422: {"model": schemas.ValidationErrorOut, "description": "情况有误：指出字段"}})
    def screen(request: schemas.ScreenRequest):
        """政策找人：按一个人（或一个用人单位）的情况，逐项判断目录中的每一项政策。"""
        from jiuye.cases import parameter_sync

        parameter_sync.ensure_current()  # another worker may have changed a rules parameter
        day = request.as_of or today()
        try:
            return screener.screen(request.profile, day)
        except ProfileError as exc:
            items = [{"loc": ["body", "profile", *e["loc"]], "field": f"profile.{e['field']}", "msg": e["message"],
                      "message": e["message"], "type": e["type"]} for e in exc.errors]
            return JSONResponse(status_code=422, content={"detail": items})
        except ParameterNotFoundError:  # a date before the rules' parameters begin (found by schemathesis)
            message = f"字段「as_of」：规则参数不含 {day.isoformat()} 这一天，请换一个较近的日期"
            return JSONResponse(status_code=422, content={"detail": [
                {"loc": ["body", "as_of"], "field": "as_of", "msg": message, "message": message, "type": "as_of_out_of_range"}]})

    # The standard OpenFisca Web API of the same tax-benefit system (a Flask app, served through WSGI).
    # Its CORS, its size limits and its answers are guarded by jiuye.web.openfisca_api.
    from jiuye.web.openfisca_api import openfisca_app

    app.mount("/openfisca", openfisca_app(
        screener.tbs, welcome_message="就业 Jiuye：兴安盟就业政策规则（OpenFisca Web API）。规则说明见 /docs 与 src/jiuye/rules/README.md。"))
    gc.collect()
    gc.freeze()  # what is loaded now lives as long as the process: keep it out of the collector's full passes

    @app.get("/healthz", tags=["system"], responses={503: {"description": "数据库无法连接"}})
    def healthz(kb: KB):
        """就绪检查：数据已载入，数据库能应答（SELECT 1）。数据库无法连接时 503。"""
        from jiuye.store.db import database_problem

        problem = database_problem()
        body = {"status": "ok" if problem is None else "unavailable", "database": "ok" if problem is None else "error",
                "policies": len(kb.policies), "entries": len(kb.entries)}
        if problem is not None:
            body["message"] = problem
            return JSONResponse(status_code=503, content=body, headers={"Retry-After": "5"})
        return body

    @app.get("/livez", tags=["system"])
    async def livez() -> dict:
        """存活检查：进程在运行、能应答（不查数据库）。"""
        return {"status": "ok"}

    @app.get("/api/policies", response_model=schemas.PolicyListOut, tags=["policies"],
             responses={422: {"model": schemas.UnprocessableOut, "description": "未知的对象或人群；或参数格式有误"}})
    def list_policies(
        kb: KB,
        for_: Annotated[Literal["person", "enterprise"] | None, Query(alias="for", description="对象")] = None,
        group: Annotated[str | None, Query(description="面向人群，如 高校毕业生")] = None,
        as_of: AsOf = None,
    ):
        day = as_of or today()
        try:
            items = catalogue.list_policies(kb, for_, group)
        except UnknownName as exc:
            raise _unprocessable(exc)
        findings = audit(kb, day)
        rows = [catalogue.policy_summary(p, day, sum(p.id in f.policies for f in findings)) for p in items]
        return {"as_of": day.isoformat(), "count": len(rows), "policies": rows}

    @app.get("/api/policies/{policy_id}", response_model=schemas.PolicyDetailOut, tags=["policies"],
             responses={404: {"model": schemas.ErrorReplyOut, "description": "没有这项政策（附最接近的编号）"},
                        422: {"model": schemas.UnprocessableOut, "description": "未知的旗县市；或参数格式有误"}})
    def get_policy(kb: KB, policy_id: str, district: str | None = None, as_of: AsOf = None):
        try:
            p = catalogue.get_policy(kb, policy_id)
        except UnknownName as exc:
            raise _not_found(exc)
        try:
            return catalogue.policy_detail(kb, p, as_of or today(), district)
        except UnknownName as exc:
            raise _unprocessable(exc)

    @app.get("/api/contacts", response_model=schemas.ContactsOut, tags=["contacts"],
             responses={422: {"model": schemas.UnprocessableOut, "description": "未知的旗县市或事项"}})
    def contacts(
        kb: KB,
        district: Annotated[str | None, Query(description="旗县市，如 扎赉特旗")] = None,
        topic: Annotated[str | None, Query(description="事项，如 失业保险，或政策编号")] = None,
    ):
        try:
            rows = catalogue.find_contacts(kb, district, topic)
        except UnknownName as exc:
            raise _unprocessable(exc)
        return {"district": district, "topic": topic, "contacts": rows, "hotline": catalogue.GENERAL_HOTLINE}

    @app.get("/api/audit", response_model=schemas.AuditOut, tags=["audit"])
    def audit_sources(kb: KB, as_of: AsOf = None):
        day = as_of or today()
        findings = audit(kb, day)
        return {"as_of": day.isoformat(), "count": len(findings),
                "findings": [f.model_dump(mode="json") for f in findings]}

    @app.get("/api/ask", response_model=schemas.AskOut, tags=["ask"])
    def ask(
        kb: KB,
        q: Annotated[str, Query(description="问题，口语即可，如「失业金能领几个月」", max_length=5000)],
        top: Annotated[int, Query(ge=1, le=10)] = 3,
        district: Annotated[str | None, Query(description="旗县市")] = None,
        as_of: AsOf = None,
    ):
        from jiuye.ask.engine import get_engine
        from jiuye.web import front_door

        result = get_engine(kb).ask(q, top=top, district=district, as_of=as_of or today())
        result["services"] = front_door.live(result["intents"], result["district"])  # jobs, fairs, courses …
        return result

    @app.get("/api/entries/{entry_id}", response_model=schemas.EntryOut, tags=["knowledge"],
             responses={404: {"model": schemas.ErrorReplyOut, "description": "没有这个条目"}})
    def entry(kb: KB, entry_id: str):
        e = kb.entries_by_id.get(entry_id)
        if e is None:
            raise _not_found(UnknownName("条目编号", entry_id, catalogue.nearest(entry_id, list(kb.entries_by_id))))
        return e.model_dump()

    # --- pages: the citizen site and the staff console (jiuye.web.pages) -------------------------
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from starlette.middleware.sessions import SessionMiddleware
    from fastapi.staticfiles import StaticFiles

    from jiuye.config import https, session_secret
    from jiuye.web import security
    from jiuye.web.errors import error_response
    from jiuye.web.pages import accounts, applications, citizen, console, console_dashboard, console_roster
    from jiuye.web.pages.common import LoginRequired, login_redirect

    @app.exception_handler(LoginRequired)
    async def needs_login(request: Request, exc: LoginRequired):
        return login_redirect(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        """JSON for the API; a Chinese page for a browser on the site."""
        unreadable = _unreadable_body(exc)
        if unreadable and request.url.path.startswith("/api"):
            return JSONResponse(status_code=422, content={"detail": [
                {"loc": ["body"], "field": "(body)", "msg": unreadable, "message": unreadable, "type": "body_unreadable"}]})
        if unreadable:  # a page's form that cannot be parsed (multipart without a boundary …)
            from jiuye.web.pages.common import render

            return render(request, "error.html", {"message": unreadable, "status_code": 422}, status_code=422)
        return error_response(request, exc.status_code, exc.detail, headers=getattr(exc, "headers", None))

    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        """Browsers ask for /favicon.ico whatever the page says: the site's SVG icon (no 404 in the log)."""
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/static/favicon.svg", status_code=301)

    from jiuye.web.pages import care

    app.include_router(care.router)  # 关怀模式 switch: /care?on=1|0&next=…
    app.include_router(citizen.router)
    app.include_router(accounts.router)  # /register, /login, /logout
    app.include_router(applications.router)  # /apply, /my, /my/cases: an applicant's own cases
    app.include_router(console.router)
    app.include_router(console_roster.router)  # /console/roster: 政策找人 over a roster, 免申即享 import
    app.include_router(console_dashboard.router)  # /console/dashboard and its chart script
    from jiuye.web.pages import employer, market, market_console

    app.include_router(market.router)  # /jobs, /my/jobs, /messages: the labour market for citizens
    app.include_router(employer.router)  # /employer: posts, import/export, applicants
    app.include_router(market_console.router)  # /console/market: review, 求职登记, statistics
    from jiuye.web.pages import dagong, dagong_console

    app.include_router(dagong.router)  # /dagong (sign-up, no account), /station (站长代报名)
    app.include_router(dagong_console.router)  # /console/dagong: follow-up queue, stations, tables
    from jiuye.web.pages import fairs, fairs_console, fairs_employer

    app.include_router(fairs.router)  # /fairs, /my/fairs: 招聘会 and 直播带岗 for citizens
    app.include_router(fairs_employer.router)  # /employer/fairs: booth applications, intentions at the booth
    app.include_router(fairs_console.router)  # /console/fairs: fairs, booths, the door, follow-ups, reports
    from jiuye.web.pages import gig, gig_console

    app.include_router(gig.router)  # /gig: 零工市场 for workers and job posters
    app.include_router(gig_console.router)  # /console/gig: per-district table, wage-arrears reports
    from jiuye.web.pages import training as training_pages

    app.include_router(training_pages.router)  # /training (find, enrol, sign in), /training/provider
    from jiuye.web.pages import welfare as welfare_pages, welfare_console

    app.include_router(welfare_pages.router)  # /welfare, /my/welfare: 公益性岗位 for citizens
    app.include_router(welfare_console.router)  # /console/welfare: posts, applicants, 安排上岗, monthly subsidy
    from jiuye.web.pages import training_console

    app.include_router(training_console.router)  # /console/training: provider approval, courses, vouchers
    from jiuye.web.pages import startup as startup_pages

    app.include_router(startup_pages.router)  # /startup (创业项目库, 孵化基地), /console/startup
    from jiuye.web.pages import window

    app.include_router(window.router)  # /console/window: 窗口受理, receipts; /my/cases/{id}/receipt.pdf
    from jiuye.web import apidocs

    apidocs.install(app)
    # Signed, HttpOnly session cookie (holds the login token and the CSRF token); SameSite=Lax;
    # Secure (sent over HTTPS only) when $JIUYE_HTTPS=1.
    app.add_middleware(SessionMiddleware, secret_key=session_secret(), session_cookie="jiuye_session",
                       max_age=12 * 3600, same_site="lax", https_only=https())
    security.install(app)  # body limits, security headers, CORS, database faults as 503/422
    from jiuye.web import logmask

    logmask.install()  # no 身份证号 or phone number in any log (a citizen may type hers into a question)

    app.include_router(cases_router)  # /api/auth, /api/cases …: applications and their review
    from jiuye.web.api_market import router as market_router

    app.include_router(market_router)  # /api/market/…: the labour market
    from jiuye.web.api_market_people import router as market_people_router

    app.include_router(market_people_router)  # /api/market/seekers, applications, messages: the people's side
    from jiuye.web.api_platforms import router as dagong_router

    app.include_router(dagong_router)  # /api/dagong/…: 兴安打工直通车
    from jiuye.web.api_fairs import router as fairs_api

    app.include_router(fairs_api)  # /api/fairs/…: 招聘会 and 直播带岗
    from jiuye.web.api_gig import router as gig_router

    app.include_router(gig_router)  # /api/gig/…: 零工市场
    from jiuye.web.api_training import router as training_router

    app.include_router(training_router)  # /api/training/…: courses, enrolment, sign-in, vouchers
    from jiuye.web.api_startup import router as startup_api

    app.include_router(startup_api)  # /api/startup/…: 创业项目库, 孵化基地 admission
    from jiuye.web.api_welfare import router as welfare_api

    app.include_router(welfare_api)  # /api/welfare/…: 公益性岗位 open posts (read)
    from jiuye.web.warmup import Readiness

    app.add_middleware(Readiness)  # outermost: warm-up at lifespan startup; /healthz 503 「正在启动」 until warm
    return app

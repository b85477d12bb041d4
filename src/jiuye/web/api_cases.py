"""JSON API for cases (办件): login → bearer token; cases list / create-from-screening / get /
transition / attachments / overdue; 免申即享 batch import; procedures and offices.

Every route is a thin layer over `jiuye.cases.service`, which decides who may see and do what.
A case the user may not see answers 404 (its existence is not revealed); a step the user may not
take answers 403; a stale version 409; a move that is not in the procedure 422 with the moves
that are. 身份证号 are masked in every answer.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from typing import Annotated, Any, Iterator, Literal

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from jiuye.web import schemas

# The refusals every route here may give (jiuye.cases.service.CaseError and the request's validation),
# documented so that the OpenAPI document lists each status code a client can get (tests/test_schemathesis.py).
_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.MessageReplyOut, "description": "未登录，或令牌已失效"},
    403: {"model": schemas.MessageReplyOut, "description": "无权办理"},
    404: {"model": schemas.MessageReplyOut, "description": "没有（或您看不到）这个案件、流程、用户或附件"},
    422: {"model": schemas.UnprocessableOut, "description": "内容有误：指出字段"},
}
router = APIRouter(prefix="/api", tags=["cases"], responses=_REFUSALS)
_THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {"model": schemas.MessageReplyOut, "description": "尝试过于频繁（登录失败、注册或申请次数过多）：见 Retry-After"}}
_CONFLICT: dict[int | str, dict[str, Any]] = {409: {"model": schemas.MessageReplyOut, "description": "已被他人处理，请刷新"}}

# Row ids are 32-bit integers in the database (PostgreSQL refuses a larger one with an error): a larger
# or non-positive id in a request is a 422 naming the field, never a database error.
MAX_ID = 2**31 - 1
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号")]
AttachmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="附件编号")]


# --- plumbing --------------------------------------------------------------------------------
def db_session() -> Iterator[Session]:
    from jiuye.store.db import DatabaseNotReady, default_engine

    try:
        engine = default_engine()
    except DatabaseNotReady as exc:
        raise HTTPException(status_code=503, detail={"message": str(exc)}) from None
    with Session(engine, expire_on_commit=False) as s:
        yield s


DB = Annotated[Session, Depends(db_session)]


@contextlib.contextmanager
def _errors():
    from jiuye.cases.errors import CaseError

    try:
        yield
    except CaseError as exc:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if exc.status == 429:
            headers = {"Retry-After": str(getattr(exc, "retry_after", 60))}
        raise HTTPException(status_code=exc.status, detail=exc.as_dict(), headers=headers) from None


def _token(authorization: Annotated[str | None, Header(description="Bearer <token>（POST /api/auth/login 获得）")] = None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def current_user(s: DB, token: Annotated[str | None, Depends(_token)]):
    from jiuye.cases import service

    with _errors():
        return service.user_for_token(s, token)


Me = Annotated[Any, Depends(current_user)]


# --- schemas ---------------------------------------------------------------------------------
class LoginIn(BaseModel):
    username: str
    password: str


class LoginOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: dt.datetime
    user: dict


class CaseCreateIn(BaseModel):
    procedure: str = Field(description="办理流程编号（GET /api/procedures），如 hard_to_employ_recognition")
    profile: dict = Field(default={}, description="情况（与 POST /api/screen 相同）：建案时按 as_of 筛查，结果原样保存")
    as_of: dt.date | None = Field(default=None, description="按哪一天的政策筛查（默认今天）；申请人本人申请一律按今天，"
                                  "不能指定；工作人员可指定规则覆盖范围内的日期，记入筛查快照和审计记录")
    fields: dict = Field(default={}, description="流程要求的字段，如 {hire_date: 2026-11-02}")
    district: str | None = None
    office_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="受理机构（申请人可选所在社区）")
    id_number: str | None = Field(default=None, description="工作人员代为申请：申请人身份证号")
    name: str | None = Field(default=None, description="工作人员代为申请：申请人姓名或单位名称")
    credit_code: str | None = Field(default=None, description="工作人员代为申请：统一社会信用代码")


class TransitionIn(BaseModel):
    to: str = Field(description="目标状态（案件详情的 moves 中列出）")
    comment: str | None = Field(default=None, max_length=2000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID, description="您看到的版本；已被他人处理时返回 409")


class BatchIn(BaseModel):
    procedure: str = "job_retention_refund"
    rows: list[dict] = Field(description="批量筛查结果的行（格式见 jiuye.cases.batchfile）")
    source: str = ""
    as_of: dt.date | None = None


class UserIn(BaseModel):
    username: str
    password: str = Field(min_length=8)
    role: str
    name: str | None = None
    office_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    district: str | None = None
    id_number: str | None = None
    credit_code: str | None = None


# --- auth ------------------------------------------------------------------------------------
@router.post("/auth/login", response_model=LoginOut, responses=_THROTTLED)
def login(body: LoginIn, s: DB, request: Request):
    """用户名 + 密码 → 令牌（有效期 $JIUYE_TOKEN_TTL_MINUTES，默认 480 分钟）。同一账号或同一地址登录失败过多时
    暂时锁定：429，Retry-After 为还需等待的秒数。"""
    from jiuye.cases import service, throttle

    with _errors():
        token, expires, user = service.login(s, body.username, body.password, throttle.address_of(request))
        return {"token": token, "expires_at": expires, "user": service.user_view(user)}


@router.post("/auth/logout")
def logout(s: DB, me: Me, token: Annotated[str | None, Depends(_token)]):
    from jiuye.cases import service

    service.logout(s, token)
    return {"ok": True}


@router.get("/me")
def whoami(me: Me):
    from jiuye.cases import service

    return service.user_view(me)


# --- reference data ---------------------------------------------------------------------------
@router.get("/procedures")
def procedures(me: Me):
    """办理流程：状态、各步办理角色、材料、期限、原文出处。"""
    from jiuye.cases import service
    from jiuye.cases.procedures import get_procedures

    return [service.procedure_view(p) for p in get_procedures().values()]


@router.get("/procedures/{procedure_id}")
def procedure(procedure_id: str, me: Me):
    from jiuye.cases import service

    with _errors():
        try:
            return service.procedure_view(service._procedure(procedure_id))
        except service.Invalid as exc:
            raise service.NotFound(str(exc)) from None


@router.get("/offices")
def offices(s: DB, me: Me):
    from jiuye.cases import service

    return service.offices_view(s)


@router.post("/users", status_code=201, responses=_CONFLICT)
def add_user(body: UserIn, s: DB, me: Me):
    """新增用户（管理员）。"""
    from jiuye.cases import service
    from jiuye.cases.models import Office

    with _errors():
        if me.role != "admin":
            raise service.Forbidden("只有管理员可以新增用户")
        office = s.get(Office, body.office_id) if body.office_id else None
        if body.office_id and office is None:
            raise service.Invalid(f"没有编号为 {body.office_id} 的机构")
        try:
            person = service.ensure_person(s, body.id_number, body.name or "") if body.id_number else None
            ent = (service.ensure_enterprise(s, body.credit_code, body.name or "", service.district_key(body.district))
                   if body.credit_code else None)
            user = service.create_user(s, body.username, body.password, body.role, display_name=body.name,
                                       office=office, district=body.district, person=person, enterprise=ent)
        except ValueError as exc:
            s.rollback()
            raise service.Invalid(str(exc)) from None
        except service.CaseError:
            s.rollback()
            raise
        return service.user_view(user)


class VerifyIdentityIn(BaseModel):
    id_number: str | None = Field(default=None, description="个人账号：窗口核对身份证原件后录入的身份证号")
    credit_code: str | None = Field(default=None, description="单位账号：窗口核对营业执照后录入的统一社会信用代码")


@router.post("/users/{username}/verify-identity")
def verify_identity(username: str, body: VerifyIdentityIn, s: DB, me: Me):
    """窗口核验网上注册的申请人身份（社区、街道、旗县市中心、盟中心工作人员或管理员）。核验前，该账号只看得到
    自己提交的案件；核验后，工作人员代办和免申即享为其建立的案件也会显示。"""
    from jiuye.cases import service

    with _errors():
        return service.user_view(service.verify_identity(s, me, username, body.credit_code or body.id_number or ""))


# --- cases -----------------------------------------------------------------------------------
@router.get("/cases")
def list_cases(s: DB, me: Me, state: str | None = None, procedure: str | None = None, district: str | None = None,
               overdue: bool = False, include_final: bool = True,
               limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0):
    """您能看到的案件：申请人只看到本人（本单位）的，工作人员只看到本旗县市的。"""
    from jiuye.cases import service

    with _errors():
        total, rows = service.list_cases(s, me, state=state, procedure=procedure, district=district,
                                         overdue_only=overdue, include_final=include_final, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "cases": [service.case_summary(s, c, me) for c in rows]}


@router.get("/cases/export.csv", response_class=Response)
def export_cases(s: DB, me: Me, procedure: str | None = None, state: str | None = None):
    """导出 CSV（UTF-8 BOM，Excel 可直接打开；身份证号已脱敏；以 = + - @ 开头的文字前加 ' ，不会被当作公式）。"""
    from jiuye.batch.safe_cells import neutralise_row
    from jiuye.cases import service

    with _errors():
        _, rows = service.list_cases(s, me, procedure=procedure, state=state, limit=100000)
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["编号", "事项", "申请人", "证件号（脱敏）", "旗县市", "状态", "期限", "期限说明", "筛查日期", "筛查结论", "金额（元）", "版本"])
        for c in rows:
            r = service.case_summary(s, c, me)
            a, d = r["applicant"], r["deadline"] or {}
            w.writerow(neutralise_row([r["id"], r["procedure_name"], a["name"], a.get("id_number") or a.get("credit_code"), r["district"],
                        r["state_label"], d.get("due", ""), d.get("note") or "", r["screening"]["as_of"],
                        r["screening"]["status"], "" if r["screening"]["amount"] is None else r["screening"]["amount"],
                        r["version"]]))  # an applicant's name like "=HYPERLINK(…)" must not run in Excel
    return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="cases.csv"'})


@router.get("/cases/overdue")
def overdue_cases(s: DB, me: Me, office_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None):
    """逾期案件，按应办理的机构分组；只扣除周末的期限带 approximate 和说明。"""
    from jiuye.cases import service

    with _errors():
        service.refresh_deadlines(s)
        return {"as_of": service.today().isoformat(), "offices": service.overdue(s, me, office_id=office_id)}


@router.post("/cases", status_code=201, responses=_THROTTLED)
def create_case(body: CaseCreateIn, s: DB, me: Me, request: Request):
    """从筛查结果建案：按 as_of 筛查 profile，保存该政策当天的结论、金额和原因；不符合或已过期限的拒绝。
    申请人提交次数有限制（每账号、每地址，429 + Retry-After）。"""
    from jiuye.cases import service, throttle

    with _errors():
        throttle.guard_application(s, me, throttle.address_of(request))
        case = service.create_case(s, me, body.procedure, profile=body.profile, as_of=body.as_of, fields=body.fields,
                                   district=body.district, office_id=body.office_id, id_number=body.id_number,
                                   name=body.name, credit_code=body.credit_code)
        return service.case_detail(s, me, case)


@router.post("/cases/import-batch", status_code=201)
def import_batch(body: BatchIn, s: DB, me: Me):
    """免申即享：批量筛查结果中「符合」的建为待确认案件，由经办人员核实确认后才发放。"""
    from jiuye.cases import service

    with _errors():
        return service.import_batch(s, me, body.rows, procedure=body.procedure, source=body.source, as_of=body.as_of)


@router.post("/cases/import-batch/file", status_code=201)
def import_batch_file(s: DB, me: Me, file: UploadFile = File(...), procedure: str = Form("job_retention_refund")):
    """同上，上传文件（CSV、JSON、JSONL）。"""
    import hashlib

    from jiuye.cases import service
    from jiuye.cases.batchfile import parse_text

    data = file.file.read()  # bounded by the upload limit (jiuye.web.limits); screened in a worker thread
    try:
        rows = parse_text(data.decode("utf-8-sig"), "." + (file.filename or "").rsplit(".", 1)[-1].lower())
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(status_code=422, detail={"message": f"读不了文件：{exc}"}) from None
    with _errors():
        return service.import_batch(s, me, rows, procedure=procedure, source=file.filename or "",
                                    source_sha256=hashlib.sha256(data).hexdigest())


@router.get("/cases/{case_id}")
def get_case(case_id: CaseId, s: DB, me: Me):
    """案件详情：状态、期限、建案时的筛查结果、材料清单、您可以办理的下一步、审计记录。"""
    from jiuye.cases import service

    with _errors():
        return service.case_detail(s, me, service.load_case(s, me, case_id))


@router.get("/cases/{case_id}/events")
def case_events(case_id: CaseId, s: DB, me: Me):
    from jiuye.cases import service

    with _errors():
        d = service.case_detail(s, me, service.load_case(s, me, case_id))
        return d["events"]


@router.post("/cases/{case_id}/transitions", responses=_CONFLICT)
def move_case(case_id: CaseId, body: TransitionIn, s: DB, me: Me):
    """办理一步。409：已被他人处理（请刷新）；422：流程上没有这一步（回答列出可以怎么转）；403：不是您办理的步骤。"""
    from jiuye.cases import service

    with _errors():
        case = service.transition(s, me, case_id, body.to, comment=body.comment, expected_version=body.version)
        return service.case_detail(s, me, case)


@router.get("/cases/{case_id}/attachments")
def list_attachments(case_id: CaseId, s: DB, me: Me):
    from jiuye.cases import service

    with _errors():
        d = service.case_detail(s, me, service.load_case(s, me, case_id))
        return {"materials": d["materials"], "attachments": d["attachments"]}


@router.post("/cases/{case_id}/attachments", status_code=201)
def upload_attachment(case_id: CaseId, s: DB, me: Me, file: UploadFile = File(...),
                            material: str = Form(..., description="材料清单中的一项，或「其他材料」")):
    """上传材料（PDF、JPEG、PNG；大小上限 $JIUYE_ATTACHMENT_MAX_BYTES，默认 10 MiB）；保存 sha256。"""
    from jiuye.cases import attachments, service

    from jiuye.cases.attachments import max_bytes

    data = file.file.read(max_bytes() + 1)
    with _errors():
        att = attachments.add_attachment(s, me, case_id, material, file.filename or "file", data, file.content_type)
        return service.attachment_view(att)


@router.get("/cases/{case_id}/attachments/{attachment_id}", response_class=Response)
def download_attachment(case_id: CaseId, attachment_id: AttachmentId, s: DB, me: Me):
    from urllib.parse import quote

    from jiuye.cases import attachments

    with _errors():
        att, data = attachments.read_attachment(s, me, case_id, attachment_id)
    return Response(data, media_type=att.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(att.filename)}", "X-Checksum-SHA256": att.sha256})

"""JSON API of the labour market (/api/market/…): posts (search, publish, review, import/export), employers,
statistics; 求职登记, applications, messages and SMS opt-out are in api_market_people.py.

Thin routes over jiuye.market, which decides who may see and do what (jiuye.market.access): an
object the caller may not see answers 404 (its existence is not revealed), an action they may not
take 403, a stale version 409, bad input 422 naming the field. Login: POST /api/auth/login (bearer
token); searching and reading public posts needs none. 身份证号 are masked in every answer.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path as PathParam, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from jiuye.market.policies import PanelOut
from jiuye.screening.profile import EnterpriseCategory
from jiuye.web.api_cases import _CONFLICT, _REFUSALS, _THROTTLED, DB, MAX_ID, Me, _errors, _token
from jiuye.web.market_schemas import (
    EmployerIn, EmployerSignupIn, PostingIn, PostingListOut, PostingUpdateIn, ReasonIn, ReviewIn, _Out,
)

router = APIRouter(prefix="/api/market", tags=["market"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="编号")]
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_FILE = {200: {"content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}}, "description": "CSV（UTF-8 BOM）或 XLSX 文件"}}


def optional_user(s: DB, token: Annotated[str | None, Depends(_token)]):
    """The caller, or None without a token (a token that is invalid or expired is still a 401)."""
    if token is None:
        return None
    from jiuye.cases import service

    with _errors():
        return service.user_for_token(s, token)


MaybeMe = Annotated[Any, Depends(optional_user)]


def _data(body: BaseModel, drop: tuple[str, ...] = ()) -> dict:
    return body.model_dump(exclude={"submit", "version", *drop}, exclude_unset=True, mode="json")


# --- posts --------------------------------------------------------------------------------------
@router.get("/postings", response_model=PostingListOut)
def search_postings(s: DB, q: Annotated[str, Query(max_length=200, description="口语即可，如「乌兰浩特 电焊工」")] = "",
                    district: Annotated[str | None, Query(max_length=20)] = None,
                    occupation: Annotated[str | None, Query(max_length=20, description="职业（大典编码）")] = None,
                    wage_min: Annotated[float | None, Query(ge=0, le=1_000_000, description="工资不低于（元）")] = None,
                    limit: Annotated[int, Query(ge=1, le=200)] = 20, offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """公开的岗位（已审核、未过有效期），最新的在前。不需要登录。"""
    from jiuye.market import postings

    with _errors():
        total, rows = postings.search(s, q=q, district=district, occupation=occupation, wage_min=wage_min,
                                      limit=limit, offset=offset)
        return {"total": total, "postings": [postings.view(p) for p in rows]}


@router.get("/postings/managed", response_model=list[_Out])
def managed_postings(s: DB, me: Me, state: Annotated[str | None, Query(max_length=20)] = None):
    """单位：本单位的全部岗位；工作人员：本旗县市的全部岗位（各种状态，含审核提示）。"""
    from jiuye.market import postings

    with _errors():
        return [postings.view(p, staff=True) for p in postings.list_for(s, me, state=state)]


@router.get("/postings/export", response_class=Response, responses=_FILE)
def export_postings(s: DB, me: Me, format: Literal["csv", "xlsx"] = "xlsx",
                    state: Annotated[str | None, Query(max_length=20)] = None):
    """导出岗位（与导入相同的中文表头），单位导出本单位的，工作人员导出本旗县市的。"""
    from jiuye.market import importing

    with _errors(), tempfile.TemporaryDirectory(prefix="jiuye-export-") as tmp:
        data = importing.export_file(s, me, Path(tmp) / f"postings.{format}", state=state).read_bytes()
    return Response(data, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="postings.{format}"'})


@router.post("/postings/import", status_code=201)
def import_postings(s: DB, me: Me, file: UploadFile = File(..., description="CSV（UTF-8 或 GBK）或 XLSX，中文表头"),
                    submit: bool = Form(True, description="导入后直接提交审核")):
    """批量导入岗位：每一行导入或拒绝，拒绝的写明行号、字段和原因。"""
    from jiuye.batch.readers import FORMATS
    from jiuye.config import roster_max_bytes
    from jiuye.market import importing
    from jiuye.market.common import Invalid

    suffix = Path(file.filename or "").suffix.lower()
    with _errors():
        if FORMATS.get(suffix) not in ("csv", "xlsx"):
            raise Invalid("请上传 .csv 或 .xlsx 文件", field="file")
        with tempfile.TemporaryDirectory(prefix="jiuye-import-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(file.file.read(roster_max_bytes() + 1))
            return importing.import_file(s, me, path, filename=Path(file.filename or "").name, submit=submit).as_dict()


@router.get("/postings/{posting_id}", response_model=_Out)
def get_posting(posting_id: Id, s: DB, me: MaybeMe):
    """一个岗位的招用人员简章（公开的任何人可看；未公开的只有发布单位和当地经办人员）。"""
    from jiuye.market import postings
    from jiuye.market.common import market_actor

    with _errors():
        p = postings.load(s, me, posting_id)
        actor = market_actor(s, me)
        return postings.view(p, detail=True, staff=actor.kind in ("staff", "admin") or actor.employer_id == p.employer_id)


@router.post("/postings", status_code=201, response_model=_Out)
def create_posting(body: PostingIn, s: DB, me: Me):  # type: ignore[valid-type]
    """发布岗位（单位或人力资源服务机构）。submit=true 时直接提交审核，并返回自动审核提示。"""
    from jiuye.market import postings

    with _errors():
        return postings.view(postings.create(s, me, _data(body), submit=body.submit), detail=True, staff=True)


@router.put("/postings/{posting_id}", response_model=_Out, responses=_CONFLICT)
def update_posting(posting_id: Id, body: PostingUpdateIn, s: DB, me: Me):  # type: ignore[valid-type]
    """修改草稿或被退回的岗位（整份简章）。"""
    from jiuye.market import postings

    with _errors():
        p = postings.update(s, me, posting_id, _data(body), expected_version=body.version)
        if body.submit:
            p = postings.submit(s, me, p.id)
        return postings.view(p, detail=True, staff=True)


@router.post("/postings/{posting_id}/submit", response_model=_Out)
def submit_posting(posting_id: Id, s: DB, me: Me):
    from jiuye.market import postings

    with _errors():
        return postings.view(postings.submit(s, me, posting_id), detail=True, staff=True)


@router.post("/postings/{posting_id}/withdraw", response_model=_Out)
def withdraw_posting(posting_id: Id, body: ReasonIn, s: DB, me: Me):
    """撤下岗位；已投递的求职者收到通知。"""
    from jiuye.market import postings

    with _errors():
        return postings.view(postings.withdraw(s, me, posting_id, body.reason), detail=True, staff=True)


@router.post("/postings/{posting_id}/review", response_model=_Out, responses=_CONFLICT)
def review_posting(posting_id: Id, body: ReviewIn, s: DB, me: Me):
    """审核（旗县市中心；盟中心全盟）：通过并公开，或退回并写明理由。"""
    from jiuye.market import postings

    with _errors():
        return postings.view(postings.review_post(s, me, posting_id, body.decision, body.note,
                                                  expected_version=body.version), detail=True, staff=True)


@router.get("/postings/{posting_id}/applications", response_model=list[_Out])
def posting_applications(posting_id: Id, s: DB, me: Me):
    """一个岗位收到的求职申请（发布单位、当地经办人员）。单位看得到求职者姓名和电话，看不到身份证号。"""
    from jiuye.market import applications
    from jiuye.market.common import market_actor

    with _errors():
        employer = market_actor(s, me).kind == "employer"
        return [applications.view(a, as_employer=employer) for a in applications.for_posting(s, me, posting_id)]


Size = Annotated[EnterpriseCategory | None, Query(description="单位规模（可不填）：large 大型 / medium 中型 / small 小型 / "
                                                            "micro 微型 / social_organisation 社会组织等")]


def _enterprise(size: str | None) -> dict | None:
    return {"enterprise_category": size} if size else None


@router.get("/postings/{posting_id}/policies", response_model=dict[str, PanelOut])
def posting_policies(posting_id: Id, s: DB, me: Me, seeker_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                     enterprise_category: Size = None):
    """政策找人：这位求职者到这个岗位，按今天的规则——`employer`：单位招用他可能享受的（发布单位看本单位岗位和
    投递过或同意查看的求职者，工作人员看本地求职者）；`seeker`：求职者本人求职、上岗相关的（求职者看自己的登记，
    不填 seeker_id）。只列「可以享受」「可能」，已截止的另列；金额和标准来自规则。"""
    from jiuye.market import policies

    with _errors():
        return policies.pair_panels(s, me, posting_id, seeker_id, _enterprise(enterprise_category))


@router.get("/applications/{application_id}/policies", response_model=dict[str, PanelOut])
def application_policies(application_id: Id, s: DB, me: Me, enterprise_category: Size = None):
    """政策找人：一份求职申请——单位看招用可能享受的补贴，求职者看上岗相关的，工作人员两者都看；已录用的按录用日期计。"""
    from jiuye.market import policies

    with _errors():
        return policies.application_panels(s, me, application_id, _enterprise(enterprise_category))


# --- employers ----------------------------------------------------------------------------------
@router.post("/employers/signup", status_code=201, response_model=_Out, responses={**_CONFLICT, **_THROTTLED})
def employer_signup(body: EmployerSignupIn, s: DB, request: Request):
    """单位注册：账号和招聘信息一起（统一社会信用代码按 GB 32100 校验）。网上注册的账号在窗口核验营业执照前，
    其岗位审核时会提示「单位账号未经窗口核验」。"""
    from jiuye.cases import throttle
    from jiuye.market import employers

    with _errors():
        throttle.hit(s, "register_address", throttle.address_of(request))
        try:
            _user, emp = employers.register_with_account(
                s, credit_code=body.credit_code, name=body.name, district=body.district, username=body.username,
                password=body.password, phone=body.phone, kind=body.kind, licence_no=body.licence_no,
                contact_name=body.contact_name)
        except Exception:
            s.rollback()
            raise
        return employers.employer_view(emp, full=True)


@router.put("/employers/me", response_model=_Out)
def employer_profile(body: EmployerIn, s: DB, me: Me):
    """本单位的招聘信息（单位账号）：单位或人力资源服务机构、许可证编号、联系人。"""
    from jiuye.market import employers

    with _errors():
        return employers.employer_view(employers.register(s, me, kind=body.kind, licence_no=body.licence_no,
                                                          contact_name=body.contact_name, phone=body.phone), full=True)


@router.get("/employers/me", response_model=_Out)
def employer_me(s: DB, me: Me):
    from jiuye.market import employers

    with _errors():
        return employers.employer_view(employers.require_employer(s, me), full=True)


# --- statistics -------------------------------------------------------------------------------------
@router.get("/stats", response_model=_Out)
def stats(s: DB, me: Me, start: dt.date | None = None, end: dt.date | None = None):
    """供求统计（经办人员；本旗县市，盟中心全盟）：按旗县市、职业、月份；岗位满足率、招满用时、单位答复率。"""
    from jiuye.market import stats as st

    with _errors():
        return st.compute(s, me, start=start, end=end)


@router.get("/stats/export", response_class=Response, responses=_FILE)
def stats_export(s: DB, me: Me, format: Literal["csv", "xlsx"] = "xlsx", start: dt.date | None = None,
                 end: dt.date | None = None):
    from jiuye.market import stats as st

    with _errors(), tempfile.TemporaryDirectory(prefix="jiuye-stats-") as tmp:
        data = st.export(st.compute(s, me, start=start, end=end), Path(tmp) / f"stats.{format}").read_bytes()
    return Response(data, media_type=MEDIA[format], headers={"Content-Disposition": f'attachment; filename="stats.{format}"'})

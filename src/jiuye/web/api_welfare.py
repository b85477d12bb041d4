"""JSON API of 公益性岗位 (/api/welfare/…): the post types and open posts with places left, read without an
account — the same as the /welfare page, for other services (Ask's front door, a 嘎查 station's screen).
Signing up stays on the page (it screens the person with the rules as of today). Thin routes over
jiuye.welfare_posts: a post one may not see is 404; unknown filters are 422 naming the field."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path as PathParam, Query

from jiuye.web.api_cases import _REFUSALS, DB, MAX_ID, _errors
from jiuye.web.api_market import MaybeMe
from jiuye.web.market_schemas import _Out

router = APIRouter(prefix="/api/welfare", tags=["welfare"], responses=_REFUSALS)
Id = Annotated[int, PathParam(ge=1, le=MAX_ID, description="岗位编号")]


@router.get("/about", response_model=_Out)
def about():
    """公益性岗位的类型（名称与例子，出自资料）和可选的旗县市。不需要登录。"""
    from jiuye.welfare_posts import posts
    from jiuye.welfare_posts.settings import settings

    cfg = settings()
    return {"post_types": {k: {"label": v.label, "examples": v.examples} for k, v in cfg.post_types.items()},
            "districts": posts.districts()}


@router.get("/posts", response_model=_Out)
def find_posts(s: DB, district: Annotated[str | None, Query(max_length=20, description="旗县市（或 兴安盟）")] = None,
               type: Annotated[str | None, Query(max_length=30, description="岗位类型（见 /api/welfare/about）")] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    """正在招收、还有名额的公益性岗位（招收期内），截止早的在前。不需要登录。"""
    from jiuye.welfare_posts import posts
    from jiuye.welfare_posts.common import Invalid
    from jiuye.welfare_posts.settings import settings

    with _errors():
        if district is not None and district not in posts.districts():
            raise Invalid(f"没有这个旗县市：{district}；可选：{'、'.join(posts.districts())}", field="district")
        if type is not None and type not in settings().post_types:
            raise Invalid(f"没有这种岗位类型：{type}；可选：" + '、'.join(f'{k}（{v.label}）' for k, v in settings().post_types.items()), field="type")
        total, rows = posts.search(s, district=district, post_type=type, limit=limit, offset=offset)
        return {"total": total, "posts": [posts.view(p) for p in rows]}


@router.get("/posts/{post_id}", response_model=_Out)
def get_post(post_id: Id, s: DB, me: MaybeMe):
    """一个岗位：公开的（招收中的）人人可看，其余只有本旗县市的工作人员可看。"""
    from jiuye.welfare_posts import posts

    with _errors():
        return posts.view(posts.must(s, me, post_id, "view"))

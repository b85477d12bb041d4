"""Pydantic contracts of 创业服务's JSON API (jiuye.web.api_startup)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from jiuye.web.api_cases import MAX_ID


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProjectIn(_In):
    title: str = Field(max_length=60, description="项目名称")
    mode: str = Field(max_length=30, description="合作方式（GET /api/startup/about › modes 的键）：自主经营、品牌代理、连锁加盟等")
    sector: str = Field(max_length=30, description="项目类别（about › sectors 的键）")
    district: str = Field(max_length=20, description="所在旗县市")
    place: str = Field(max_length=100, description="经营地点")
    investment_yuan: int = Field(ge=1, le=100_000_000, description="所需投资（元）")
    offer: str = Field(max_length=500, description="项目方提供的支持（技术、品牌、货源、培训等）")
    description: str = Field(max_length=2000, description="项目介绍")
    contact_name: str = Field(max_length=30, description="联系人")
    contact_phone: str = Field(max_length=30, description="联系电话")
    submit: bool = Field(default=True, description="保存后直接提交审核（否则存为草稿）")
    owner: str | None = Field(default=None, max_length=50, description="工作人员代为填报时：项目方的账号（用户名）")


class ReviewIn(_In):
    publish: bool = Field(description="true 发布；false 退回修改（须写原因）")
    reason: str | None = Field(default=None, max_length=300, description="退回原因")


class InterestIn(_In):
    phone: str | None = Field(default=None, max_length=30, description="联系电话（默认账号的手机号）")
    note: str | None = Field(default=None, max_length=300, description="留言")


class FollowUpIn(_In):
    result: str = Field(max_length=300, description="跟进结果")
    close: bool = Field(default=False, description="办结")


class ApplicationIn(_In):
    base: str = Field(max_length=40, description="基地（GET /api/startup/bases 的 id）")
    business_name: str = Field(max_length=60, description="创业实体（项目）名称")
    plan_summary: str = Field(max_length=2000, description="创业计划书摘要（文件请在网页上上传）")
    has_employment_card: bool = Field(default=False, description="持有就业创业证")
    has_training_certificate: bool = Field(default=False, description="取得创业培训合格证书")
    first_business: bool = Field(default=True, description="首次创业")
    business_registration_date: str | None = Field(default=None, max_length=10, description="登记注册日期 YYYY-MM-DD（已登记时）")
    planned_jobs: int = Field(default=0, ge=0, le=10000, description="计划带动就业人数")
    months_requested: int = Field(ge=1, le=120, description="申请孵化期限（月，一般不超过36）")
    project_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="关联的创业项目库项目（可不填）")


class AssignIn(_In):
    reviewers: list[int] = Field(min_length=1, max_length=9, description="评审的账号编号")


class DeclareIn(_In):
    conflict: bool = Field(description="是否存在利益冲突（亲属、合伙、雇佣等）")
    note: str | None = Field(default=None, max_length=300, description="存在冲突时说明")


class ScoreIn(_In):
    score: int = Field(ge=0, le=100, description="评分")
    comment: str = Field(max_length=500, description="评审意见")


class DecideIn(_In):
    admit: bool = Field(description="true 准予入驻；false 不予入驻")
    reason: str = Field(max_length=500, description="决定理由")
    entry_date: str | None = Field(default=None, max_length=10, description="入驻日期 YYYY-MM-DD（默认今天）")


class ExitIn(_In):
    exit_date: str = Field(max_length=10, description="退出日期 YYYY-MM-DD")
    kind: str = Field(max_length=12, description="graduated 孵化期满毕业；left 提前退出")
    jobs_created: int = Field(ge=0, le=10000, description="带动就业人数")

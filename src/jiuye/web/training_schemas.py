"""Pydantic contracts of the training JSON API (jiuye.web.api_training)."""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from jiuye.web.api_cases import MAX_ID


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Groups(_In):
    registered_unemployed: bool | None = Field(default=None, description="已办理失业登记")
    hard_to_employ_certified: bool | None = Field(default=None, description="已被认定为就业困难人员")
    poverty_alleviated_labour: bool | None = Field(default=None, description="脱贫劳动力")
    rural_low_income: bool | None = Field(default=None, description="农村牧区低收入人口")
    rural_school_leaver_trainee: bool | None = Field(default=None, description="两后生中的农村牧区学员")
    urban_dibao_household_member: bool | None = Field(default=None, description="城市低保家庭成员")
    junior_secondary_leaver: bool | None = Field(default=None, description="未继续升学的应届初中毕业生")
    veteran: bool | None = Field(default=None, description="退役军人")
    flexibly_employed: bool | None = Field(default=None, description="灵活就业人员")
    has_disability_certificate: bool | None = Field(default=None, description="持有残疾人证")
    returning_home_founder: bool | None = Field(default=None, description="返乡创业人员")
    receiving_pension: bool | None = Field(default=None, description="已按月领取养老金")


class ProviderIn(_In):
    name: str = Field(max_length=100, description="机构名称")
    kind: str = Field(default="training_institution", max_length=24,
                      description="training_institution 培训机构 / vocational_college 职业院校 / training_centre 就业创业训练中心")
    district: str | None = Field(default=None, max_length=20, description="所在旗县市（默认本人所在）")
    credit_code: str | None = Field(default=None, max_length=18, description="统一社会信用代码（GB 32100 校验）")
    address: str | None = Field(default=None, max_length=200)
    phone: str = Field(max_length=30, description="联系电话")
    approvals: list[str] = Field(max_length=2, description="vocational 职业技能培训资质 / entrepreneurship 创业培训资质")
    username: str = Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_]+$", description="机构账号用户名")
    password: str = Field(min_length=8, max_length=100, description="初始密码")


class DecisionIn(_In):
    action: str = Field(max_length=10, description="approve 审批通过 / return 退回补正（须写原因） / suspend 暂停")
    comment: str | None = Field(default=None, max_length=300)


class CourseIn(_In):
    title: str = Field(max_length=100, description="课程名称")
    kind: str = Field(default="vocational", max_length=20,
                      description="vocational 职业技能 / labour_preparation 劳动预备制 / syb / iyb / online_startup 网络创业")
    occupation_code: str | None = Field(default=None, max_length=20, description="培训职业（《职业分类大典》编码）")
    level: str | None = Field(default=None, max_length=20, description="special / junior / intermediate / senior / technician / senior_technician / none")
    category: str | None = Field(default=None, max_length=4, description="a / b / c / none（自治区重点产业需求目录）")
    hours: int = Field(ge=1, le=2000, description="课时")
    days: int = Field(ge=1, le=365, description="天数")
    start_on: dt.date = Field(description="开班日期")
    end_on: dt.date = Field(description="结业日期")
    district: str | None = Field(default=None, max_length=20)
    place: str = Field(max_length=200, description="培训地点")
    seats: int = Field(ge=1, le=500, description="名额")
    price_yuan: float = Field(default=0, ge=0, le=100000, description="学费（元）；0 为免费")
    subsidised: bool = Field(default=True, description="是否为补贴性培训")
    contact: str | None = Field(default=None, max_length=100, description="联系方式（默认机构电话）")


class EnrolIn(_In):
    phone: str | None = Field(default=None, max_length=30)
    voucher: str | None = Field(default=None, max_length=20, description="职业培训券券号（兴安盟本系统电子券）")
    groups: Groups | None = None
    id_number: str | None = Field(default=None, max_length=20, description="机构代为报名：学员身份证号")
    name: str | None = Field(default=None, max_length=50, description="机构代为报名：学员姓名")


class SignInIn(_In):
    code: str = Field(max_length=12, description="课堂上显示的签到码")
    consent: bool = Field(default=False, description="同意记录本次签到位置")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class MarkIn(_In):
    enrolment_id: int = Field(ge=1, le=MAX_ID)
    day: dt.date | None = None


class ResultIn(_In):
    enrolment_id: int = Field(ge=1, le=MAX_ID)
    result: str = Field(max_length=10, description="passed 合格 / failed 不合格")
    certificate_kind: str | None = Field(default=None, max_length=30)
    certificate_no: str | None = Field(default=None, max_length=60)


class CompleteIn(_In):
    results: list[ResultIn] = Field(min_length=1, max_length=500)


class WishIn(_In):
    kind: str = Field(default="employment", max_length=12, description="employment 就业培训意愿 / startup 创业培训意愿")
    district: str | None = Field(default=None, max_length=20)
    occupation_code: str | None = Field(default=None, max_length=20)
    note: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=30)


class AnswerIn(_In):
    answer: str = Field(max_length=500)
    course_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class VoucherIn(_In):
    id_number: str = Field(max_length=20)
    name: str = Field(max_length=50)
    course_kind: str = Field(default="vocational", max_length=20)
    kind: str = Field(default="subsidised", max_length=16, description="subsidised 职业技能补贴培训券 / sign_in_only 打卡签到专用培训券")

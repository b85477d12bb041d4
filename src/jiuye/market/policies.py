"""政策找人 inside matching: what hiring this seeker into this post could bring the employer, and what
seeking and taking the job could bring the seeker — from the screening service, on the day asked about.

Which policies are shown on which side, and which facts of a 求职登记 and of a post feed the screening,
is data (data/market/policy_links.yaml, validated on load against the catalogue, the rules' parameters
and the profile schema). For the employer the seeker becomes one of the enterprise's `employees`
(hired on the day asked about, or on the day of a recorded 录用); for the seeker, what taking such a post
makes true (非全日制: 灵活就业) is added to their own facts. A policy is listed when the verdict is
可以享受, or 可能 / 已截止 for a seeker in the groups it concerns. Amounts are the screening's; where the
verdict is 可能, the standard comes from the rules' parameters named in the data file (value, unit and
source quote on that day) — nothing is written by hand. The seeker's 身份证号 is never used, and an
employer's panel does not show the seeker's birth date.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiuye.config import data_dir, today
from jiuye.knowledge.loader import DataError
from jiuye.market.records import (EDUCATION_LABELS, KEY_GROUP_LABELS, ContractType, Education, KeyGroup,
                                  PostingRecord, SeekerRecord)
from jiuye.market.settings import _load

Side = Literal["employer", "seeker"]
STATUS_LABELS = {"eligible": "可以享受", "needs_information": "可能（还需确认）", "window_closed": "已截止"}
STANDARD_UNITS = ("currency-CNY", "month", "year")
_GLOSS = re.compile(r"\s*\((?=[A-Za-z])[^()（）]*\)")  # an English gloss for developers: "性别 (sex)"
_FEN = re.compile(r"（分）|，分(?=）)")  # the rules' inputs in fen: a person is not asked for fen


def _plain(text: str) -> str:
    return _FEN.sub("", _GLOSS.sub("", text))


# --- the data file ------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandardSpec(_Strict):
    label: str = Field(min_length=1, max_length=60)
    parameter: str | None = None
    fraction: tuple[str, str] | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.parameter is None) == (self.fraction is None):
            raise ValueError("每个标准须写 parameter（一个参数）或 fraction（分子、分母两个参数）之一")
        if not re.search(r"[\u4e00-\u9fff]", self.label) or re.search(r"[0-9０-９]", self.label):
            raise ValueError(f"标准的名称「{self.label}」须为中文且不含数字（数额只能来自规则参数）")
        return self


class LinkSpec(_Strict):
    policy: str
    groups: list[KeyGroup] = []
    contract_types: list[ContractType] | None = None
    assume: dict[str, bool | int | float | str] = {}
    standards: list[StandardSpec] = []


class LinksFile(_Strict):
    key_group_facts: dict[KeyGroup, str]
    education_facts: dict[Education, dict[str, bool | int | float | str]] = {}
    seeker_facts: dict[str, bool | int | float | str] = {}
    social_insurance_facts: list[str] = []
    contract_facts: dict[ContractType, dict[str, bool | int | float | str]] = {}
    new_hire_facts: dict[str, bool | int | float | str] = {}
    employer: list[LinkSpec]
    seeker: list[LinkSpec]


def _check(links: LinksFile, path: Path) -> LinksFile:
    """What the schema cannot check: the policies, the parameters and the facts against the rules."""
    from jiuye.rules import find_parameter
    from jiuye.screening import ProfileError, default_screener, parse_profile

    scr = default_screener()

    def bad(where: str, text: str):
        return DataError(f"数据文件 {path} 有误：{where}：{text}")

    for side, subject in (("employer", "enterprise"), ("seeker", "person")):
        seen = set()
        for i, link in enumerate(getattr(links, side)):
            where = f"{side}.{i}（{link.policy}）"
            st = scr.static.get(link.policy)
            if st is None:
                raise bad(where, "政策目录（data/policies）中没有这项政策")
            if link.policy in seen:
                raise bad(where, "同一政策列了两次")
            seen.add(link.policy)
            if subject not in st.policy.for_ or not st.computed:
                raise bad(where, f"须为规则能计算的、面向{'用人单位' if subject == 'enterprise' else '个人'}的政策")
            if side == "employer" and (link.assume or link.contract_types is not None):
                raise bad(where, "用人单位一侧不用 assume 和 contract_types")
            for j, std in enumerate(link.standards):
                for p in ([std.parameter] if std.parameter else list(std.fraction or ())):
                    node = find_parameter(scr.tbs.parameters, p)
                    if node is None or not getattr(node, "values_list", None):
                        raise bad(f"{where}.standards.{j}", f"规则参数「{p}」不存在")
                    unit = (node.metadata or {}).get("unit")
                    if std.parameter and unit not in STANDARD_UNITS:
                        raise bad(f"{where}.standards.{j}", f"参数「{p}」的单位应为{'、'.join(STANDARD_UNITS)}之一")
            try:
                parse_profile({"subject": "person", **link.assume}, today())
            except ProfileError as exc:
                raise bad(f"{where}.assume", str(exc)) from None
    both = [("key_group_facts", {f: True for f in links.key_group_facts.values()})]
    both += [(f"education_facts.{k}", v) for k, v in links.education_facts.items()]
    employee = [("social_insurance_facts", {f: True for f in links.social_insurance_facts}), ("new_hire_facts", links.new_hire_facts)]
    employee += [(f"contract_facts.{k}", v) for k, v in links.contract_facts.items()]
    checks = [(w, f, True, True) for w, f in both] + [(w, f, False, True) for w, f in employee]
    checks.append(("seeker_facts", links.seeker_facts, True, False))
    for where, facts, person, worker in checks:
        try:
            if person:
                parse_profile({"subject": "person", **facts}, today())
            if worker:
                parse_profile({"subject": "enterprise", "employees": [facts]}, today())
        except ProfileError as exc:
            raise bad(where, f"不是情况表（jiuye schema profile）中的字段或取值：{exc}") from None
    return links


def load_links(root: Path | None = None) -> LinksFile:
    path = (root or data_dir()) / "market" / "policy_links.yaml"
    return _check(_load(path, LinksFile), path)


@functools.lru_cache(maxsize=1)
def links() -> LinksFile:
    return load_links()


# --- the panel (the contract of the pages and the API) ----------------------------------------------
class StandardOut(BaseModel):
    label: str
    value: float | None = Field(description="该日期规则参数的数值；资料没有给出时为 null")
    text: str = Field(description="如「1,500 元」「2/3」「12 个月」，或「资料没有给出该日期的标准」")
    since: dt.date | None = None
    document: str | None = Field(default=None, description="原文出处：资料编号")
    quote: str | None = None


class BenefitOut(BaseModel):
    policy: str
    name: str
    status: Literal["eligible", "needs_information", "window_closed"]
    status_label: str
    amount: float | None = Field(default=None, description="规则算出的金额（元）；算不出时为 null")
    amount_text: str | None = Field(default=None, description="同一金额的中文写法，如「1,500.00 元」")
    unit: str | None = None
    months: int | None = None
    figures: list[dict[str, Any]] = []
    standards: list[StandardOut] = []
    reasons: list[dict[str, str]] = Field(default=[], description="规则给出的理由：state（met/not_met/unknown/info）、text")
    missing: list[str] = Field(default=[], description="还需要确认的情况（中文）")
    link: str = Field(description="政策页")


class PanelOut(BaseModel):
    side: Side
    as_of: dt.date
    benefits: list[BenefitOut] = []
    closed: list[BenefitOut] = Field(default=[], description="期限已过的：只作说明，不是可以享受的政策")
    basis: list[str] = Field(default=[], description="用到了哪些情况")
    notes: list[str] = []
    error: str | None = None


# --- facts --------------------------------------------------------------------------------------------
def seeker_facts(rec: SeekerRecord) -> dict[str, Any]:
    """The person-level facts of a 求职登记 (never the 身份证号)."""
    spec = links()
    facts: dict[str, Any] = dict(spec.education_facts.get(rec.education, {})) if rec.education else {}
    for group, field in spec.key_group_facts.items():
        facts[field] = group in rec.key_groups
    if rec.birth_date is not None:
        facts["birth_date"] = rec.birth_date.isoformat()
    if rec.college_leaving_date is not None:
        facts["college_leaving_date"] = rec.college_leaving_date.isoformat()
    return facts


def hire_facts(post: PostingRecord, hired_on: dt.date) -> dict[str, Any]:
    """What the post and the hire say about the new employee."""
    spec = links()
    facts: dict[str, Any] = dict(spec.new_hire_facts)
    if post.social_insurance is not None:
        facts.update({f: post.social_insurance for f in spec.social_insurance_facts})
    facts.update(spec.contract_facts.get(post.contract_type, {}) if post.contract_type else {})
    facts["hire_date"] = hired_on.isoformat()
    return facts


def _basis(rec: SeekerRecord, post: PostingRecord | None, side: Side, hired_on: dt.date | None) -> list[str]:
    from jiuye.market.postings import CONTRACT_TYPE_LABELS

    groups = "、".join(KEY_GROUP_LABELS[g] for g in rec.key_groups) or "（未勾选）"
    out = [f"求职登记中的重点群体：{groups}（本人填写；未勾选的按不属于判断）"]
    if rec.education:
        out.append(f"学历：{EDUCATION_LABELS[rec.education]}")
    if rec.college_leaving_date:
        out.append(f"离校（毕业）日期：{rec.college_leaving_date.isoformat()}")
    if rec.birth_date:
        out.append("出生日期：已登记" + ("（不向用人单位显示）" if side == "employer" else f" {rec.birth_date.isoformat()}"))
    if post is not None:
        si = {True: "缴纳社会保险", False: "不缴纳社会保险", None: "是否缴纳社会保险未写明"}[post.social_insurance]
        contract = CONTRACT_TYPE_LABELS.get(post.contract_type or "", "用工形式未写明")
        out.append(f"岗位：{si}；{contract}")
    if side == "employer" and hired_on is not None:
        out.append(f"招用日期按 {hired_on.isoformat()} 计")
    return out


# --- screening --------------------------------------------------------------------------------------
def _standard(std: StandardSpec, day: dt.date) -> StandardOut:
    from jiuye.rules import find_parameter
    from jiuye.rules.parameter_meta import units
    from jiuye.screening import default_screener
    from jiuye.screening import cites as cz

    scr = default_screener()

    def at(path: str):
        node = find_parameter(scr.tbs.parameters, path)
        found = next((v for v in node.values_list if v.instant_str <= day.isoformat()), None)
        return (node, None, None) if found is None else (node, found.value, dt.date.fromisoformat(found.instant_str))

    paths = [std.parameter] if std.parameter else list(std.fraction or ())
    got = [at(p) for p in paths]
    cite = cz.parameter_cite(scr.tbs, paths[0], day, scr.spec) if got[0][1] is not None else None
    ref = (cite.document, cite.quote) if cite is not None and cite.document else None
    if any(v is None for _n, v, _s in got):
        return StandardOut(label=std.label, value=None, text="资料没有给出该日期的标准")
    since = max(s for _n, _v, s in got)
    if std.fraction:
        ratio = Fraction(int(got[0][1]), int(got[1][1]))
        text, value = f"{ratio.numerator}/{ratio.denominator}", float(ratio)
    else:
        node, value, _s = got[0]
        unit = (units().get((node.metadata or {}).get("unit")) or {}).get("label", "")
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".") + f" {unit}"
    return StandardOut(label=std.label, value=float(value), text=text, since=since,
                       document=ref[0] if ref else None, quote=ref[1] if ref else None)


def _screen(profile: dict[str, Any], day: dt.date):
    """The screening's results by policy, or the Chinese reason why it could not run."""
    from jiuye.rules.period import AsOfOutOfRange
    from jiuye.screening import ProfileError, default_screener

    try:
        result = default_screener().screen(profile, day)
    except (ProfileError, AsOfOutOfRange) as exc:
        return None, f"无法判断：{exc}"
    return {r.policy: r for r in result.results}, None


def _benefit(r, link: LinkSpec, day: dt.date) -> BenefitOut:
    return BenefitOut(
        policy=r.policy, name=r.name, status=r.status, status_label=STATUS_LABELS[r.status], amount=r.amount,
        amount_text=None if r.amount is None else f"{r.amount:,.2f} {r.unit or '元'}"
        + (f"，{r.months} 个月" if r.months else ""),
        unit=r.unit, months=r.months, figures=[f.model_dump() for f in r.figures],
        standards=[_standard(s, day) for s in link.standards] if r.status != "window_closed" else [],
        reasons=[{"state": x.state, "text": _plain(x.text)} for x in r.reasons],
        missing=list(dict.fromkeys(_plain(m.label).split("；")[0] for m in r.missing)),
        link=f"/policies/{r.policy}")


def _collect(panel: PanelOut, results: dict, chosen: list[LinkSpec], rec: SeekerRecord, day: dt.date) -> None:
    for link in chosen:
        r = results[link.policy]
        concerned = not link.groups or bool(set(link.groups) & set(rec.key_groups))
        if r.status == "eligible" or (r.status == "needs_information" and concerned):
            panel.benefits.append(_benefit(r, link, day))
        elif r.status == "window_closed" and concerned:
            panel.closed.append(_benefit(r, link, day))
    panel.benefits.sort(key=lambda b: b.status != "eligible")


def _notes(rec: SeekerRecord) -> list[str]:
    out = ["按规则对这一天的判断；是否享受以经办机构审核为准。"]
    if "hard_to_employ" in rec.key_groups:
        out.append("「就业困难人员」是求职者在求职登记中填写的，享受相关补贴须经就业服务机构认定。")
    return out


def for_employer(rec: SeekerRecord, post: PostingRecord, *, district: str | None, hired_on: dt.date | None = None,
                 enterprise: dict[str, Any] | None = None, as_of: dt.date | None = None) -> PanelOut:
    """What hiring the seeker `rec` into `post` could bring the employer on `as_of` (default today):
    the seeker as the enterprise's new employee, hired on `hired_on` (default the same day).
    `enterprise`: what is known of the employer (profile fields, e.g. enterprise_category)."""
    day = as_of or today()
    hired = hired_on or day
    panel = PanelOut(side="employer", as_of=day, basis=_basis(rec, post, "employer", hired), notes=_notes(rec))
    if post.agency_name:
        panel.notes.append("本岗位由人力资源服务机构代招：招用补贴由实际用人单位申请。")
    employee = {**seeker_facts(rec), **hire_facts(post, hired)}
    profile = {"subject": "enterprise", **(enterprise or {}), "employees": [employee]}
    if district:
        profile["district"] = district
    results, panel.error = _screen(profile, day)
    if results is not None:
        _collect(panel, results, list(links().employer), rec, day)
    return panel


def for_seeker(rec: SeekerRecord, post: PostingRecord | None, *, district: str | None, only_post: bool = False,
               as_of: dt.date | None = None) -> PanelOut:
    """The benefits tied to seeking and taking a job for the seeker `rec` on `as_of` (default today):
    those for every seeker, and those of posts like `post` (its 用工形式). `only_post`: just the latter
    (a list of matches shows the former once)."""
    day = as_of or today()
    panel = PanelOut(side="seeker", as_of=day, basis=_basis(rec, post, "seeker", None), notes=_notes(rec))
    chosen = []
    for link in links().seeker:
        if link.contract_types is None:
            if not only_post:
                chosen.append(link)
        elif post is not None and post.contract_type in link.contract_types:
            chosen.append(link)
    base = {"subject": "person", **seeker_facts(rec), **links().seeker_facts}
    if district:
        base["district"] = district
    by_assumption: dict[tuple, list[LinkSpec]] = {}
    for link in chosen:  # one screening per distinct assumption (usually one or two)
        by_assumption.setdefault(tuple(sorted(link.assume.items())), []).append(link)
    for assumed, group in by_assumption.items():
        results, error = _screen({**base, **dict(assumed)}, day)
        if results is None:
            panel.error = error
            continue
        _collect(panel, results, group, rec, day)
    return panel


# --- for the pages and the API: who may see which side --------------------------------------------
def employer_district(p) -> str | None:
    """The employer's 旗县市; for an agency's post, the post's (the client employer is not registered)."""
    return p.district if p.employer.kind == "agency" else p.employer.district


def for_pair(sk, p, kind: str, *, hired_on: dt.date | None = None, enterprise: dict | None = None) -> dict[str, PanelOut]:
    from jiuye.market import postings, seekers

    rec, post = seekers.record_of(sk), postings.record_of(p)
    out: dict[str, PanelOut] = {}
    if kind in ("employer", "staff", "admin"):
        out["employer"] = for_employer(rec, post, district=employer_district(p), hired_on=hired_on, enterprise=enterprise)
    if kind in ("seeker", "staff", "admin"):
        out["seeker"] = for_seeker(rec, post, district=sk.district)
    return out


def for_application(a, kind: str, enterprise: dict | None = None) -> dict[str, PanelOut]:
    """The panels of a loaded application for an actor of `kind`; a recorded 录用 counts from its day."""
    from jiuye.market.common import beijing_date

    hired_on = min(beijing_date(a.decided_at), today()) if a.state == "hired" and a.decided_at is not None else None
    return for_pair(a.seeker, a.posting, kind, hired_on=hired_on, enterprise=enterprise)


def application_panels(s, user, application_id: int, enterprise: dict | None = None) -> dict[str, PanelOut]:
    """The panels of an application the caller may see: the employer's side for the employer, the
    seeker's for the seeker, both for staff."""
    from jiuye.market import applications
    from jiuye.market.common import market_actor

    a = applications.load(s, user, application_id)
    return for_application(a, market_actor(s, user).kind, enterprise)


def pair_panels(s, user, posting_id: int, seeker_id: int | None = None,
                enterprise: dict | None = None) -> dict[str, PanelOut]:
    """A post and a seeker: a seeker about their own registration and any public post; an employer
    about its own post and a seeker who applied to it or consented to be seen; staff about a post
    they may see and a seeker of their district."""
    from jiuye.market import postings, seekers
    from jiuye.market.common import Forbidden, Invalid, NotFound, market_actor

    actor = market_actor(s, user)
    if actor.kind == "seeker":
        if seeker_id is None:
            sk = seekers.current(s, user)
            if sk is None:
                raise NotFound("您还没有求职登记：登记后可以看到与岗位相关的政策")
        else:
            sk = seekers.load(s, user, seeker_id)
        p = postings.load(s, user, posting_id)
    elif actor.kind in ("employer", "staff", "admin"):
        if seeker_id is None:
            raise Invalid("请指明求职登记（seeker_id）", field="seeker_id")
        p = postings.load(s, user, posting_id, "applicants" if actor.kind == "employer" else "view")
        sk = seekers.load(s, user, seeker_id)
    else:
        raise Forbidden("请登录后查看")
    return for_pair(sk, p, actor.kind, enterprise=enterprise)

"""data/welfare_posts/settings.yaml, validated on load (pydantic): post types (003 (一)), who publishes
(推定), the eligibility quotes and the groups a person declares, the subsidy texts, the term and its
exceptions (000 二 4), and the limits of a post's fields. No amounts: those come from the rules."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from jiuye.config import data_dir
from jiuye.knowledge.quote import QuotedSource


Source = QuotedSource  # a sentence of 000 / 003 (jiuye.knowledge.quote)


class PostType(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    examples: str
    source: Source


class Publishing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roles: list[str]
    source: Source
    assumption: str

    @field_validator("roles")
    @classmethod
    def _roles(cls, v):
        bad = set(v) - {"county_center", "hrss", "league_center"}
        if bad or not v:
            raise ValueError(f"publishing.roles 只能是 county_center、hrss、league_center，实际有 {sorted(bad)}")
        return v


class Eligibility(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[Source] = Field(min_length=1)
    groups: dict[str, str]
    second_term_offline: str
    required: str
    not_certified_hint: str

    @field_validator("groups")
    @classmethod
    def _groups(cls, v):
        from jiuye.screening.profile import PERSON_FIELDS

        bad = [k for k in v if k not in PERSON_FIELDS]
        if bad:
            raise ValueError(f"eligibility.groups 中 {bad} 不是筛查情况表的字段")
        return v


class Signup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: Source
    assumption: str


class Wage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    sources: list[Source] = Field(min_length=1)
    not_given: str


class SocialInsurance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    source: Source
    not_given: str


class Subsidy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    wage: Wage
    social_insurance: SocialInsurance
    monthly_assumption: str


class Exception_(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    source: Source
    max_terms: int | None = Field(None, ge=1, le=5)
    assumption: str | None = None


class Training(BaseModel):
    model_config = ConfigDict(extra="forbid")
    months: int = Field(ge=1, le=24)
    source: Source


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_months_parameter: str
    near_retirement_parameter: str
    source: Source
    exceptions: dict[str, Exception_]
    unknown_retirement: str
    training_before_end: Training
    place_freed_assumption: str

    @field_validator("exceptions")
    @classmethod
    def _exceptions(cls, v):
        if set(v) != {"near_retirement", "second_term"}:
            raise ValueError("term.exceptions 应为 near_retirement、second_term")
        if v["second_term"].max_terms is None:
            raise ValueError("term.exceptions.second_term 须有 max_terms")
        return v


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_places: int = Field(ge=1, le=10000)
    max_period_days: int = Field(ge=1, le=3700)
    title_chars: int = Field(ge=4, le=200)
    unit_chars: int = Field(ge=4, le=200)
    place_chars: int = Field(ge=4, le=200)
    duties_chars: int = Field(ge=10, le=2000)
    contact_chars: int = Field(ge=10, le=200)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy: str
    procedure: str
    definition: Source
    post_types: dict[str, PostType] = Field(min_length=1)
    publishing: Publishing
    eligibility: Eligibility
    signup: Signup
    subsidy: Subsidy
    term: Term
    limits: Limits

    @field_validator("policy")
    @classmethod
    def _policy(cls, v):
        if v != "public_welfare_post":
            raise ValueError("policy 应为 public_welfare_post（spec/policies.md 中的编号）")
        return v


def settings_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / "welfare_posts" / "settings.yaml"


def load(root: Path | None = None) -> Settings:
    path = settings_path(root)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        cfg = Settings.model_validate(raw)
    except Exception as exc:  # a clear message naming the file, no trace
        raise ValueError(f"{path.name} 有误：{exc}") from None
    if cfg.eligibility.required not in cfg.eligibility.groups:
        raise ValueError(f"{path.name} 有误：eligibility.required「{cfg.eligibility.required}」不在 groups 中")
    return cfg


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    return load()

"""data/training/settings.yaml, validated on load (pydantic): provider kinds and approvals, levels,
A/B/C, course kinds (SYB/IYB/网络创业 days and hours from 003), the 3-day 开班 rule with its source and
caveat, who the subsidy is paid to, the sign-in code, the anomaly thresholds (推定), the voucher."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from jiuye.config import data_dir
from jiuye.knowledge.quote import QuotedSource


Source = QuotedSource  # a sentence of 000 / 003 (jiuye.knowledge.quote)


class Labelled(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str


class CourseKind(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    policy: str
    days: int | None = Field(None, ge=1, le=60)
    min_hours: int | None = Field(None, ge=1, le=1000)
    source: Source | None = None


class OpenClass(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days_before_start: int = Field(ge=0, le=30)
    source: Source
    caveat: str


class Payee(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str
    sources: list[Source]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code_minutes: int = Field(ge=1, le=240)
    code_digits: int = Field(ge=4, le=8)
    min_attendance_share: float = Field(ge=0, le=1)
    source: Source


class Anomalies(BaseModel):
    model_config = ConfigDict(extra="forbid")
    burst_seconds: int = Field(ge=1, le=3600)
    burst_min_signins: int = Field(ge=2, le=1000)
    pass_rate_excess: float = Field(gt=0, le=1)
    pass_rate_min_learners: int = Field(ge=1, le=1000)
    note: str


class VoucherSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str
    valid_days: int = Field(ge=1, le=1000)
    kinds: dict[str, str]
    source_problem: str
    sources: list[Source]


class Shortage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    codes: list[str]
    note: str
    source: Source


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_kinds: dict[str, Labelled]
    provider_kinds_source: Source
    approvals: dict[str, Labelled]
    approvals_source: list[Source]
    approvals_note: str
    levels: dict[str, str]
    categories: dict[str, Labelled]
    categories_source: Source
    categories_note: str
    course_kinds: dict[str, CourseKind]
    open_class: OpenClass
    payee: Payee
    sign_in: SignIn
    anomalies: Anomalies
    voucher: VoucherSettings
    wish_kinds: dict[str, str]
    wish_source: Source
    employed_within_months: int = Field(ge=1, le=36)
    shortage_occupations: Shortage

    @field_validator("categories")
    @classmethod
    def _abc(cls, v):
        if set(v) != {"a", "b", "c", "none"}:
            raise ValueError("categories 应为 a、b、c、none")
        return v

    @field_validator("voucher")
    @classmethod
    def _kinds(cls, v):
        if set(v.kinds) != {"subsidised", "sign_in_only"}:
            raise ValueError("voucher.kinds 应为 subsidised、sign_in_only")
        return v


def settings_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / "training" / "settings.yaml"


def load(root: Path | None = None) -> Settings:
    path = settings_path(root)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Settings.model_validate(raw)
    except Exception as exc:  # a clear message naming the file, no trace
        raise ValueError(f"{path.name} 有误：{exc}") from None


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    return load()


def startup_kinds() -> tuple[str, ...]:
    return tuple(k for k, v in settings().course_kinds.items() if v.policy == "entrepreneurship_training")

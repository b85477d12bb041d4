"""The labour market's data files, validated on load: `data/market/settings.yaml` (registration
period, post validity, SMS limits, message kinds) and `data/market/review_rules.yaml` (what the
review flags, and the law each flag quotes). A bad file stops with a Chinese message naming the
file, the entry and the field."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jiuye.config import data_dir
from jiuye.knowledge.loader import DataError, parse_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegistrationSettings(_Strict):
    valid_days: int = Field(ge=1, le=3650)
    remind_days_before: int = Field(ge=0, le=365)
    source: str = Field(min_length=1)


class PostingSettings(_Strict):
    max_valid_days: int = Field(ge=1, le=3650)
    default_valid_days: int = Field(ge=1, le=3650)
    source: str = Field(min_length=1)


class NotifySettings(_Strict):
    sms_daily_limit_per_number: int = Field(ge=0, le=1000)
    source: str = Field(min_length=1)
    kinds: dict[str, str]


class Settings(_Strict):
    registration: RegistrationSettings
    posting: PostingSettings
    notify: NotifySettings


class Law(_Strict):
    document: str = Field(min_length=1)
    article: str = Field(min_length=1)
    text: str = Field(min_length=1)
    source: str = Field(min_length=1)
    checked: str = Field(min_length=1)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: str = Field(min_length=1)
    kind: Literal["pattern", "minimum_wage", "social_insurance"]
    fields: list[Literal["title", "duties", "requirements", "benefits", "working_hours"]] = []
    patterns: list[str] = []
    negatable: bool = True  # false: a negation before the match is no excuse ("无宗教信仰" is a condition too)
    laws: list[str] = Field(min_length=1)
    hint: str = Field(min_length=1)

    @model_validator(mode="after")
    def _patterns(self):
        if self.kind == "pattern" and (not self.patterns or not self.fields):
            raise ValueError("文字检查（kind: pattern）须有 patterns 和 fields")
        for p in self.patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"正则表达式「{p}」无效：{exc}") from None
        return self


class ReviewRules(_Strict):
    laws: dict[str, Law]
    negation_window: int = Field(ge=0, le=20)
    negations: list[str]
    cleared_by: list[str]
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _laws_exist(self):
        for r in self.rules:
            missing = [k for k in r.laws if k not in self.laws]
            if missing:
                raise ValueError(f"检查「{r.id}」引用的法条不存在：{'、'.join(missing)}")
        return self


def _problems(exc: ValidationError) -> str:
    return "；".join(f"字段「{'.'.join(str(p) for p in e['loc']) or '（整体）'}」：{e['msg']}" for e in exc.errors())


def _load(path: Path, model: type[BaseModel]):
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"数据文件 {path} 不存在") from None
    except Exception as exc:  # noqa: BLE001 - a YAML syntax error, reported with the file
        raise DataError(f"数据文件 {path} 不是有效的 YAML：{exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(f"数据文件 {path} 有误：{_problems(exc)}") from None


def load_settings(root: Path | None = None) -> Settings:
    return _load((root or data_dir()) / "market" / "settings.yaml", Settings)


def load_review_rules(root: Path | None = None) -> ReviewRules:
    return _load((root or data_dir()) / "market" / "review_rules.yaml", ReviewRules)


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


@functools.lru_cache(maxsize=1)
def review_rules() -> ReviewRules:
    return load_review_rules()


def kind_label(kind: str) -> str:
    return settings().notify.kinds.get(kind, "消息")

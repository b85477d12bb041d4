"""The data of 创业服务, validated on load: data/startup/startup.yaml (the project library's modes,
sectors and advantages with their sources; the incubation period, materials and review rules) and
the catalogue of bases, data/incubation_bases.yaml (name, district, type, phone, the quote). A bad file
stops with a Chinese message naming the file and the field."""
from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jiuye.config import data_dir
from jiuye.knowledge.loader import DataError, parse_yaml, validation_problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Source(_Strict):
    document: str = Field(min_length=1)
    section: str = ""
    quote: str = Field(min_length=1)


class Advantage(_Strict):
    key: str
    text: str = Field(min_length=1)
    policy: str | None = None


class Material(_Strict):
    key: str
    label: str = Field(min_length=1)
    required: bool


class Review(_Strict):
    min_reviewers: int = Field(ge=2, le=9)
    score_min: int
    score_max: int
    pass_mark: int
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _range(self):
        if not self.score_min <= self.pass_mark <= self.score_max:
            raise ValueError("合格线（pass_mark）须在分值范围内")
        return self


class Incubation(_Strict):
    period_years: int = Field(ge=1, le=10)
    period_source: list[Source] = Field(min_length=1)
    target_groups: Source
    where_to_apply: Source
    materials: list[Material] = Field(min_length=1)
    materials_source: str = Field(min_length=1)
    review: Review


class FollowUp(_Strict):
    days: int = Field(ge=1, le=60)
    source: str = Field(min_length=1)


class Library(_Strict):
    name: str
    source: Source
    how_to_join: Source
    source_error: dict


class Base_(_Strict):
    id: str
    name: str
    district: str
    category: str
    phone: str
    level: str | None = None
    document: str
    quote: str = Field(min_length=1)
    note: str | None = None


class StartupSettings(_Strict):
    library: Library
    modes: dict[str, str] = Field(min_length=1)
    modes_source: Source
    sectors: dict[str, str] = Field(min_length=1)
    sectors_source: Source
    advantages: list[Advantage] = Field(min_length=1)
    advantages_sources: list[dict] = Field(min_length=1)
    interest_follow_up: FollowUp
    incubation: Incubation
    bases: list[Base_] = Field(min_length=1)
    levels: dict = Field(default_factory=dict)  # 认定等级 as each document lists them, and the note on the mismatch

    def base(self, key: str) -> Base_ | None:
        return next((b for b in self.bases if b.id == key), None)


def _read(path: Path):
    try:
        return parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError) as exc:
        raise DataError(f"{path.name}：无法读取（{type(exc).__name__}）") from None


@functools.lru_cache(maxsize=4)
def _load(root: str) -> StartupSettings:
    base = Path(root)
    raw = dict(_read(base / "startup" / "startup.yaml"))
    catalogue = _read(base / "incubation_bases.yaml")
    raw["bases"] = catalogue.get("bases") or []
    raw["levels"] = catalogue.get("levels") or {}
    try:
        return StartupSettings.model_validate(raw)
    except ValidationError as exc:
        raise DataError(f"data/startup/startup.yaml 或 incubation_bases.yaml 有误：{validation_problems(exc)}") from None


def startup() -> StartupSettings:
    return _load(str(data_dir()))

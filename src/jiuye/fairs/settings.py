"""data/fairs/fairs.yaml, validated on load (a bad file stops with a Chinese message naming the file and
the field): the weekly on-site fair (place, day, hours, posts, booths), the employer's materials, the
intention follow-up clock, the online platforms and the 「上什么班」 live-stream schedule, each with its
source (document, section, quote) or marked 推定（资料未写明）."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiuye.config import data_dir
from jiuye.platforms.settings import Source, _load, cite  # noqa: F401  (one loader, one citation format)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _hours(start: dt.time, end: dt.time) -> None:
    if end <= start:
        raise ValueError("结束时间（end）须晚于开始时间（start）")


class Hotline(_Strict):
    phones: list[str] = Field(min_length=1)
    source: Source


class Weekly(_Strict):
    name: str = Field(min_length=1)
    place: str = Field(min_length=1)
    weekday: int = Field(ge=1, le=7)
    start: dt.time
    end: dt.time
    posts_min: int = Field(ge=0)
    posts_max: int = Field(ge=0)
    sources: list[Source] = Field(min_length=1)
    booths: int = Field(ge=1, le=1000)
    booths_source: str = Field(min_length=1)
    weeks_ahead: int = Field(ge=1, le=52)
    weeks_ahead_source: str = Field(min_length=1)
    hotline: Hotline

    @model_validator(mode="after")
    def _check(self):
        _hours(self.start, self.end)
        if self.posts_max < self.posts_min:
            raise ValueError("posts_max 须不小于 posts_min")
        return self


class Material(_Strict):
    code: str = Field(pattern=r"^[a-z_]{2,20}$")
    name: str = Field(min_length=1)


class IntentionFollowUp(_Strict):
    hours: int = Field(ge=1, le=24 * 14)
    starts: str = Field(pattern=r"^next_day_\d{4}$")
    source: str = Field(min_length=1)

    def opens(self, fair_day: dt.date) -> dt.time:
        hhmm = self.starts.rsplit("_", 1)[1]
        return dt.time(int(hhmm[:2]), int(hhmm[2:]))


class Platform(_Strict):
    code: str = Field(pattern=r"^[a-z_]{2,20}$")
    name: str = Field(min_length=1)


class Livestream(_Strict):
    name: str = Field(min_length=1)
    weekday: int = Field(ge=1, le=7)
    start: dt.time
    end: dt.time
    platforms: list[str] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    note: str = ""
    weeks_ahead: int = Field(ge=1, le=52)

    @model_validator(mode="after")
    def _check(self):
        _hours(self.start, self.end)
        return self


class FairSettings(_Strict):
    weekly: Weekly
    employer_materials: list[Material] = Field(min_length=1)
    employer_materials_source: Source
    seeker_bring: str
    seeker_bring_source: Source
    intention_follow_up: IntentionFollowUp
    hire_check_days: int = Field(ge=1, le=365)
    hire_check_source: str = Field(min_length=1)
    online_platforms: list[Platform] = Field(min_length=1)
    online_platforms_source: Source
    livestream: Livestream

    @model_validator(mode="after")
    def _unique(self):
        for what, items in (("employer_materials", self.employer_materials), ("online_platforms", self.online_platforms)):
            codes = [i.code for i in items]
            if len(set(codes)) != len(codes):
                raise ValueError(f"{what} 的 code 有重复")
        return self

    def material_name(self, code: str) -> str:
        return next((m.name for m in self.employer_materials if m.code == code), code)

    def platform_name(self, code: str | None) -> str:
        return next((p.name for p in self.online_platforms if p.code == code), "")


def load_fairs(root: Path | None = None) -> FairSettings:
    return _load((root or data_dir()) / "fairs" / "fairs.yaml", FairSettings)


@functools.lru_cache(maxsize=1)
def fairs() -> FairSettings:
    return load_fairs()

"""The data files of 打工直通车, validated on load: `data/platforms/dagong.yaml` (the follow-up clock and
its source, working hours, the 30-day visit, contact results, close reasons) and
`data/platforms/stations.yaml` (the station registry's seed). A bad file stops with a Chinese message
naming the file, the entry and the field."""
from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jiuye.config import data_dir
from jiuye.knowledge.loader import DataError, parse_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    document: str = Field(min_length=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class WorkingHours(_Strict):
    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _order(self):
        if self.end <= self.start:
            raise ValueError("下班时间（end）须晚于上班时间（start）")
        return self


class FollowUp(_Strict):
    hours: int = Field(ge=1, le=24 * 14)
    sources: list[Source] = Field(min_length=1)
    note: str = ""
    working_hours: WorkingHours | None = None
    working_hours_source: str = Field(min_length=1)
    escalate_source: str = Field(min_length=1)


class RetentionVisit(_Strict):
    days: int = Field(ge=1, le=365)
    source: str = Field(min_length=1)


class ContactResult(_Strict):
    label: str = Field(min_length=1)
    reached: bool


class DagongSettings(_Strict):
    follow_up: FollowUp
    retention_visit: RetentionVisit
    contact_results: dict[str, ContactResult] = Field(min_length=1)
    contact_channels: dict[str, str] = Field(min_length=1)
    close_reasons: dict[str, str] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_reached(self):
        if not any(r.reached for r in self.contact_results.values()):
            raise ValueError("contact_results 中至少要有一项 reached: true（联系上了）")
        return self


class StationEntry(_Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{2,40}$")
    name: str = Field(min_length=1, max_length=100)
    district: str = Field(min_length=1, max_length=20)
    town: str | None = Field(default=None, max_length=50)
    village: str | None = Field(default=None, max_length=50)
    master: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    terminal: str | None = Field(default=None, max_length=100)
    demo: bool = False
    sources: list[Source] = []
    note: str | None = None

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v):
        if v is None:
            return v
        p = re.sub(r"[\s-]", "", str(v))
        if not re.fullmatch(r"1[3-9]\d{9}|0\d{9,11}", p):
            raise ValueError(f"电话「{v}」应为11位手机号或带区号的固定电话")
        return p

    @model_validator(mode="after")
    def _sourced_or_demo(self):
        if self.demo:
            if "（演示）" not in self.name:
                raise ValueError("演示工作站（demo: true）的名称须标明「（演示）」")
            if self.sources:
                raise ValueError("演示工作站不能写 sources：它们是虚构的")
        elif not self.sources:
            raise ValueError("真实工作站须有 sources（文件、章节、原文），否则标 demo: true")
        return self


class Declared(_Strict):
    count: int = Field(ge=0)
    sources: list[Source] = Field(min_length=1)
    note: str = ""


class StationsFile(_Strict):
    declared: Declared
    stations: list[StationEntry]

    @model_validator(mode="after")
    def _unique(self):
        seen: set[str] = set()
        for i, st in enumerate(self.stations):
            if st.code in seen:
                raise ValueError(f"第 {i + 1} 个工作站的编号「{st.code}」重复")
            seen.add(st.code)
        return self


def _problems(exc: ValidationError, raw) -> str:
    out = []
    for e in exc.errors():
        loc = list(e["loc"])
        where = ".".join(str(p) for p in loc) or "（整体）"
        if len(loc) >= 2 and loc[0] == "stations" and isinstance(loc[1], int):  # name the entry by its code
            entries = raw.get("stations") if isinstance(raw, dict) else None
            code = entries[loc[1]].get("code") if isinstance(entries, list) and isinstance(entries[loc[1]], dict) else None
            where = f"第 {loc[1] + 1} 个工作站（{code or '无编号'}）" + (
                f"的字段「{'.'.join(str(p) for p in loc[2:])}」" if loc[2:] else "")
        msg = re.sub(r"^(Value error|Assertion failed), ", "", e["msg"])
        out.append(f"{where}：{msg}")
    return "；".join(out)


def _load(path: Path, model: type[BaseModel]):
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"数据文件 {path.name} 不存在（{path.parent.name}/）") from None
    except Exception as exc:  # noqa: BLE001 - a YAML syntax error, reported with the file
        raise DataError(f"数据文件 {path.parent.name}/{path.name} 不是有效的 YAML：{exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(f"数据文件 {path.parent.name}/{path.name} 有误：{_problems(exc, raw)}") from None


def load_dagong(root: Path | None = None) -> DagongSettings:
    return _load((root or data_dir()) / "platforms" / "dagong.yaml", DagongSettings)


def load_stations(root: Path | None = None) -> StationsFile:
    return _load((root or data_dir()) / "platforms" / "stations.yaml", StationsFile)


@functools.lru_cache(maxsize=1)
def dagong() -> DagongSettings:
    return load_dagong()


@functools.lru_cache(maxsize=1)
def stations_file() -> StationsFile:
    return load_stations()


def result_label(code: str | None) -> str:
    r = dagong().contact_results.get(code or "")
    return r.label if r else ""


def cite(src: Source) -> str:
    """《title》（date）section：「quote」 — a source as people read it (no internal document code)."""
    from jiuye.knowledge.models import DOCUMENTS

    doc = DOCUMENTS.get(src.document)
    title = f"《{doc['title']}》（{doc['date']}）" if doc else src.document
    return f"{title}{src.section}：「{src.quote}」"


def follow_up_basis() -> str:
    """Where the 24 hours come from, in one sentence with the quote (for pages and the CLI)."""
    f = dagong().follow_up
    mode = ("按自然小时计（夜间、周末也计入；资料没有说按工作时间计）" if f.working_hours is None else
            f"只在工作日 {f.working_hours.start:%H:%M}–{f.working_hours.end:%H:%M} 计时（中心的设置）")
    return f"{f.hours} 小时，依据{cite(f.sources[0])}；{mode}。"

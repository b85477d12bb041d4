"""The dates the rules can answer for: from the earliest dated parameter value to a few years past
today (or past the last dated value, if that is later). One place, used by the API, the pages,
the CLI and the case service to refuse an `as_of` outside it (422 / exit code 2) instead of
computing with parameters that do not exist then.

The lower end is read from the parameter files (data/parameters, or $JIUYE_DATA_DIR/parameters):
the earliest dated value, or `metadata.supported_from` of parameters/index.yaml if later;
the upper end is 31 December of (max(today, last dated value) + $JIUYE_AS_OF_YEARS_AHEAD years,
default 3).
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml

from jiuye.config import as_of_years_ahead, data_dir, today


class AsOfOutOfRange(ValueError):
    """An as_of outside `supported_range()`; the message (Chinese) names the range."""

    def __init__(self, day: dt.date, low: dt.date, high: dt.date, field: str = "as_of"):
        self.day, self.low, self.high, self.field = day, low, high, field
        super().__init__(f"日期 {day.isoformat()} 超出规则和参数覆盖的范围：可选 {low.isoformat()} 至 {high.isoformat()}")


def _dates(node, out: set[dt.date]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, dt.date):
                out.add(k)
            _dates(v, out)
    elif isinstance(node, list):
        for v in node:
            _dates(v, out)


@functools.lru_cache(maxsize=4)
def _parameter_dates(folder: str) -> tuple[dt.date, dt.date]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: set[dt.date] = set()
    for path in sorted(Path(folder).rglob("*.yaml")):
        _dates(yaml.load(path.read_text(encoding="utf-8"), Loader=loader), found)
    if not found:
        raise RuntimeError(f"参数目录 {Path(folder).name} 中没有带日期的参数值")
    return min(found), max(found)


def parameter_dates() -> tuple[dt.date, dt.date]:
    """(earliest, latest) date at which a parameter value starts."""
    return _parameter_dates(str(data_dir() / "parameters"))


@functools.lru_cache(maxsize=4)
def _declared_start(folder: str) -> dt.date | None:
    index = Path(folder) / "index.yaml"
    if not index.exists():
        return None
    meta = (yaml.safe_load(index.read_text(encoding="utf-8")) or {}).get("metadata") or {}
    value = meta.get("supported_from")
    return value if isinstance(value, dt.date) else None


def supported_range() -> tuple[dt.date, dt.date]:
    """(first, last) day an as_of may be. The first is the earliest dated parameter value, or
    `metadata.supported_from` of parameters/index.yaml when that is later (the rules need every
    policy parameter: before it, a screening has no minimum working age to compute with)."""
    first, last_value = parameter_dates()
    declared = _declared_start(str(data_dir() / "parameters"))
    if declared is not None and declared > first:
        first = declared
    year = max(today(), last_value).year + as_of_years_ahead()
    return first, dt.date(min(year, dt.MAXYEAR), 12, 31)


def check_as_of(day: dt.date, field: str = "as_of") -> dt.date:
    """`day` itself, or AsOfOutOfRange naming the supported range."""
    low, high = supported_range()
    if not low <= day <= high:
        raise AsOfOutOfRange(day, low, high, field)
    return day


def range_text() -> str:
    low, high = supported_range()
    return f"{low.isoformat()} 至 {high.isoformat()}"

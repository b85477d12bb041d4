"""Working days (工作日): statutory holidays and make-up workdays (调休上班).

Sources, in order:
1. data/holidays/*.yaml: years that staff enter from the State Council's notice (国务院办公厅关于 YYYY 年
   部分节假日安排的通知); a year listed there replaces what the library knows about it.
2. the `chinesecalendar` package (years 2004–2026 in version 1.11.0).
3. any other year: weekends only. Every deadline whose count touches such a year says so
   (`approximate=True` and a Chinese note): it is never silently wrong, and it never crashes.

Counting follows 民法典第二百零一条: the day the period starts is not counted; the period ends on
the last of the N working days after it. A period counted in months ends on the corresponding day of
the last month, or on that month's last day if it has none (第二百零二条). A period counted in
calendar days or months that ends on a non-working day runs to the next working day (第二百零三条).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from jiuye.config import data_dir

ONE = dt.timedelta(days=1)


class HolidayDataError(ValueError):
    """A holiday data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class YearData:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    days: int
    day_type: str  # "working" | "calendar" | "month"
    approximate: bool = False
    unknown_years: tuple[int, ...] = ()
    note: str | None = None

    def as_dict(self) -> dict:
        return {"due": self.due.isoformat(), "days": self.days, "day_type": self.day_type,
                "approximate": self.approximate, "note": self.note}


def _as_date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise HolidayDataError(f"{where}: 「{value}」不是日期（YYYY-MM-DD）") from None


def load_holiday_files(folder: Path) -> dict[int, YearData]:
    """Read data/holidays/*.yaml: {years: {2027: {source, holidays: [{name, from, to} | date], workdays: [date]}}}."""
    years: dict[int, YearData] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise HolidayDataError(f"{path}: 不是有效的 YAML：{exc}") from None
        for year, entry in (doc.get("years") or {}).items():
            where = f"{path}: {year}"
            if not isinstance(year, int) or not isinstance(entry, dict) or not entry.get("source"):
                raise HolidayDataError(f"{where}: 每一年须写明 source（国务院办公厅通知）、holidays、workdays")
            holidays: set[dt.date] = set()
            for item in entry.get("holidays") or []:
                if isinstance(item, dict):
                    start = _as_date(item.get("from"), where)
                    end = _as_date(item.get("to", item.get("from")), where)
                    if end < start:
                        raise HolidayDataError(f"{where}: 「{item.get('name', '')}」的 to 早于 from")
                    d = start
                    while d <= end:
                        holidays.add(d)
                        d += ONE
                else:
                    holidays.add(_as_date(item, where))
            workdays = {_as_date(x, where) for x in entry.get("workdays") or []}
            for d in holidays | workdays:
                if d.year != year:
                    raise HolidayDataError(f"{where}: 日期 {d} 不在 {year} 年")
            if holidays & workdays:
                raise HolidayDataError(f"{where}: {sorted(holidays & workdays)} 既是放假日又是调休上班日")
            years[year] = YearData(frozenset(holidays), frozenset(workdays), str(entry["source"]))
    return years


class WorkCalendar:
    def __init__(self, holidays_dir: Path | None = None):
        self.holidays_dir = holidays_dir if holidays_dir is not None else data_dir() / "holidays"
        self.files = load_holiday_files(self.holidays_dir)
        self._known: dict[int, bool] = {}

    def knows(self, year: int) -> bool:
        """Are this year's holidays known (a data file or the library)?"""
        if year in self.files:
            return True
        if year not in self._known:
            import chinese_calendar

            try:
                chinese_calendar.is_workday(dt.date(year, 6, 1))
                self._known[year] = True
            except NotImplementedError:
                self._known[year] = False
        return self._known[year]

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is it a working day, is that known) — unknown years: Monday–Friday, known=False."""
        data = self.files.get(day.year)
        if data is not None:
            if day in data.workdays:
                return True, True
            if day in data.holidays:
                return False, True
            return day.weekday() < 5, True
        if self.knows(day.year):
            import chinese_calendar

            return chinese_calendar.is_workday(day), True
        return day.weekday() < 5, False

    def _note(self, unknown: set[int]) -> str | None:
        if not unknown:
            return None
        ys = "、".join(f"{y} 年" for y in sorted(unknown))
        return (f"{ys}的法定节假日和调休安排尚未录入（国务院通知公布后补充 data/holidays/），"
                f"本期限只扣除了周末，未计节假日，可能不准确")

    def add_working_days(self, start: dt.date, days: int) -> Deadline:
        """The N-th working day after `start` (start itself not counted)."""
        unknown: set[int] = set()
        d, left = start, days
        while left > 0:
            d += ONE
            ok, known = self.is_workday(d)
            if not known:
                unknown.add(d.year)
            if ok:
                left -= 1
        return Deadline(d, days, "working", bool(unknown), tuple(sorted(unknown)), self._note(unknown))

    def add_calendar_days(self, start: dt.date, days: int) -> Deadline:
        """start + N days; if that is not a working day, the next working day."""
        unknown: set[int] = set()
        d = start + dt.timedelta(days=days)
        while True:
            ok, known = self.is_workday(d)
            if not known:
                unknown.add(d.year)
            if ok:
                break
            d += ONE
        return Deadline(d, days, "calendar", bool(unknown), tuple(sorted(unknown)), self._note(unknown))

    def add_calendar_months(self, start: dt.date, months: int) -> Deadline:
        """The corresponding day `months` months after `start` (the month's last day if it has none);
        if that is not a working day, the next working day."""
        import calendar

        y, m = divmod(start.month - 1 + months, 12)
        year, month = start.year + y, m + 1
        d = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
        unknown: set[int] = set()
        while True:
            ok, known = self.is_workday(d)
            if not known:
                unknown.add(d.year)
            if ok:
                break
            d += ONE
        return Deadline(d, months, "month", bool(unknown), tuple(sorted(unknown)), self._note(unknown))

    def deadline(self, start: dt.date, days: int, day_type: str) -> Deadline:
        if day_type == "working":
            return self.add_working_days(start, days)
        if day_type == "calendar":
            return self.add_calendar_days(start, days)
        if day_type == "month":
            return self.add_calendar_months(start, days)
        raise ValueError(f"未知的期限类型「{day_type}」（working、calendar 或 month）")


@functools.lru_cache(maxsize=4)
def _calendar_for(folder: str, stamp: tuple) -> WorkCalendar:
    return WorkCalendar(Path(folder))


def default_calendar() -> WorkCalendar:
    """The calendar of the configured data directory (re-read when a holiday file changes)."""
    folder = data_dir() / "holidays"
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml"))) if folder.is_dir() else ()
    return _calendar_for(str(folder), stamp)

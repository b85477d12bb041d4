"""Time for 打工直通车: the current moment (pinned by $JIUYE_NOW, an ISO time, for tests and
reproducible reports; a time without a zone is Beijing time) and the follow-up clock. When only the
system's date is pinned ($JIUYE_TODAY, jiuye.config.today: the market, cases and pages use it), the
moment is that day at the real time of day (Beijing): the platform then agrees with the market about
which posts are open, and its clocks still run.

The clock (data/platforms/dagong.yaml › follow_up): `hours` after the sign-up, counted on plain hours
when `working_hours` is null (what the documents say), otherwise only inside the working window on
working days (jiuye.cases.workdays: data/holidays and chinesecalendar).
"""
from __future__ import annotations

import datetime as dt
import os

UTC = dt.timezone.utc
BEIJING = dt.timezone(dt.timedelta(hours=8))


def now() -> dt.datetime:
    pinned = os.environ.get("JIUYE_NOW")
    if pinned:
        t = dt.datetime.fromisoformat(pinned)
        return (t if t.tzinfo else t.replace(tzinfo=BEIJING)).astimezone(UTC)
    real = dt.datetime.now(UTC)
    day = os.environ.get("JIUYE_TODAY")
    if day:
        from jiuye.config import today as system_today

        return dt.datetime.combine(system_today(), real.astimezone(BEIJING).timetz()).astimezone(UTC)
    return real


def aware(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def today() -> dt.date:
    """Today in Beijing (of `now()`)."""
    return now().astimezone(BEIJING).date()


def beijing_date(t: dt.datetime) -> dt.date:
    return aware(t).astimezone(BEIJING).date()


def deadline(start: dt.datetime, hours: int, working_hours=None, calendar=None) -> dt.datetime:
    """The end of a clock of `hours` started at `start` (UTC)."""
    start = aware(start)
    if working_hours is None:
        return start + dt.timedelta(hours=hours)
    if calendar is None:
        from jiuye.cases.workdays import default_calendar

        calendar = default_calendar()
    left = dt.timedelta(hours=hours)
    local = start.astimezone(BEIJING)
    day = local.date()
    for _ in range(3660):  # at most ten years of days: a window that never opens cannot loop forever
        if calendar.is_workday(day)[0]:
            opens = dt.datetime.combine(day, working_hours.start, BEIJING)
            closes = dt.datetime.combine(day, working_hours.end, BEIJING)
            begin = max(opens, local)
            if begin < closes:
                if closes - begin >= left:
                    return (begin + left).astimezone(UTC)
                left -= closes - begin
        day += dt.timedelta(days=1)
    raise ValueError("工作时间设置有误：十年内没有可计时的工作时间")


def time_left_text(due: dt.datetime, at: dt.datetime | None = None) -> str:
    """还剩 5 小时 12 分 / 已超时 3 小时 4 分 (minutes rounded down)."""
    delta = aware(due) - (at or now())
    overdue = delta.total_seconds() < 0
    minutes = int(abs(delta.total_seconds()) // 60)
    h, m = divmod(minutes, 60)
    text = (f"{h} 小时 {m} 分" if h else f"{m} 分钟")
    return f"已超时 {text}" if overdue else f"还剩 {text}"


def show(t: dt.datetime | None) -> str:
    """A stored time as Beijing time for people: 2026-12-06 09:30."""
    return aware(t).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if t else ""

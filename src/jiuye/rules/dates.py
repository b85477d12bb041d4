"""Periods and dates in the rules.

Policy variables are defined per MONTH. A dated parameter is read at the first day of the month.
A condition on dates holds for a month if it holds on some day of that month: "at least N months
have passed since D" is checked at the month's last day, "no more than N months have passed" at
its first day.
"""
from __future__ import annotations

import datetime as dt

import numpy as np


def period_first_day(period) -> np.datetime64:
    return np.datetime64(str(period.start), "D")


def period_last_day(period) -> np.datetime64:
    return np.datetime64(str(period.stop), "D")


def month_index(dates) -> np.ndarray:
    """Months since 0000-01 (year * 12 + month - 1) of datetime64 values."""
    months = np.asarray(dates).astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months + 1970 * 12


def day_of_month(dates) -> np.ndarray:
    dates = np.asarray(dates, dtype="datetime64[D]")
    return (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1


def full_months_between(start, end) -> np.ndarray:
    """Whole months elapsed from ``start`` to ``end`` (negative if end is before start)."""
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(end, dtype="datetime64[D]")
    months = month_index(end) - month_index(start)
    return months - (day_of_month(end) < day_of_month(start))


def full_years_between(start, end) -> np.ndarray:
    return np.floor_divide(full_months_between(start, end), 12)


def parse_date(text: str) -> np.datetime64:
    return np.datetime64(dt.date.fromisoformat(str(text)), "D")

"""Rate limits whose counters live in the database (table `throttle`), so that every worker process
of the service sees the same counts: failed logins per account and per client address (then a short
lock, checked before the password is hashed, so guessing cannot spend the server's argon2 time),
registrations per address, application submits per account and per address.

Limits: `jiuye.config.throttle_limit` ($JIUYE_THROTTLE_<NAME>). A refusal is `TooMany` (429, with
Retry-After seconds and a Chinese message). Each function commits its own short transaction: call
it before the work it guards, while the session has nothing else pending.
"""
from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases.models import Throttle, utcnow
from jiuye.cases.errors import CaseError
from jiuye.config import throttle_limit

T = Throttle.__table__

WHAT = {"login_account": "该账号登录失败次数过多", "login_address": "本机登录失败次数过多",
        "register_address": "本机注册次数过多", "apply_account": "该账号提交申请次数过多",
        "apply_address": "本机提交申请次数过多"}


class TooMany(CaseError):
    status = 429

    def __init__(self, name: str, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"{WHAT.get(name, '操作过于频繁')}，请 {minutes} 分钟后再试", retry_after=retry_after)
        self.retry_after = retry_after


def _aware(t: dt.datetime | None) -> dt.datetime | None:
    return t.replace(tzinfo=dt.timezone.utc) if t is not None and t.tzinfo is None else t


def _key(name: str, who: str) -> str:
    return f"{name}:{(who or '-').strip().lower()[:150]}"


def check(s: Session, name: str, who: str) -> None:
    """TooMany while `who` is locked (or has used up a lock-free limit's window)."""
    events, window, lock = throttle_limit(name)
    row = s.execute(select(T.c.window_start, T.c.count, T.c.locked_until).where(T.c.key == _key(name, who))).first()
    s.commit()  # end the read transaction (nothing else is pending)
    if row is None:
        return
    now = utcnow()
    locked = _aware(row.locked_until)
    if locked is not None and locked > now:
        raise TooMany(name, math.ceil((locked - now).total_seconds()))
    end = _aware(row.window_start) + dt.timedelta(seconds=window)
    if not lock and row.count >= events and end > now:
        raise TooMany(name, math.ceil((end - now).total_seconds()))


def record(s: Session, name: str, who: str) -> int:
    """Count one event for `who` (atomically, shared by every process); lock `who` when a limit with
    a lock is reached. Returns the count in the current window."""
    events, window, lock = throttle_limit(name)
    key, now = _key(name, who), utcnow()
    try:
        done = s.execute(update(T).where(T.c.key == key, T.c.window_start > now - dt.timedelta(seconds=window))
                         .values(count=T.c.count + 1)).rowcount
        if not done:  # no row, or its window is over: start a new window (a running lock stays)
            done = s.execute(update(T).where(T.c.key == key).values(count=1, window_start=now)).rowcount
        if not done:
            try:
                with s.begin_nested():
                    s.execute(insert(T).values(key=key, window_start=now, count=1, locked_until=None))
            except IntegrityError:  # another process inserted it meanwhile
                s.execute(update(T).where(T.c.key == key).values(count=T.c.count + 1))
        count = s.scalar(select(T.c.count).where(T.c.key == key)) or 0
        if lock and count >= events:
            s.execute(update(T).where(T.c.key == key)
                      .values(locked_until=now + dt.timedelta(seconds=lock), count=0, window_start=now))
        s.commit()
        return count
    except BaseException:
        s.rollback()
        raise


def hit(s: Session, name: str, who: str) -> None:
    """For a limit on every attempt (registration, application): refuse, or count this one."""
    check(s, name, who)
    record(s, name, who)


def guard_application(s: Session, user, address: str) -> None:
    """An applicant's application submit: limited per account and per address (staff filing at a
    window are not)."""
    if getattr(user, "role", None) != "applicant":
        return
    check(s, "apply_account", str(user.id))
    check(s, "apply_address", address)
    record(s, "apply_account", str(user.id))
    record(s, "apply_address", address)


def clear(s: Session, name: str, who: str) -> None:
    s.execute(delete(T).where(T.c.key == _key(name, who)))
    s.commit()


def address_of(request) -> str:
    """The client address as the server sees it (behind a reverse proxy, run uvicorn with
    --proxy-headers --forwarded-allow-ips so that this is the visitor's address)."""
    client = getattr(request, "client", None)
    return (client.host if client else None) or "unknown"

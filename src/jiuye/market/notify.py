"""Notifications: every message goes through the outbox table (`market_outbox`), one row per
recipient and channel, written in the same transaction as the change it reports (a rolled-back
change sends nothing), and every delivery outcome is recorded on its row.

Channels:
- `inbox`: the in-app inbox (消息 page) of the recipient's account. Delivered when written.
- `sms`: a text message to the recipient's phone, delivered by :func:`dispatch` (the queue runs it
  every minute: `market_dispatch` in jiuye.store.tasks) through the configured sender.

Senders are pluggable. The embedded default, :class:`LogSender`, writes the message to the log
(phone number masked) — nothing leaves the machine. Production: $JIUYE_SMS_SENDER = "module:factory",
a callable returning an object with `name` and `send(phone, text)` that raises on failure; it wraps the
provider's SDK (阿里云短信 dysmsapi, 腾讯云 SMS …), whose keys it reads from its own settings. Tests use a
fake sender.

Limits: at most `notify.sms_daily_limit_per_number` text messages per number and Beijing day
(data/market/settings.yaml); past it a message is recorded as skipped (`daily_limit`). A number that
opted out (`market_optouts`) gets no text messages (`opt_out`); its inbox still does. A failed send is
retried at the next dispatch, up to MAX_ATTEMPTS, then recorded as failed with the error.
"""
from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User, utcnow
from jiuye.cases.security import scrub
from jiuye.market.common import NotFound, check_phone, mask_phone
from jiuye.market.models import OptOut, OutboxMessage
from jiuye.market.settings import kind_label, settings

log = logging.getLogger("jiuye.market.notify")
MAX_ATTEMPTS = 3
BEIJING = dt.timezone(dt.timedelta(hours=8))


class Sender(Protocol):
    name: str

    def send(self, phone: str, text: str) -> None: ...


class LogSender:
    """The embedded default: the text message goes to the log, the number masked."""
    name = "log"

    def send(self, phone: str, text: str) -> None:
        log.info("短信（未接入短信平台，仅记入日志）→ %s：%s", mask_phone(phone), scrub(text))


class SenderConfigError(ValueError):
    pass


def configured_sender() -> Sender:
    """$JIUYE_SMS_SENDER ("package.module:factory") or the LogSender."""
    spec = os.environ.get("JIUYE_SMS_SENDER", "").strip()
    if not spec:
        return LogSender()
    module, _, attr = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module), attr or "sender")
    except (ImportError, AttributeError) as exc:
        raise SenderConfigError(f"JIUYE_SMS_SENDER「{spec}」无法载入：{type(exc).__name__}") from None
    return factory()


def notify(s: Session, kind: str, *, title: str, body: str, user_id: int | None = None, phone: str | None = None,
           link: str | None = None, dedupe: str | None = None) -> list[OutboxMessage]:
    """Queue a message to an account's inbox and/or a phone. `dedupe`: a key that makes the message
    once-only (a reminder for one registration period). Nothing is committed here."""
    rows = []
    now = utcnow()
    for channel, target in (("inbox", user_id), ("sms", phone)):
        if target is None:
            continue
        key = f"{dedupe}:{channel}" if dedupe else None
        if key and s.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
            continue
        msg = OutboxMessage(created_at=now, kind=kind, channel=channel, title=title[:100], body=body, link=link,
                            attempts=0, dedupe_key=key, state="pending")
        if channel == "inbox":
            msg.user_id = user_id
            msg.state, msg.sender, msg.sent_at, msg.attempts = "sent", "inbox", now, 1
            log.info("站内消息（%s）→ 账号 %s：%s", kind_label(kind), user_id, scrub(title))
        else:
            msg.phone = check_phone(phone)
            if msg.phone is None:
                continue
        s.add(msg)
        rows.append(msg)
    return rows


def notify_user(s: Session, user: User | None, kind: str, *, title: str, body: str, link: str | None = None,
                phone: str | None = None, dedupe: str | None = None) -> list[OutboxMessage]:
    """To an account (its inbox) and to `phone` (default: the account's phone)."""
    return notify(s, kind, title=title, body=body, link=link, user_id=user.id if user else None,
                  phone=phone or (user.phone if user else None), dedupe=dedupe)


def _day_start_utc(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(BEIJING)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.timezone.utc)


def sent_today(s: Session, phone: str, now: dt.datetime | None = None) -> int:
    now = now or utcnow()
    return s.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.channel == "sms", OutboxMessage.phone == phone, OutboxMessage.state == "sent",
        OutboxMessage.sent_at >= _day_start_utc(now))) or 0


def dispatch(s: Session, sender: Sender | None = None, *, limit: int = 500) -> dict[str, int]:
    """Deliver pending text messages (oldest first); returns counts by outcome. Commits."""
    sender = sender or configured_sender()
    cap = settings().notify.sms_daily_limit_per_number
    counts = {"sent": 0, "skipped": 0, "failed": 0, "retry": 0}
    pending = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms", OutboxMessage.state == "pending")
                        .order_by(OutboxMessage.id).limit(limit)).all()
    opted = set(s.scalars(select(OptOut.phone).where(OptOut.phone.in_({m.phone for m in pending}))).all())
    for msg in pending:
        now = utcnow()
        if msg.phone in opted:
            msg.state, msg.reason = "skipped", "opt_out"
        elif sent_today(s, msg.phone, now) >= cap:
            msg.state, msg.reason = "skipped", "daily_limit"
        else:
            msg.attempts += 1
            msg.sender = sender.name
            try:
                sender.send(msg.phone, f"【兴安盟就业】{msg.title}：{msg.body}")
            except Exception as exc:  # noqa: BLE001 - any provider failure is recorded, never raised
                msg.error = scrub(f"{type(exc).__name__}: {exc}")[:500]
                if msg.attempts >= MAX_ATTEMPTS:
                    msg.state, msg.reason = "failed", "send_error"
                    counts["failed"] += 1
                else:
                    counts["retry"] += 1
                s.flush()
                continue
            msg.state, msg.sent_at, msg.error = "sent", now, None
        counts["sent" if msg.state == "sent" else "skipped"] += 1
        s.flush()  # the next message's daily count sees this one
    s.commit()
    return counts


def opt_out(s: Session, phone: str, user: User | None = None) -> None:
    p = check_phone(phone)
    if p is None:
        from jiuye.market.common import Invalid

        raise Invalid("请填写要退订短信的手机号", field="phone")
    if s.scalar(select(OptOut.id).where(OptOut.phone == p)) is None:
        s.add(OptOut(phone=p, user_id=user.id if user else None, created_at=utcnow()))
    s.commit()


def opt_in(s: Session, phone: str) -> None:
    p = check_phone(phone)
    row = s.scalar(select(OptOut).where(OptOut.phone == p))
    if row is not None:
        s.delete(row)
    s.commit()


def opted_out(s: Session, phone: str | None) -> bool:
    return bool(phone) and s.scalar(select(OptOut.id).where(OptOut.phone == phone)) is not None


def inbox(s: Session, user: User, *, limit: int = 100) -> list[dict]:
    rows = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "inbox", OutboxMessage.user_id == user.id)
                     .order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return [message_view(m) for m in rows]


def unread(s: Session, user: User) -> int:
    return s.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.channel == "inbox", OutboxMessage.user_id == user.id, OutboxMessage.read_at.is_(None))) or 0


def mark_read(s: Session, user: User, message_id: int | None = None) -> int:
    """Mark one message (or all) of the user's inbox read; another user's message is NotFound."""
    q = select(OutboxMessage).where(OutboxMessage.channel == "inbox", OutboxMessage.user_id == user.id,
                                    OutboxMessage.read_at.is_(None))
    if message_id is not None:
        from jiuye.market.common import check_id

        check_id(message_id, "消息")
        q = q.where(OutboxMessage.id == message_id)
        if s.scalar(select(OutboxMessage.id).where(OutboxMessage.id == message_id, OutboxMessage.user_id == user.id,
                                                   OutboxMessage.channel == "inbox")) is None:
            raise NotFound(f"没有编号为 {message_id} 的消息")
    rows = s.scalars(q).all()
    now = utcnow()
    for m in rows:
        m.read_at = now
    s.commit()
    return len(rows)


def message_view(m: OutboxMessage) -> dict:
    from jiuye.market.common import iso

    return {"id": m.id, "kind": m.kind, "kind_label": kind_label(m.kind), "title": m.title, "body": m.body,
            "link": m.link, "created_at": iso(m.created_at), "read": m.read_at is not None}


def outbox_view(m: OutboxMessage) -> dict:
    """For staff: the record of a send, the number masked."""
    from jiuye.market.common import iso

    return {"id": m.id, "kind_label": kind_label(m.kind), "channel": m.channel, "to": mask_phone(m.phone) if m.phone
            else "站内消息", "state": m.state, "reason": m.reason, "sender": m.sender, "attempts": m.attempts,
            "created_at": iso(m.created_at), "sent_at": iso(m.sent_at), "title": m.title}

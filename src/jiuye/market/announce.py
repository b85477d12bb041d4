"""A newly approved post told to the open registrations it fits (站内消息 and 短信 through the outbox),
on the task queue — not inside the reviewer's request.

Matching a post against every active 求职登记 takes seconds with 100,000 registrations, so approving
a post (jiuye.market.postings.review_post) only records the approval (`posting_approved` in the
audit trail, in the same transaction as the state change) and then asks the queue to run
:func:`run_pending` at once (``market_announce`` in jiuye.store.tasks). The every-minute
``market_dispatch`` runs it first as well, so an approval whose enqueue was lost (queue down, process
killed after the commit) is still announced: the work to do is read from the audit trail, not from
the queue —

- pending: a post still published whose latest `posting_approved` event (within
  LOOKBACK_DAYS) is newer than its latest `posting_announced` event;
- done: `posting_announced` is written with the number of registrations told, in the same
  transaction as their messages (a failure writes neither; the next run tries again).

Each message has a dedupe key per post and registration (`match:{post}:{seeker}`), so a post
announced twice (approved again after an edit, or two runs racing) tells nobody twice.
"""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases.models import utcnow
from jiuye.market import bridge, notify
from jiuye.market.common import record_event
from jiuye.market.models import MarketEvent, Posting, Seeker
from jiuye.market.records import PostingRecord, SeekerRecord

log = logging.getLogger("jiuye.market.announce")
LOOKBACK_DAYS = 7  # an approval older than this that was never announced is left alone (the post is not new)
TOP = 50  # registrations told per post (the best fits)


def request_run() -> bool:
    """Ask the queue to announce now (after the approval's commit). False (logged) when the queue is
    unreachable: the every-minute dispatch picks the approval up from the audit trail."""
    try:
        from jiuye.store import tasks
        from jiuye.store.queue import get_huey

        tasks.enqueue(get_huey(), "market_announce")
        return True
    except Exception as exc:  # noqa: BLE001 - the approval stands; the periodic run announces it
        log.warning("market: announcement not queued (%s); the periodic run will send it", type(exc).__name__)
        return False


def pending(s: Session, now: dt.datetime | None = None) -> list[int]:
    """Ids of the published posts approved (within LOOKBACK_DAYS) and not announced since."""
    since = (now or utcnow()) - dt.timedelta(days=LOOKBACK_DAYS)
    approved = dict(s.execute(select(MarketEvent.posting_id, func.max(MarketEvent.id)).where(
        MarketEvent.kind == "posting_approved", MarketEvent.at >= since).group_by(MarketEvent.posting_id)).all())
    if not approved:
        return []
    announced = dict(s.execute(select(MarketEvent.posting_id, func.max(MarketEvent.id)).where(
        MarketEvent.kind == "posting_announced", MarketEvent.posting_id.in_(list(approved)))
        .group_by(MarketEvent.posting_id)).all())
    todo = [pid for pid, ev in approved.items() if ev > announced.get(pid, 0)]
    if not todo:
        return []
    live = set(s.scalars(select(Posting.id).where(Posting.id.in_(todo), Posting.state == "published")).all())
    return sorted(pid for pid in todo if pid in live)


def _record(p: Posting) -> PostingRecord:
    return PostingRecord.model_validate({**p.record, "id": str(p.id), "published_on": p.published_on})


def _seekers(s: Session) -> tuple[dict[str, Seeker], list[SeekerRecord]]:
    rows = s.scalars(select(Seeker).where(Seeker.state == "active", Seeker.notify_matches.is_(True))).all()
    return {str(r.id): r for r in rows}, [SeekerRecord.model_validate({**r.record, "id": str(r.id)}) for r in rows]


def _tell(s: Session, p: Posting, matches: list[bridge.Match], by_id: dict[str, Seeker]) -> int:
    """Queue the messages of one post to the registrations matched; returns how many. No commit."""
    from jiuye.market.seekers import recipient_id

    employer = p.employer.enterprise.name if p.employer.kind == "employer" else p.record.get("employer_name")
    told = 0
    for m in matches:
        sk = by_id.get(m.id)
        if sk is None:
            continue
        why = "；".join(m.reasons) if m.reasons else "与您的求职登记相符"
        notify.notify(s, "new_match", user_id=recipient_id(s, sk), phone=sk.phone, title=f"新岗位：{p.title}",
                      body=f"{employer}招{p.places}人。{why}", link=f"/jobs/{p.id}", dedupe=f"match:{p.id}:{sk.id}")
        told += 1
    return told


def run_pending(s: Session) -> dict[str, int]:
    """Announce every pending post (see the module doc): the open registrations are read and prepared
    once and matched against all the pending posts together; commits per post. Returns the counts."""
    out = {"posts": 0, "told": 0, "failed": 0}
    ids = pending(s)
    if not ids:
        return out
    posts = [s.get(Posting, pid) for pid in ids]
    by_id, recs = _seekers(s)
    found = bridge.match_seekers_many([_record(p) for p in posts], recs, TOP) if recs else {}
    for p in posts:
        try:
            n = _tell(s, p, found.get(str(p.id), []), by_id)
            record_event(s, None, "posting_announced", posting_id=p.id, data={"told": n})
            s.commit()
        except IntegrityError:  # another run announced it at the same moment: its messages stand
            s.rollback()
            out["failed"] += 1
            continue
        out["posts"] += 1
        out["told"] += n
    if out["posts"]:
        log.info("market: %d new post(s) announced to %d registration(s)", out["posts"], out["told"])
    return out

"""A newly approved post is told to the registrations it fits by the task queue, not inside the
reviewer's request (jiuye.market.announce): the approval only enqueues; running the queued task
delivers; a lost enqueue is caught by the every-minute run; nobody is told twice."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.market import announce, notify, seekers
from jiuye.market.common import record_event
from jiuye.market.models import MarketEvent, OutboxMessage
from market_support import ensure_employers, market_db, post_in_state, user


@pytest.fixture()
def queue(tmp_path, monkeypatch):
    """A fresh SQLite queue for this test only (nothing else's tasks in it)."""
    from jiuye.store.queue import get_huey

    monkeypatch.setenv("JIUYE_QUEUE_URL", f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    return get_huey()


@pytest.fixture()
def s(tmp_path):
    with market_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as session:
        yield session


def _run_queue(huey) -> list[str]:
    """Run every task waiting in the queue, as the consumer would; the names run."""
    names = []
    while (task := huey.dequeue()) is not None:
        names.append(task.name)
        huey.execute(task)
    return names


def _kinds(s, username):
    s.expire_all()
    return [m["kind"] for m in notify.inbox(s, user(s, username))]


def _register_two(s):
    ensure_employers(s)
    seekers.register(s, user(s, "zhangmin"), {"desired_titles": ["包装工"], "districts": ["乌兰浩特市"]},
                     phone="13912340001")
    seekers.register(s, user(s, "liqiang"), {"desired_titles": ["包装工"], "districts": ["扎赉特旗"]})


def test_approval_only_enqueues_and_the_queue_task_tells_the_seekers(s, queue):
    _register_two(s)
    p = post_in_state(s, "published")
    assert p.state == "published"
    assert "new_match" not in _kinds(s, "zhangmin")  # nothing matched inside the reviewer's request
    assert announce.pending(s) == [p.id]
    assert _run_queue(queue) == ["market_announce"]  # the approval put exactly the announcement on the queue
    assert "new_match" in _kinds(s, "zhangmin")
    assert "new_match" not in _kinds(s, "liqiang")  # another district
    m = notify.inbox(s, user(s, "zhangmin"))[0]
    assert m["link"] == f"/jobs/{p.id}" and "食品包装工" in m["title"]
    sms = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "new_match", OutboxMessage.channel == "sms")).all()
    assert [x.phone for x in sms] == ["13912340001"] and sms[0].state == "pending"  # the dispatcher sends it
    ev = s.scalar(select(MarketEvent).where(MarketEvent.kind == "posting_announced", MarketEvent.posting_id == p.id))
    assert ev is not None and ev.data == {"told": 1}
    assert announce.pending(s) == []


def test_a_lost_enqueue_is_announced_by_the_periodic_run_and_nobody_twice(s, queue, monkeypatch):
    from jiuye.market import tasks

    _register_two(s)
    monkeypatch.setattr(announce, "request_run", lambda: False)  # the queue was down at approval time
    p = post_in_state(s, "published")
    assert len(queue) == 0 and "new_match" not in _kinds(s, "zhangmin")
    tasks.dispatch()  # the every-minute dispatch announces it first
    assert "new_match" in _kinds(s, "zhangmin") and announce.pending(s) == []
    assert tasks.announce() == {"posts": 0, "told": 0, "failed": 0}
    # approved again (after an edit): announced again, but the seeker already told is not told twice
    seekers_told = _kinds(s, "zhangmin").count("new_match")
    record_event(s, user(s, "zx_wlht"), "posting_approved", posting_id=p.id)
    s.commit()
    assert tasks.announce() == {"posts": 1, "told": 1, "failed": 0}
    assert _kinds(s, "zhangmin").count("new_match") == seekers_told == 1


def test_only_published_recent_approvals_are_announced(s, queue):
    _register_two(s)
    gone = post_in_state(s, "withdrawn")
    returned = post_in_state(s, "returned")
    old = post_in_state(s, "published")
    ev = s.scalar(select(MarketEvent).where(MarketEvent.kind == "posting_approved", MarketEvent.posting_id == old.id))
    ev.at = ev.at - dt.timedelta(days=announce.LOOKBACK_DAYS + 1)
    s.commit()
    assert announce.pending(s) == []
    assert gone.id != returned.id
    assert announce.run_pending(s) == {"posts": 0, "told": 0, "failed": 0}
    assert "new_match" not in _kinds(s, "zhangmin")


def test_the_approval_stands_when_the_queue_is_unreachable(s, monkeypatch, caplog):
    monkeypatch.setenv("JIUYE_QUEUE_URL", "ftp://nowhere")  # get_huey raises QueueConfigError
    _register_two(s)
    p = post_in_state(s, "published")
    assert p.state == "published"
    assert "announcement not queued" in caplog.text
    assert announce.pending(s) == [p.id]


def test_the_announcement_is_a_queue_task_and_dispatch_runs_every_minute(tmp_path):
    from huey import SqliteHuey

    from jiuye.store import tasks

    huey = SqliteHuey(filename=str(tmp_path / "q.sqlite3"))
    tasks.register(huey)
    periodic = {t.name: t for t in huey._registry.periodic_tasks}
    assert "market_announce" not in periodic and "market_announce" in huey._jiuye_tasks
    assert periodic["market_dispatch"].validate_datetime(dt.datetime(2026, 12, 6, 10, 43))


def test_several_pending_posts_in_one_run_match_as_each_alone(s, queue):
    from jiuye.market import bridge

    _register_two(s)
    pack = post_in_state(s, "published")
    weld = post_in_state(s, "published", title="电焊工", duties="焊接钢结构")
    assert announce.pending(s) == sorted([pack.id, weld.id])
    by_id, recs = announce._seekers(s)
    alone = {str(p.id): bridge.match_seekers(announce._record(p), recs, announce.TOP) for p in (pack, weld)}
    together = bridge.match_seekers_many([announce._record(p) for p in (pack, weld)], recs, announce.TOP)
    assert together == alone and all(alone.values())
    assert _run_queue(queue) == ["market_announce", "market_announce"]  # the first run did both; the second finds nothing
    for p in (pack, weld):
        told = s.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "new_match",
                                                                OutboxMessage.channel == "inbox",
                                                                OutboxMessage.link == f"/jobs/{p.id}")).all()
        assert sorted(told) == sorted(f"match:{p.id}:{m.id}:inbox" for m in alone[str(p.id)])
    assert announce.pending(s) == []

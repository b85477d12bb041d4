"""The public posts prepared once per process: the search filters them in memory (instead of scanning the
posts table on every request) and one seeker's matches come from the matcher's prepared posts
(matching.PostingIndex, built when first needed) instead of a new matcher per request.

Fresh on every use. Each call first reads a fingerprint of the public posts from the database — how
many, the sum of their ids and of the squares of their ids, read from the state index alone — and
prepares them again when it differs from the prepared one, or when the day has changed (validity and
freshness depend on it). A public post's record never changes (posts are edited as drafts or when
returned, never once public; places left are read from the database with each page), so the records of
posts already prepared are reused. The fingerprint would miss only a change in which as many posts
left the public list as joined it, with the same sum and the same sum of squares of their ids (at least
three of each), between two requests of one process. Results are also re-read from the database by id,
and a post no longer public is left out.

One cache per database engine, shared by the threads of a process under a lock; each web process
(`jiuye serve --workers N`) keeps its own.
"""
from __future__ import annotations

import datetime as dt
import logging
import string
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
from pydantic import ValidationError
from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session

from jiuye.market.models import Posting
from jiuye.market.records import PostingRecord

log = logging.getLogger("jiuye.market.live")
_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # SQLite's LIKE: ASCII letters ignore case
_CHUNK = 500  # ids per IN (…) when reading new records
_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ids(values: list, table: dict) -> np.ndarray:
    return np.array([table.setdefault(v, len(table)) if v is not None else -1 for v in values], np.int64)


@dataclass
class LivePosts:
    """The public posts, newest first (published_on, then id, descending — as the database orders them)."""
    day: dt.date
    stamp: tuple
    ids: np.ndarray
    employer: np.ndarray
    district: np.ndarray
    code: np.ndarray
    wage_min: np.ndarray
    wage_max: np.ndarray
    valid: np.ndarray  # valid_through as an ordinal; no date: never past
    titles: list[str]  # folded as SQLite's LIKE compares
    records: dict[int, PostingRecord]
    district_ids: dict[str, int] = field(default_factory=dict)
    code_ids: dict[str, int] = field(default_factory=dict)
    _index: object = None
    _index_lock: threading.Lock = field(default_factory=threading.Lock)

    def find(self, *, district: str | None = None, codes: list[str] | None = None, wage_min: float | None = None,
             employer_id: int | None = None, words: list[str] = (), offset: int = 0,
             limit: int = 50) -> tuple[int, list[int]]:
        """(how many match, the ids of one page) — the same conditions as postings.search states them."""
        keep = self.valid >= self.day.toordinal()
        if district:
            keep &= self.district == self.district_ids.get(district, -2)
        if codes:
            keep &= np.isin(self.code, [self.code_ids.get(c, -2) for c in codes])
        if wage_min is not None:
            keep &= (self.wage_max >= wage_min) | (self.wage_min >= wage_min)
        if employer_id:
            keep &= self.employer == employer_id
        for w in words:
            pattern = w.translate(_FOLD)
            for i in np.flatnonzero(keep):
                if pattern not in self.titles[i]:
                    keep[i] = False
        hits = np.flatnonzero(keep)
        start = max(0, offset)
        return len(hits), [int(i) for i in self.ids[hits[start:start + max(1, min(limit, 200))]]]

    def index(self):
        """The matcher's prepared posts (built on first use, once)."""
        if self._index is None:
            with self._index_lock:
                if self._index is None:
                    from jiuye.market.matching import PostingIndex

                    order = [int(i) for i in self.ids if int(i) in self.records]
                    self._index = PostingIndex([self.records[i] for i in order], self.day)
        return self._index


def _stamp(s: Session) -> tuple:
    return tuple(s.execute(select(func.count(), func.sum(Posting.id), func.sum(cast(Posting.id, BigInteger) * Posting.id))
                           .where(Posting.state == "published")).one())


def _build(s: Session, day: dt.date, stamp: tuple, before: LivePosts | None) -> LivePosts:
    rows = s.execute(select(Posting.id, Posting.employer_id, Posting.title, Posting.district, Posting.occupation_code,
                            Posting.wage_min, Posting.wage_max, Posting.valid_through)
                     .where(Posting.state == "published")
                     .order_by(Posting.published_on.desc(), Posting.id.desc())).all()
    known = before.records if before is not None else {}
    records = {r.id: known[r.id] for r in rows if r.id in known}
    new = [r.id for r in rows if r.id not in known]
    for start in range(0, len(new), _CHUNK):
        for pid, rec, published in s.execute(select(Posting.id, Posting.record, Posting.published_on)
                                             .where(Posting.id.in_(new[start:start + _CHUNK]))):
            try:
                records[pid] = PostingRecord.model_validate({**rec, "id": str(pid), "published_on": published})
            except ValidationError:  # searchable by its columns; left out of matching
                log.warning("market: post %s has a record the matcher cannot read", pid)
    far = dt.date.max.toordinal()
    lp = LivePosts(day=day, stamp=stamp, ids=np.array([r.id for r in rows], np.int64),
                   employer=np.array([r.employer_id for r in rows], np.int64), district=np.empty(0), code=np.empty(0),
                   wage_min=np.array([np.nan if r.wage_min is None else r.wage_min for r in rows], float),
                   wage_max=np.array([np.nan if r.wage_max is None else r.wage_max for r in rows], float),
                   valid=np.array([far if r.valid_through is None else r.valid_through.toordinal() for r in rows], np.int64),
                   titles=[(r.title or "").translate(_FOLD) for r in rows], records=records)
    lp.district = _ids([r.district for r in rows], lp.district_ids)
    lp.code = _ids([r.occupation_code for r in rows], lp.code_ids)
    if before is not None:
        log.info("market: public posts prepared again (%d, %d new)", len(rows), len(new))
    return lp


def current(s: Session) -> LivePosts:
    """The public posts of this session's database as of today, prepared again if they changed."""
    from jiuye.config import today

    bind = s.get_bind()
    engine = getattr(bind, "engine", bind)
    day, stamp = today(), _stamp(s)
    lp = _cache.get(engine)
    if lp is not None and lp.day == day and lp.stamp == stamp:
        return lp
    with _lock:
        lp = _cache.get(engine)
        if lp is None or lp.day != day or lp.stamp != stamp:
            lp = _cache[engine] = _build(s, day, stamp, lp)
    return lp


def load(s: Session, ids: list[int]) -> list[Posting]:
    """The posts of these ids, in this order, that are still public."""
    if not ids:
        return []
    found = {p.id: p for p in s.scalars(select(Posting).where(Posting.id.in_(ids)))}
    return [found[i] for i in ids if i in found and found[i].state == "published"]


def matches_for(s: Session, seeker, top: int = 10) -> list[tuple[Posting, float, list[str]]]:
    """The public posts that fit one 求职登记 best (SeekerRecord), with the score and the reasons in Chinese:
    the matcher over every public post (jiuye.market.matching)."""
    found = current(s).index().for_seeker(seeker, top)
    rows = {p.id: p for p in load(s, [int(m.posting_id) for m in found])}
    return [(rows[int(m.posting_id)], m.score, m.reasons) for m in found if int(m.posting_id) in rows]

"""Two-sided matching over records (no database): for a seeker the posts that fit best, for a post
the seekers who fit — with the reasons in plain Chinese.

Hard conditions filter (a post that fails one is never proposed):
  place — the post's 旗县市 is one the seeker accepts (none chosen = anywhere in the league); posts
  outside the league only for seekers willing to go; required certificates — the seeker holds every
  one (names normalised, data/market/occupation_aliases.yaml › certificates); age — the seeker is not
  under the legal minimum working age (data/parameters/general/working_age_minimum.yaml) and within
  the post's age limits; the post's valid-through date has not passed; education — a seeker whose
  education is known has at least the post's minimum.
The rest ranks (weights: data/market/matching.yaml): occupation (same 职业 > same 小类 > same 中类),
the post title's similarity to the seeker's own words, wage against the expectation, the town,
freshness.

Scale: arrays of integers (jiuye.market.prepare) compared block by block with numpy. Blocking: a
seeker is compared with the posts of the 中类 they want (and posts without a known occupation) in
the places they accept; seekers who have fewer than K fitting posts there — or no occupation at all —
are then compared with every post of those places. Posts of other 中类 can rank only in that case.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from jiuye.market.occupations import Classification, get_classification, normalise
from jiuye.market.prepare import (OverlayVocab, PostArrays, Resolver, SeekerArrays, Settings, Vocab, get_places,
                                  get_settings, prepare_postings, prepare_seekers)
from jiuye.market.reasons import posting_reasons, seeker_reasons
from jiuye.market.records import PostingRecord, SeekerRecord

NEG = np.float32(-1.0)
CELLS = 4_000_000  # score cells computed at once (memory ≈ 16 bytes × CELLS for the temporaries)


@dataclass
class Match:
    seeker_id: str
    posting_id: str
    rank: int
    score: float  # 0..1
    reasons: list[str]


@dataclass
class Market:
    """Seekers and posts prepared together as of one day (one vocabulary)."""
    seekers: SeekerArrays
    posts: PostArrays
    day: dt.date
    settings: Settings
    cls: Classification
    districts: tuple[str, ...]
    vocab: Vocab = field(default_factory=Vocab)
    places: object = None
    title_sim: np.ndarray | None = None  # uint8 [seeker word id, post title id]
    _post_blocks: dict = field(default_factory=dict)

    def places_name(self, district: str | None) -> str:
        return (self.places.district(district) or district or "") if self.places else (district or "")

    @staticmethod
    def same_town(a: str, b: str) -> bool:
        return normalise(a) == normalise(b)


def build(seekers: list[SeekerRecord], postings: list[PostingRecord], day: dt.date) -> Market:
    cls, places, s = get_classification(), get_places(), get_settings()
    vocab, resolver = Vocab(), Resolver(cls)
    p = prepare_postings(postings, day, vocab, places, resolver, s)
    k = prepare_seekers(seekers, day, vocab, places, resolver, s)
    width = max(p.certs.shape[1], k.certs.shape[1])
    p.certs = np.pad(p.certs, ((0, 0), (0, width - p.certs.shape[1])))
    k.certs = np.pad(k.certs, ((0, 0), (0, width - k.certs.shape[1])))
    m = Market(k, p, day, s, cls, places.districts, vocab, places)
    titles = vocab.items.get("title", [])
    if titles and s.weights["title"] > 0:
        n = len(titles)
        if n * n <= s.title_max_pairs:
            m.title_sim = cdist(titles, titles, scorer=fuzz.ratio, dtype=np.uint8)
    return m


# --- scoring ------------------------------------------------------------------------------------
def score_block(m: Market, si: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Scores [len(si), len(pi)] as float32; NEG where a hard condition fails."""
    S, P, s = m.seekers, m.posts, m.settings
    w, lv = s.weights, s.levels
    # occupation: best level over the seeker's occupations. Same code ⇒ same 小类 ⇒ same 中类 (the ids come
    # from the code's prefixes), so the level is a sum of three equalities; a post's "none" (-1) is compared
    # as -3 so that it never equals a seeker's padding (-1).
    occ = np.zeros((len(si), len(pi)), np.float32)
    lvl = np.empty_like(occ)
    a, b, c = (np.float32(lv["same_middle"]), np.float32(lv["same_minor"] - lv["same_middle"]),
               np.float32(lv["same_code"] - lv["same_minor"]))
    po, pm, pd = (np.where(x[pi] < 0, -3, x[pi])[None, :] for x in (P.occ, P.minor, P.middle))
    for j in range(S.occ.shape[1]):
        sd = S.middle[si, j][:, None]
        if (sd < 0).all():
            continue
        np.multiply(sd == pd, a, out=lvl)
        lvl += b * (S.minor[si, j][:, None] == pm)
        lvl += c * (S.occ[si, j][:, None] == po)
        np.maximum(occ, lvl, out=occ)
    total = w["occupation"] * occ
    if m.title_sim is not None and w["title"] > 0:
        best = np.zeros_like(total)
        pt = P.title[pi]
        for j in range(S.titles.shape[1]):
            st = S.titles[si, j]
            ok = st >= 0
            if not ok.any():
                continue
            sim = m.title_sim[np.where(ok, st, 0)][:, pt].astype(np.float32) / 100
            sim[~ok] = 0
            np.maximum(best, sim, out=best)
        total += w["title"] * best
    # wage
    exp = S.expected[si][:, None]
    hi = P.wage_hi[pi][None, :]
    ratio = np.clip((hi / np.where(exp > 0, exp, np.nan) - s.wage_floor_ratio) / (1 - s.wage_floor_ratio), 0, 1)
    total += w["wage"] * np.where(np.isnan(ratio), np.float32(0.5), ratio).astype(np.float32)
    # town
    if S.towns.shape[1] and (S.towns >= 0).any():
        has = (S.towns[si] >= 0).any(axis=1)[:, None]
        same = (S.towns[si][:, :, None] == P.town[pi][None, None, :]).any(axis=1) & (P.town[pi] >= 0)[None, :]
        total += w["town"] * np.where(has, same.astype(np.float32), np.float32(0.5))
    else:
        total += w["town"] * np.float32(0.5)
    fresh = np.where(np.isnan(P.age_days[pi]), 0.5, np.exp2(-np.maximum(P.age_days[pi], 0) / s.half_life))
    total += (w["freshness"] * fresh.astype(np.float32))[None, :]
    # hard conditions
    bad = np.zeros_like(total, dtype=bool)
    for word in range(P.certs.shape[1]):
        need = P.certs[pi, word]
        if need.any():
            bad |= (need[None, :] & ~S.certs[si, word][:, None]) != 0
    age = S.age[si][:, None]
    bad |= (age < P.min_age[pi][None, :]) | (age > P.max_age[pi][None, :])
    edu = S.edu[si][:, None]
    bad |= (edu >= 0) & (edu < P.edu[pi][None, :])
    bad |= ~P.live[pi][None, :] | ~S.adult[si][:, None]
    total[bad] = NEG
    return total


def _topk(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row the k best columns (order: best first) and their scores."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.empty((scores.shape[0], 0), np.int64), np.empty((scores.shape[0], 0), np.float32)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(vals, order, axis=1)


class _Best:
    """The k best (score, column) per row, merged block after block."""

    def __init__(self, rows: int, k: int) -> None:
        self.idx = np.full((rows, k), -1, np.int64)
        self.val = np.full((rows, k), NEG, np.float32)
        self.k = k

    def merge(self, rows: np.ndarray, cols: np.ndarray, scores: np.ndarray) -> None:
        for start in range(0, len(rows), max(1, CELLS // max(1, len(cols)))):
            r = rows[start:start + CELLS // max(1, len(cols))]
            sc = scores[start:start + len(r)]
            ti, tv = _topk(sc, self.k)
            idx = np.concatenate([self.idx[r], cols[ti]], axis=1)
            val = np.concatenate([self.val[r], tv], axis=1)
            top, v = _topk(val, self.k)
            self.idx[r] = np.take_along_axis(idx, top, axis=1)
            self.val[r] = v


def _blocks(m: Market) -> tuple[dict, dict]:
    """Posts by (district index or -2 outside, 中类 id or -1) and by place alone."""
    if not m._post_blocks:
        P = m.posts
        place = np.where(P.outside, -2, P.district)
        by_pm: dict = defaultdict(list)
        by_p: dict = defaultdict(list)
        for i in np.flatnonzero(P.live):
            by_pm[(int(place[i]), int(P.middle[i]))].append(i)
            by_p[int(place[i])].append(i)
        m._post_blocks = ({k: np.array(v, np.int64) for k, v in by_pm.items()},
                          {k: np.array(v, np.int64) for k, v in by_p.items()})
    return m._post_blocks


def _seekers_by_place(m: Market) -> dict[int, np.ndarray]:
    """place → seekers who accept it: each district (chosen, or no district chosen), and -2 outside."""
    S = m.seekers
    anywhere = ~S.districts.any(axis=1)
    out = {d: np.flatnonzero((S.districts[:, d] | anywhere) & S.adult) for d in range(len(m.districts))}
    out[-2] = np.flatnonzero(S.outside & S.adult)
    return out


def _pairs(m: Market, rows: np.ndarray, cols: np.ndarray, seekers_are_rows: bool) -> np.ndarray:
    return score_block(m, rows, cols) if seekers_are_rows else score_block(m, cols, rows).T


def _feed(m: Market, best: _Best, counted: np.ndarray, rows: np.ndarray, cols: np.ndarray, seekers_are_rows: bool,
          dedupe: bool = False) -> None:
    if not len(rows) or not len(cols):
        return
    step = max(1, CELLS // len(cols))
    for start in range(0, len(rows), step):
        r = rows[start:start + step]
        sc = _pairs(m, r, cols, seekers_are_rows)
        if dedupe:
            held = best.idx[r]
            sc = np.where((held[:, :, None] == cols[None, None, :]).any(axis=1), NEG, sc)
        counted[r] += (sc > NEG).sum(axis=1)
        best.merge(r, cols, sc)


def _run(m: Market, k: int, seekers_are_rows: bool) -> _Best:
    """Blocked pass over (place, 中类), then every post/seeker of the place for rows still short of k."""
    S, P = m.seekers, m.posts
    by_pm, by_p = _blocks(m)
    by_place = _seekers_by_place(m)
    n = len(S.records) if seekers_are_rows else len(P.records)
    best, counted = _Best(n, k), np.zeros(n, np.int64)
    for (place, mid), posts in by_pm.items():
        who = by_place.get(place)
        if who is None or mid < 0:
            continue  # posts without a known occupation: compared in the second pass
        who = who[(S.middle[who] == mid).any(axis=1)]
        if seekers_are_rows:
            _feed(m, best, counted, who, posts, True)
        else:
            _feed(m, best, counted, posts, who, False)
    for place, posts in by_p.items():
        who = by_place.get(place)
        if who is None or not len(who):
            continue
        if seekers_are_rows:
            short = who[counted[who] < k]
            _feed(m, best, counted, short, posts, True, dedupe=True)
        else:
            short = posts[counted[posts] < k]
            _feed(m, best, counted, short, who, False, dedupe=True)
    return best


# --- public API -----------------------------------------------------------------------------------
def for_seekers(m: Market, top: int = 10) -> dict[str, list[Match]]:
    """Every seeker's best posts (key: seeker id), with reasons."""
    best = _run(m, top, True)
    S, P = m.seekers, m.posts
    out: dict[str, list[Match]] = {}
    for i, rec in enumerate(S.records):
        out[rec.id] = [Match(rec.id, P.records[j].id, rank, round(float(v), 4), seeker_reasons(m, i, int(j)))
                       for rank, (j, v) in enumerate(_kept(best, i), 1)]
    return out


def for_postings(m: Market, top: int = 10) -> dict[str, list[Match]]:
    """Every post's best seekers (key: post id), with reasons. The same scores as :func:`for_seekers`."""
    best = _run(m, top, False)
    S, P = m.seekers, m.posts
    out: dict[str, list[Match]] = {}
    for j, rec in enumerate(P.records):
        out[rec.id] = [Match(S.records[i].id, rec.id, rank, round(float(v), 4), posting_reasons(m, int(i), j))
                       for rank, (i, v) in enumerate(_kept(best, j), 1)]
    return out


def _kept(best: _Best, row: int):
    for j, v in zip(best.idx[row], best.val[row]):
        if j < 0 or v <= NEG:
            break
        yield j, v


class PostingIndex:
    """The live posts prepared once (pages and API: one seeker's matches in milliseconds).

    Safe to share between threads: :meth:`for_seeker` reads the prepared posts and never changes them (the
    seeker's own words get ids in an :class:`OverlayVocab` of the request; the per-post reason fragments
    it caches are the same whichever thread computes them)."""

    def __init__(self, postings: list[PostingRecord], day: dt.date) -> None:
        self.m = build([], postings, day)
        self.resolver = Resolver(self.m.cls, limit=10_000)
        _blocks(self.m)  # computed once here; each request's copy of the market shares them
        self.m.__dict__["_post_frag"] = {}

    def for_seeker(self, seeker: SeekerRecord, top: int = 10) -> list[Match]:
        import dataclasses

        base = self.m
        places = base.places
        words = OverlayVocab(base.vocab)
        k = prepare_seekers([seeker], base.day, words, places, self.resolver, base.settings,
                            cert_words=base.posts.certs.shape[1])
        if k.certs.shape[1] > base.posts.certs.shape[1]:  # a certificate no post requires: cannot matter
            k.certs = k.certs[:, :base.posts.certs.shape[1]]
        titles = base.vocab.items.get("title", [])
        own = [int(t) for t in k.titles[0] if t >= 0]
        local = Vocab()
        local.items["title"] = [words.item("title", t) for t in own]
        k.titles = np.array([list(range(len(own))) or [-1]], np.int32)
        sim = cdist(local.items["title"], titles, scorer=fuzz.ratio, dtype=np.uint8) if own else None
        m = dataclasses.replace(base, seekers=k, vocab=local, title_sim=sim if base.title_sim is not None else None)
        m.__dict__["_post_frag"] = base.__dict__["_post_frag"]
        return for_seekers(m, top)[seeker.id]


def match_seekers(seekers: list[SeekerRecord], postings: list[PostingRecord], day: dt.date,
                  top: int = 10) -> dict[str, list[Match]]:
    return for_seekers(build(seekers, postings, day), top)


def match_postings(seekers: list[SeekerRecord], postings: list[PostingRecord], day: dt.date,
                   top: int = 10) -> dict[str, list[Match]]:
    return for_postings(build(seekers, postings, day), top)

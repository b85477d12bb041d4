"""The seam between the market's services and the matching side (occupations, query parsing, the
matcher), which is built apart (jiuye.market.occupations, .search, .matching).

Every service and page calls these functions only. Each one uses the real module when it is there
and offers the function named below; otherwise it falls back to a deliberately simple rule, marked
TEMPORARY, so the market works end to end before the matcher is merged. The fallbacks are the
issue's own baseline (same occupation code + same district), never presented as the matcher.

Expected functions of the real modules (swap in here when merged):
- matching.match_postings(seeker: SeekerRecord, postings: list[PostingRecord], top: int) -> list[Match-like]
- matching.match_seekers(posting: PostingRecord, seekers: list[SeekerRecord], top: int) -> list[Match-like]
  (Match-like: .id, .score, .reasons — reasons as Chinese sentences)
- occupations.label(code) -> str | None ; occupations.resolve(title) -> code | None
- search.parse_query(text) -> dict of filters (words, district, occupation, wage_min)
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field

from jiuye.market.records import PostingRecord, SeekerRecord

log = logging.getLogger("jiuye.market.bridge")


@dataclass
class Match:
    id: str
    score: float
    reasons: list[str] = field(default_factory=list)


def _module(name: str, attr: str):
    try:
        mod = importlib.import_module(f"jiuye.market.{name}")
    except ImportError:
        return None
    return getattr(mod, attr, None)


def _wage_ok(post: PostingRecord, seeker: SeekerRecord) -> bool | None:
    if seeker.expected_wage is None or post.wage_unit != seeker.expected_wage_unit:
        return None
    top = post.wage_max if post.wage_max is not None else post.wage_min
    return None if top is None else top >= seeker.expected_wage


def _baseline(seeker: SeekerRecord, post: PostingRecord) -> Match | None:
    """TEMPORARY fallback: same occupation code (or the typed title inside the post's title) and a
    district the seeker named (or none named)."""
    same_code = post.occupation_code is not None and post.occupation_code in seeker.desired_occupations
    same_title = any(t and t in post.title for t in seeker.desired_titles)
    if not (same_code or same_title):
        return None
    if seeker.districts and post.district not in seeker.districts:
        return None
    reasons = ["工种与您登记的一致" if same_code else "岗位名称含有您想做的工作"]
    if post.district and seeker.districts:
        reasons.append(f"在您想去的{post.district}")
    wage = _wage_ok(post, seeker)
    if wage:
        reasons.append("工资不低于您的期望")
    return Match(post.id, 2.0 + (1.0 if seeker.districts else 0.0) + (1.0 if wage else 0.0), reasons)


def match_postings(seeker: SeekerRecord, postings: list[PostingRecord], top: int = 10) -> list[Match]:
    """The posts that fit one seeker best (jiuye.market.matching: hard filters, ranking, reasons)."""
    from jiuye.config import today
    from jiuye.market import matching

    found = matching.match_seekers([seeker], postings, today(), top).get(seeker.id, [])
    return [Match(str(m.posting_id), float(m.score), list(m.reasons)) for m in found]


def match_seekers(posting: PostingRecord, seekers: list[SeekerRecord], top: int = 10) -> list[Match]:
    """The registered seekers who fit one post best."""
    from jiuye.config import today
    from jiuye.market import matching

    found = matching.match_postings(seekers, [posting], today(), top).get(posting.id, [])
    return [Match(str(m.seeker_id), float(m.score), list(m.reasons)) for m in found]


def match_seekers_many(postings: list[PostingRecord], seekers: list[SeekerRecord], top: int = 10) -> dict[str, list[Match]]:
    """For each post (by id), the registered seekers who fit it best: one preparation of the seekers for
    all the posts (the queue's announcement of new posts)."""
    from jiuye.config import today
    from jiuye.market import matching

    found = matching.match_postings(seekers, postings, today(), top)
    return {p.id: [Match(str(m.seeker_id), float(m.score), list(m.reasons)) for m in found.get(p.id, [])]
            for p in postings}


def occupation_label(code: str | None) -> str | None:
    """The classification's name of a code (None when unknown)."""
    if not code:
        return None
    from jiuye.market.occupations import get_classification

    c = get_classification()
    return c.name(code) if c.is_valid_code(code) else None


def resolve_occupation(title: str | None) -> str | None:
    """The most likely 职业 code of a title typed freely (电焊工、开挖掘机的、月嫂), or None."""
    if not title:
        return None
    from jiuye.market.occupations import get_classification

    found = get_classification().resolve(title, limit=1)
    return found[0].code if found else None


def parse_query(text: str) -> dict:
    """Filters from a colloquial query. TEMPORARY fallback: the whole text as words (split on spaces);
    a district name among them becomes the district filter."""
    real = _module("search", "parse_query")
    if real is not None:  # the search module's Query: its filters as this service reads them
        q = real(text)
        return {"district": q.district, "occupations": list(q.occupations), "words": list(q.words),
                "wage_min": q.wage_min if q.wage_unit == "month" else None, "understood": list(q.understood)}
    from jiuye.knowledge.loader import get_knowledge

    names = get_knowledge().district_names
    words, district = [], None
    for w in (text or "").split():
        if w in names and district is None:
            district = names[w]
        else:
            words.append(w)
    return {"words": words, "district": district}

"""Search in plain colloquial Chinese: "乌兰浩特 开车的活 四千以上" → a structured query (district,
occupation codes, wage, date, words) and what was understood, in Chinese, to echo back; and a
ranking of posts for that query.

Parsing is a pure function of the text and the data files: districts and their aliases
(data/districts.yaml) and towns (data/market/towns.yaml), traditional characters through OpenCC,
Chinese numerals through cn2an (四千 → 4000, 三千五 → 3500, 一万二 → 12000), occupation words through
the classification's names and aliases (data/market/occupation_aliases.yaml).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
from dataclasses import dataclass, field

import cn2an
import numpy as np

from jiuye.market.occupations import _T2S, ancestor, get_classification, normalise
from jiuye.market.prepare import get_places, get_settings, monthly
from jiuye.market.reasons import money, wage_text
from jiuye.market.records import PostingRecord

_UNIT = r"(?P<unit>月薪|每月|一个月|1个月|月|日薪|每天|一天|1天|日结|天|时薪|每小时|小时)?"
_NUM = r"(\d+(?:\.\d+)?)\s*(千|k|K|万|w|W)?"
_RANGE = re.compile(_UNIT + r"\s*" + _NUM + r"\s*(?:元|块)?\s*(?:-|~|—|–|到|至)\s*" + _NUM + r"\s*(?:元|块)?")
_SINGLE = re.compile(_UNIT + r"\s*" + _NUM + r"\s*(?:元|块)?(?:钱)?\s*(?P<dir>以上|起|往上|多|左右|上下|以下|以内|之内|内)?")
_RECENT = re.compile(r"(?:最近|近)\s*(\d+)\s*(天|日|周|星期|个月|月)|(今天|本周|这周|这个星期|本月|这个月)")
_STOP = {"的", "活", "活儿", "工作", "找", "找个", "招", "招聘", "有没有", "吗", "在", "要", "想", "想找", "我", "附近", "岗位",
         "上班", "干", "做", "个", "有", "哪里", "什么", "啥", "元", "块", "钱", "工资", "月薪", "日薪", "随便", "看看", "一下", "附近的"}
MULT = {"千": 1000, "k": 1000, "K": 1000, "万": 10000, "w": 10000, "W": 10000, None: 1, "": 1}
UNIT_OF = {"日薪": "day", "每天": "day", "一天": "day", "1天": "day", "日结": "day", "天": "day", "时薪": "hour",
           "每小时": "hour", "小时": "hour"}


@dataclass
class Query:
    text: str
    district: str | None = None
    town: str | None = None
    occupations: list[str] = field(default_factory=list)  # 职业 codes
    occupation_words: list[str] = field(default_factory=list)  # what the person said for them
    wage_min: float | None = None
    wage_max: float | None = None
    wage_unit: str = "month"
    within_days: int | None = None
    words: list[str] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)  # Chinese, to echo to the user


def _amount(num: str, mult: str | None) -> float:
    return float(num) * MULT.get(mult, 1)


def parse_query(text: str) -> Query:
    cls, places = get_classification(), get_places()
    raw = unicodedata.normalize("NFKC", text or "")[:200]
    q = Query(raw)
    t = _T2S.convert(raw)
    try:
        with warnings.catch_warnings():  # cn2an warns about mixed forms such as 3千, which _NUM reads itself
            warnings.simplefilter("ignore")
            t = cn2an.transform(t, "cn2an")
    except (ValueError, KeyError, IndexError):
        pass
    # dates first ("最近三天" is not a wage)
    m = _RECENT.search(t)
    if m:
        if m.group(3):
            q.within_days = {"今天": 1, "本周": 7, "这周": 7, "这个星期": 7, "本月": 31, "这个月": 31}[m.group(3)]
        else:
            n = int(m.group(1))
            q.within_days = n * {"天": 1, "日": 1, "周": 7, "星期": 7, "个月": 30, "月": 30}[m.group(2)]
        t = t[:m.start()] + " " + t[m.end():]
    # wage
    m = _RANGE.search(t)
    if m:
        unit = UNIT_OF.get(m.group("unit") or "", "month")
        lo, hi = _amount(m.group(2), m.group(3)), _amount(m.group(4), m.group(5) or m.group(3))
        if max(lo, hi) >= 50:
            q.wage_min, q.wage_max, q.wage_unit = min(lo, hi), max(lo, hi), unit
            t = t[:m.start()] + " " + t[m.end():]
    if q.wage_min is None:
        for m in _SINGLE.finditer(t):
            amount = _amount(m.group(2), m.group(3))
            if amount < 50 and not m.group("unit"):
                continue
            unit = UNIT_OF.get(m.group("unit") or "", "month")
            d = m.group("dir") or ""
            if d in ("以下", "以内", "之内", "内"):
                q.wage_max = amount
            elif d in ("左右", "上下"):
                q.wage_min, q.wage_max = round(amount * 0.8), round(amount * 1.2)
            else:
                q.wage_min = amount
            q.wage_unit = unit
            t = t[:m.start()] + " " + t[m.end():]
            break
    n = normalise(t)
    # places: towns (they name their district), then districts, longest name first
    for key, towns in places.towns.items():
        for town in towns:
            for form in (town, re.sub(r"(镇|苏木|乡|街道)$", "", town)):
                f = normalise(form)
                if len(f) >= 2 and f in n and q.town is None and f not in places.names:
                    q.town, q.district = town, key
                    n = n.replace(f, " ", 1)
    for name in sorted(places.names, key=len, reverse=True):
        if len(name) >= 2 and name in n:
            key = places.names[name]
            if q.district is None or q.district == key:
                q.district = key
            n = n.replace(name, " ", 1)
    # occupations named in the text
    for mention in cls.mentions(n):
        for c in mention.codes:
            if c not in q.occupations:
                q.occupations.append(c)
        q.occupation_words.append(cls.alias_written.get(mention.phrase, mention.phrase))
    rest = n
    for mention in sorted(cls.mentions(n), key=lambda x: -x.start):
        rest = rest[:mention.start] + " " + rest[mention.end:]
    if not q.occupations:
        for chunk in re.split(r"\s+", rest):
            hits = [r for r in cls.resolve(chunk, limit=3) if r.confidence >= 0.7]
            if hits:
                q.occupations.extend(h.code for h in hits if h.code not in q.occupations)
                q.occupation_words.append(chunk)
                rest = rest.replace(chunk, " ")
    from jiuye.ask.text import _CJK_RUN  # segmentation of the leftover words, as Ask does

    import rjieba

    q.words = [w for run in _CJK_RUN.findall(rest) for w in rjieba.cut(run) if len(w) >= 2 and w not in _STOP]
    q.words += [w for w in re.findall(r"[a-z0-9]{2,}", rest)]
    _understood(q, cls)
    return q


def _unit_word(unit: str) -> str:
    return {"month": "每月", "day": "每天", "hour": "每小时"}.get(unit, "")


def _understood(q: Query, cls) -> None:
    u = q.understood
    if q.district:
        u.append(f"地点：{q.district}" + (f"{q.town}" if q.town else ""))
    if q.occupations:
        names = "、".join(cls.name(c) for c in q.occupations[:4]) + ("等" if len(q.occupations) > 4 else "")
        said = "、".join(f"「{w}」" for w in q.occupation_words)
        u.append(f"工种：{names}" + (f"（按你说的{said}）" if said else ""))
    if q.wage_min is not None and q.wage_max is not None:
        u.append(f"工资：{_unit_word(q.wage_unit)} {money(q.wage_min)}–{money(q.wage_max)} 元")
    elif q.wage_min is not None:
        u.append(f"工资：{_unit_word(q.wage_unit)} {money(q.wage_min)} 元以上")
    elif q.wage_max is not None:
        u.append(f"工资：{_unit_word(q.wage_unit)} {money(q.wage_max)} 元以内")
    if q.within_days:
        u.append(f"发布时间：最近 {q.within_days} 天")
    if q.words:
        u.append(f"其他词语：{'、'.join(q.words)}")
    if not u:
        u.append("没有认出地点、工种或工资，按全部岗位的发布时间排列")


class SearchIndex:
    """What a query is compared with, computed once per post as numpy columns: validity, district, town,
    publication day, month-equivalent wages, occupation code at three levels (the title resolved when the
    post has none) and the normalised text for words."""

    def __init__(self, postings: list[PostingRecord]) -> None:
        cls, places, s = get_classification(), get_places(), get_settings()
        self.posts = postings
        self.ids: dict[str, dict[str, int]] = {"district": {}, "town": {}, "code": {}, "minor": {}, "middle": {}}
        n = len(postings)
        cols = {k: np.full(n, -1, np.int64) for k in ("valid", "district", "town", "published", "code", "minor", "middle")}
        self.lo, self.hi = np.full(n, np.nan), np.full(n, np.nan)
        self.codes: list[str | None] = []
        self.text: list[str] = []
        for i, p in enumerate(postings):
            code = p.occupation_code or next((r.code for r in cls.resolve(p.title, 1) if r.confidence >= 0.6), None)
            self.codes.append(code)
            cols["valid"][i] = p.valid_through.toordinal() if p.valid_through else 10 ** 7
            cols["published"][i] = p.published_on.toordinal() if p.published_on else -1
            if not p.outside_league:
                cols["district"][i] = self._id("district", places.district(p.district))
            cols["town"][i] = self._id("town", normalise(p.town) if p.town else None)
            for level, key in ((4, "code"), (3, "minor"), (2, "middle")):
                cols[key][i] = self._id(key, ancestor(code, level) if code else None)
            self.hi[i] = monthly(p.wage_max if p.wage_max is not None else p.wage_min, p.wage_unit, s)
            self.lo[i] = monthly(p.wage_min if p.wage_min is not None else p.wage_max, p.wage_unit, s)
            self.text.append(normalise(f"{p.title}{p.employer_name}{p.duties}{p.requirements}{p.benefits}"))
        self.cols = cols

    def _id(self, kind: str, value: str | None) -> int:
        if not value:
            return -1
        return self.ids[kind].setdefault(value, len(self.ids[kind]))

    def get(self, kind: str, value: str | None) -> int:
        return self.ids[kind].get(value, -2) if value else -1


def rank_postings(q: Query, postings: list[PostingRecord] | SearchIndex, day: dt.date, limit: int = 50):
    """[(post, score 0..1, reasons)] best first; posts that do not meet the query's conditions are left out.
    Pass a :class:`SearchIndex` of the live posts to answer many queries in milliseconds."""
    ix = postings if isinstance(postings, SearchIndex) else SearchIndex(postings)
    cls, s = get_classification(), get_settings()
    c = ix.cols
    keep = c["valid"] >= day.toordinal()
    if q.district:
        keep &= c["district"] == ix.get("district", q.district)
    if q.town:
        t = ix.get("town", normalise(q.town))
        keep &= (c["town"] == -1) | (c["town"] == t)
    age = np.where(c["published"] >= 0, day.toordinal() - c["published"], -1)
    if q.within_days:
        keep &= (age >= 0) & (age < q.within_days)
    want_lo = monthly(q.wage_min, q.wage_unit, s) if q.wage_min is not None else None
    want_hi = monthly(q.wage_max, q.wage_unit, s) if q.wage_max is not None else None
    with np.errstate(invalid="ignore"):
        if want_lo is not None:
            keep &= ix.hi >= want_lo
        if want_hi is not None:
            keep &= ix.lo <= want_hi
    level = np.zeros(len(ix.posts))
    if q.occupations:
        for key, value, weight in (("middle", 2, 0.3), ("minor", 3, 0.6), ("code", 4, 1.0)):
            wanted = [ix.get(key, ancestor(code, value)) for code in q.occupations]
            level = np.where(np.isin(c[key], wanted) & (c[key] >= 0), weight, level)
    words = [normalise(w) for w in q.words]
    out = []
    for i in np.flatnonzero(keep):
        hits = [q.words[k] for k, w in enumerate(words) if w and w in ix.text[i]] if words else []
        if q.occupations and level[i] == 0 and not hits:
            continue
        if q.words and not q.occupations and not hits:
            continue
        fresh = 0.5 if age[i] < 0 else 2 ** (-max(int(age[i]), 0) / s.half_life)
        score = 0.55 * level[i] + 0.25 * (len(hits) / len(q.words) if q.words else 0) + 0.2 * fresh
        out.append((ix.posts[i], round(float(score), 4), float(level[i]), ix.codes[i], hits, int(age[i])))
    out.sort(key=lambda x: (-x[1], x[0].id))
    ranked = []
    for p, score, lv, code, hits, days in out[:limit]:  # reasons only for what is shown
        reasons = []
        if q.district:
            reasons.append(f"在{q.district}" + (p.town or ""))
        if lv:
            reasons.append(f"工种「{cls.name(code)}」" + ("与你要找的一致" if lv == 1 else "与你要找的相近"))
        if hits:
            reasons.append("含有「" + "」「".join(hits) + "」")
        w = wage_text(p)
        if w and want_lo is not None:
            reasons.append(f"{w}，不低于 {money(q.wage_min)} 元")
        elif w:
            reasons.append(w)
        if days >= 0:
            reasons.append("今天发布" if days == 0 else f"{days} 天前发布")
        ranked.append((p, score, reasons))
    return ranked

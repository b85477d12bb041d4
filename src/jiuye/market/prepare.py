"""Records → columns for the matcher: places, settings and the numpy arrays of seekers and posts.

Strings become small integers through one shared :class:`Vocab` (districts, towns, occupation codes at
each level, post titles and seekers' words, certificates as bits), so that the matcher compares
integers in blocks of thousands at a time. Wages become month equivalents (data/market/matching.yaml:
21.75 days a month, 8 hours a day; piece wages stay unknown). Titles a person typed without a code
are resolved with the occupation classification (cached per distinct title).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jiuye.config import data_dir
from jiuye.market.occupations import Classification, MarketDataError, _read, ancestor, normalise
from jiuye.market.records import PostingRecord, SeekerRecord

EDUCATION_RANK = {"none": 0, "primary": 1, "junior": 2, "senior": 3, "secondary_vocational": 3, "college": 4,
                  "bachelor": 5, "master": 6, "doctor": 7}


# --- places -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Places:
    districts: tuple[str, ...]  # keys, in data/districts.yaml order
    names: dict[str, str]  # normalised key or alias → key
    towns: dict[str, tuple[str, ...]]  # district key → towns (data/market/towns.yaml)

    def district(self, text: str | None) -> str | None:
        return self.names.get(normalise(text)) if text else None


@functools.lru_cache(maxsize=4)
def _places(root: str) -> Places:
    raw = _read(Path(root) / "districts.yaml")
    keys, names = [], {}
    for d in raw.get("districts") or []:
        keys.append(d["key"])
        for n in [d["key"], *d.get("aliases", [])]:
            names[normalise(n)] = d["key"]
    return Places(tuple(keys), names, _towns(Path(root), raw, keys))


def _towns(root: Path, districts: dict, keys: list[str]) -> dict[str, tuple[str, ...]]:
    """data/market/towns.yaml: per 旗县市, its 苏木镇/乡/街道 as {name, code (9-digit 统计用区划代码)}."""
    path = root / "market" / "towns.yaml"
    prefixes = {d["key"]: tuple(d.get("codes") or ()) for d in districts.get("districts") or []}
    towns = {}
    for k, v in (_read(path).get("towns") or {}).items():
        if k not in keys:
            raise MarketDataError(f"数据文件 {path}：条目「{k}」：不是 districts.yaml 中的旗县市")
        names, codes = [], set()
        for i, t in enumerate(v or [], 1):
            name = str(t.get("name") or "").strip() if isinstance(t, dict) else ""
            code = str(t.get("code") or "") if isinstance(t, dict) else ""
            where = f"数据文件 {path}：「{k}」第 {i} 条"
            if not name:
                raise MarketDataError(f"{where}：缺少名称（name）")
            if not (len(code) == 9 and code.isdigit() and code[:6] in prefixes.get(k, ())):
                raise MarketDataError(f"{where}「{name}」：区划代码应为以本旗县市代码开头的 9 位数字")
            if name in names or code in codes:
                raise MarketDataError(f"{where}「{name}」：名称或区划代码重复")
            names.append(name)
            codes.add(code)
        towns[k] = tuple(names)
    return towns


def get_places(root: Path | None = None) -> Places:
    return _places(str(Path(root) if root else data_dir()))


# --- settings ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    days_per_month: float
    hours_per_day: float
    weights: dict[str, float]
    levels: dict[str, float]
    wage_floor_ratio: float
    half_life: float
    title_max_pairs: int
    legal_min_age: dict[dt.date, int]

    def min_age(self, day: dt.date) -> int:
        dates = [d for d in self.legal_min_age if d <= day]
        return self.legal_min_age[max(dates)] if dates else min(self.legal_min_age.values())


@functools.lru_cache(maxsize=4)
def _settings(root: str) -> Settings:
    path = Path(root) / "market" / "matching.yaml"
    raw = _read(path)
    try:
        w = {k: float(raw["weights"][k]) for k in ("occupation", "title", "wage", "town", "freshness")}
        lv = {k: float(raw["occupation_levels"][k]) for k in ("same_code", "same_minor", "same_middle")}
        s = Settings(float(raw["days_per_month"]), float(raw["hours_per_day"]), w, lv, float(raw["wage_floor_ratio"]),
                     float(raw["freshness_half_life_days"]), int(raw["title_similarity_max_pairs"]), {})
    except (KeyError, TypeError, ValueError) as exc:
        raise MarketDataError(f"数据文件 {path}：条目「{exc.args[0] if exc.args else ''}」：缺少或不是数字") from None
    age_path = Path(root) / "parameters" / "general" / "working_age_minimum.yaml"
    ages = {dt.date.fromisoformat(str(k)): int(v) for k, v in (_read(age_path).get("values") or {}).items()}
    if not ages:
        raise MarketDataError(f"数据文件 {age_path}：条目「values」：没有法定劳动年龄下限")
    return Settings(**{**s.__dict__, "legal_min_age": ages})


def get_settings(root: Path | None = None) -> Settings:
    return _settings(str(Path(root) if root else data_dir()))


def monthly(amount: float | None, unit: str, s: Settings) -> float:
    if amount is None:
        return np.nan
    return {"month": amount, "day": amount * s.days_per_month,
            "hour": amount * s.hours_per_day * s.days_per_month}.get(unit, np.nan)


def age_on(birth: dt.date | None, day: dt.date) -> float:
    if birth is None:
        return np.nan
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- vocabulary -------------------------------------------------------------------------------
@dataclass
class Vocab:
    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    items: dict[str, list[str]] = field(default_factory=dict)

    def id(self, kind: str, value: str | None) -> int:
        if not value:
            return -1
        table = self.ids.setdefault(kind, {})
        i = table.get(value)
        if i is None:
            i = table[value] = len(table)
            self.items.setdefault(kind, []).append(value)
        return i

    def get(self, kind: str, value: str | None) -> int:
        return self.ids.get(kind, {}).get(value, -2) if value else -1

    def size(self, kind: str) -> int:
        return len(self.ids.get(kind, {}))

    def item(self, kind: str, i: int) -> str:
        return self.items[kind][i]


class OverlayVocab(Vocab):
    """A request's view of a shared vocabulary: values the shared one has keep their ids; others get ids
    after its last, kept here. The shared vocabulary is never changed, so many requests (threads) can read
    it at once, and it does not grow with every seeker's words."""

    def __init__(self, base: Vocab) -> None:
        super().__init__()
        self.base = base

    def id(self, kind: str, value: str | None) -> int:
        if not value:
            return -1
        i = self.base.get(kind, value)
        if i >= 0:
            return i
        table = self.ids.setdefault(kind, {})
        i = table.get(value)
        if i is None:
            i = table[value] = self.base.size(kind) + len(table)
            self.items.setdefault(kind, []).append(value)
        return i

    def get(self, kind: str, value: str | None) -> int:
        if not value:
            return -1
        i = self.base.get(kind, value)
        return i if i >= 0 else self.ids.get(kind, {}).get(value, -2)

    def size(self, kind: str) -> int:
        return self.base.size(kind) + len(self.ids.get(kind, {}))

    def item(self, kind: str, i: int) -> str:
        n = self.base.size(kind)
        return self.base.item(kind, i) if i < n else self.items[kind][i - n]


def _pad(rows: list[list[int]], width: int | None = None) -> np.ndarray:
    w = max(1, width or max((len(r) for r in rows), default=1))
    out = np.full((len(rows), w), -1, dtype=np.int32)
    for i, r in enumerate(rows):
        if r:
            out[i, :len(r)] = r[:w]
    return out


def _cert_bits(rows: list[list[int]], words: int) -> np.ndarray:
    out = np.zeros((len(rows), max(words, 1)), dtype=np.uint64)
    for i, r in enumerate(rows):
        for b in r:
            out[i, b // 64] |= np.uint64(1) << np.uint64(b % 64)
    return out


@dataclass
class Resolver:
    """Occupation codes for a record: its codes, else its words resolved (cached per distinct title)."""
    cls: Classification
    cache: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    limit: int | None = None  # most titles kept in the cache (a long-lived index: not one more per request)

    def codes(self, codes: list[str], titles: list[str]) -> list[tuple[str, str]]:
        """[(code, the person's own word for it)] — codes as given first, then resolved titles."""
        out: list[tuple[str, str]] = []
        for i, c in enumerate(codes):
            out.append((c, titles[i] if i < len(titles) and len(codes) == len(titles) else self.cls.name(c)))
        if not codes:
            for t in titles:
                hit = self.cache.get(t)
                if hit is None:
                    hit = [(r.code, t) for r in self.cls.resolve(t, limit=2) if r.confidence >= 0.6]
                    if self.limit is None or len(self.cache) < self.limit:
                        self.cache[t] = hit  # one assignment: safe when threads share the resolver
                out.extend(h for h in hit if h[0] not in {c for c, _ in out})
        return out


def _occ_ids(vocab: Vocab, code: str) -> tuple[int, int, int]:
    return (vocab.id("occ", code if len(code.split("-")) == 4 else None), vocab.id("minor", ancestor(code, 3)),
            vocab.id("middle", ancestor(code, 2)))


@dataclass
class PostArrays:
    records: list[PostingRecord]
    district: np.ndarray  # int16 index into Places.districts; -1 outside the league / unknown
    outside: np.ndarray
    town: np.ndarray
    occ: np.ndarray
    minor: np.ndarray
    middle: np.ndarray
    title: np.ndarray
    wage_lo: np.ndarray
    wage_hi: np.ndarray
    certs: np.ndarray  # (n, words) uint64
    min_age: np.ndarray
    max_age: np.ndarray
    edu: np.ndarray
    age_days: np.ndarray
    live: np.ndarray  # not past valid_through as of the day
    occ_label: list[str]
    codes: list[str | None]  # the post's code, or the one its title resolved to


@dataclass
class SeekerArrays:
    records: list[SeekerRecord]
    districts: np.ndarray  # (n, 7-ish) bool: acceptable districts; all False = anywhere in the league
    outside: np.ndarray
    towns: np.ndarray  # (n, T) int32 padded -1
    occ: np.ndarray  # (n, K)
    minor: np.ndarray
    middle: np.ndarray
    titles: np.ndarray  # (n, K2) vocab ids of the person's own words
    expected: np.ndarray
    certs: np.ndarray
    age: np.ndarray
    edu: np.ndarray
    adult: np.ndarray  # not known to be under the legal minimum age
    occ_words: list[list[tuple[str, str]]]  # per seeker [(code, own word)]


def prepare_postings(posts: list[PostingRecord], day: dt.date, vocab: Vocab, places: Places, resolver: Resolver,
                     s: Settings) -> PostArrays:
    n = len(posts)
    dist_index = {k: i for i, k in enumerate(places.districts)}
    cols = {k: np.empty(n, dtype=np.int32) for k in ("district", "town", "occ", "minor", "middle", "title", "edu")}
    f = {k: np.full(n, np.nan, dtype=np.float32) for k in ("wage_lo", "wage_hi", "min_age", "max_age", "age_days")}
    outside, live = np.zeros(n, bool), np.ones(n, bool)
    certs, labels, post_codes = [], [], []
    for i, p in enumerate(posts):
        key = places.district(p.district)
        cols["district"][i] = dist_index.get(key, -1) if key else -1
        outside[i] = p.outside_league
        cols["town"][i] = vocab.id("town", normalise(p.town) if p.town else None)
        code = p.occupation_code
        if not code:
            hit = resolver.codes([], [p.title])
            code = hit[0][0] if hit else None
        cols["occ"][i], cols["minor"][i], cols["middle"][i] = _occ_ids(vocab, code) if code else (-1, -1, -1)
        labels.append(resolver.cls.name(code) if code else "")
        post_codes.append(code)
        cols["title"][i] = vocab.id("title", normalise(p.title))
        cols["edu"][i] = EDUCATION_RANK.get(p.education_min or "none", 0)
        f["wage_lo"][i] = monthly(p.wage_min, p.wage_unit, s)
        f["wage_hi"][i] = monthly(p.wage_max if p.wage_max is not None else p.wage_min, p.wage_unit, s)
        f["min_age"][i] = p.min_age if p.min_age is not None else np.nan
        f["max_age"][i] = p.max_age if p.max_age is not None else np.nan
        f["age_days"][i] = (day - p.published_on).days if p.published_on else np.nan
        live[i] = p.valid_through is None or p.valid_through >= day
        certs.append([vocab.id("cert", resolver.cls.certificate(c)) for c in p.required_certificates])
    words = (vocab.size("cert") + 63) // 64 + 1
    return PostArrays(posts, cols["district"], outside, cols["town"], cols["occ"], cols["minor"], cols["middle"],
                      cols["title"], f["wage_lo"], f["wage_hi"], _cert_bits(certs, words), f["min_age"], f["max_age"],
                      cols["edu"], f["age_days"], live, labels, post_codes)


def prepare_seekers(seekers: list[SeekerRecord], day: dt.date, vocab: Vocab, places: Places, resolver: Resolver,
                    s: Settings, cert_words: int | None = None) -> SeekerArrays:
    n = len(seekers)
    dist_index = {k: i for i, k in enumerate(places.districts)}
    districts = np.zeros((n, len(places.districts)), dtype=bool)
    outside = np.zeros(n, bool)
    expected, age = np.full(n, np.nan, np.float32), np.full(n, np.nan, np.float32)
    edu = np.full(n, -1, np.int32)
    towns, occ, minor, middle, titles, certs, words = [], [], [], [], [], [], []
    for i, r in enumerate(seekers):
        for d in r.districts:
            key = places.district(d)
            if key in dist_index:
                districts[i, dist_index[key]] = True
        outside[i] = r.willing_outside_league
        towns.append([vocab.id("town", normalise(t)) for t in r.towns])
        pairs = resolver.codes(list(r.desired_occupations), list(r.desired_titles))
        words.append(pairs)
        ids = [_occ_ids(vocab, c) for c, _ in pairs]
        occ.append([a for a, _, _ in ids])
        minor.append([b for _, b, _ in ids])
        middle.append([c for _, _, c in ids])
        titles.append([vocab.id("title", normalise(t)) for t in (r.desired_titles or [w for _, w in pairs])])
        expected[i] = monthly(r.expected_wage, r.expected_wage_unit, s)
        age[i] = age_on(r.birth_date, day)
        edu[i] = EDUCATION_RANK[r.education] if r.education else -1
        certs.append([vocab.id("cert", resolver.cls.certificate(c)) for c in r.certificates])
    k = max(1, max((len(o) for o in occ), default=1))
    width = cert_words or ((vocab.size("cert") + 63) // 64 + 1)
    adult = ~(age < s.min_age(day))
    return SeekerArrays(seekers, districts, outside, _pad(towns), _pad(occ, k), _pad(minor, k), _pad(middle, k),
                        _pad(titles), expected, _cert_bits(certs, width), age, edu, adult, words)

"""``jiuye synth --seekers N --postings M``: a synthetic labour market of the league.

Seekers and posts use the league's six 旗县市 (weighted by population, as in jiuye.batch.synth), the
towns of data/market/towns.yaml, real 职业 codes of data/market/occupations.yaml and the colloquial
words of data/market/occupation_aliases.yaml (a share of seekers give only their own words, a share of
posts no code: the matcher has to resolve them). Wages, ages, certificates, education, publication and
valid-through dates vary; a few seekers are under the legal working age and some posts have expired,
so that the filters have something to do. One seed gives the same files.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pyarrow as pa

from jiuye.batch.synth import DISTRICTS
from jiuye.market.occupations import get_classification
from jiuye.market.prepare import get_places

# certificates a post of this occupation (code prefix) may require, and a seeker of it may hold
CERTS = {"6-18-02-04": ["焊工证"], "6-31-01-03": ["电工证"], "6-29-03-02": ["电工证"], "4-02-02-02": ["B2驾驶证", "A2驾驶证"],
         "4-02-02-01": ["A1驾驶证", "B1驾驶证"], "6-30-05-05": ["挖掘机操作证"], "6-30-05-01": ["叉车证"],
         "4-03-02": ["健康证明"], "4-10-01-05": ["养老护理员证"], "4-10-01-01": ["育婴员证"], "2-05-08": ["护士执业证书"],
         "2-08": ["教师资格证"], "4-07-05-01": ["保安员证"], "4-10-08-01": ["健康证明"]}
# how common each 中类 is among seekers and posts of the league (relative; construction, services, farming)
MIDDLE_WEIGHT = {"6-29": 8, "4-02": 7, "4-03": 7, "4-10": 6, "4-01": 5, "5-03": 5, "5-01": 4, "6-30": 3, "6-18": 2,
                 "6-31": 2, "4-07": 3, "4-09": 2, "4-12": 2, "2-08": 1, "2-05": 1, "2-06": 1}
EMPLOYER_WORDS = ["兴安", "科尔沁", "罕山", "洮儿河", "索伦", "绰尔", "归流河", "白狼", "草原", "北疆"]
EMPLOYER_KINDS = ["建筑工程有限公司", "物流有限公司", "餐饮管理有限公司", "家政服务有限公司", "养殖专业合作社", "商贸有限公司",
                  "物业服务有限公司", "酒店管理有限公司", "农牧业科技有限公司", "汽车运输有限公司", "养老服务中心", "电子商务有限公司"]
OUTSIDE = ["辽宁省沈阳市", "吉林省长春市", "天津市滨海新区", "北京市大兴区", "内蒙古呼和浩特市"]
EDUCATION = ["primary", "junior", "senior", "secondary_vocational", "college", "bachelor"]
GROUPS = ["college_graduate", "hard_to_employ", "rural_migrant_worker", "veteran", "poverty_alleviated", "unemployed"]


def _certs_of(code: str) -> list[str]:
    for prefix in (code, code.rsplit("-", 1)[0], code.rsplit("-", 2)[0]):
        if prefix in CERTS:
            return CERTS[prefix]
    return []


def _pools():
    cls = get_classification()
    codes = [c for c, o in cls.entries.items() if o.level == 4]
    weights = np.array([MIDDLE_WEIGHT.get(c.rsplit("-", 2)[0], 0.5) for c in codes], float)
    words: dict[str, list[str]] = defaultdict(list)
    for key, targets in cls.aliases.items():
        words[targets[0]].append(cls.alias_written.get(key, key))
    return cls, codes, weights / weights.sum(), words


def _districts(rng, n: int) -> np.ndarray:
    w = np.array([d[3] for d in DISTRICTS], float)
    return np.array([d[1] for d in DISTRICTS])[rng.choice(len(DISTRICTS), size=n, p=w / w.sum())]


def _join(items) -> str:
    return "、".join(items)


def seekers(n: int, seed: int = 0, as_of: dt.date | None = None) -> pa.Table:
    rng = np.random.default_rng(seed)
    day = as_of or dt.date(2026, 6, 15)
    cls, codes, weights, words = _pools()
    towns = get_places().towns
    first = _districts(rng, n)
    second = _districts(rng, n)
    rows: dict[str, list] = defaultdict(list)
    n_occ = rng.choice([1, 2], size=n, p=[0.7, 0.3])
    occ = rng.choice(len(codes), size=(n, 2), p=weights)
    with_codes = rng.random(n) < 0.6
    spread = rng.random(n)
    age = rng.uniform(16, 60, n)
    age[rng.random(n) < 0.005] = 15.2  # under the legal minimum: never matched
    for i in range(n):
        mine = [codes[k] for k in occ[i, :n_occ[i]]]
        mine = list(dict.fromkeys(mine))
        own = [(rng.choice(words[c]) if words[c] and rng.random() < 0.8 else cls.name(c)) for c in mine]
        rows["id"].append(f"S{i + 1:07d}")
        rows["desired_titles"].append(_join(own))
        rows["desired_occupations"].append(_join(mine) if with_codes[i] else "")
        places = [] if spread[i] < 0.1 else [first[i]] if spread[i] < 0.8 or second[i] == first[i] else [first[i], second[i]]
        rows["districts"].append(_join(places))
        rows["towns"].append(str(rng.choice(towns[places[0]])) if places and places[0] in towns and rng.random() < 0.3 else "")
        rows["willing_outside_league"].append("是" if rng.random() < 0.15 else "否")
        r = rng.random()
        if r < 0.1:
            rows["expected_wage"].append(""), rows["expected_wage_unit"].append("")
        elif r < 0.2:
            rows["expected_wage"].append(str(int(rng.integers(15, 31)) * 10)), rows["expected_wage_unit"].append("日")
        else:
            rows["expected_wage"].append(str(int(rng.integers(25, 61)) * 100)), rows["expected_wage_unit"].append("月")
        rows["education"].append(str(rng.choice(EDUCATION)) if rng.random() < 0.85 else "")
        held = [c for code in mine for c in _certs_of(code) if rng.random() < 0.6]
        if rng.random() < 0.2:
            held.append("健康证")
        rows["certificates"].append(_join(dict.fromkeys(held)))
        birth = day - dt.timedelta(days=int(age[i] * 365.25))
        rows["birth_date"].append(birth.isoformat())
        rows["key_groups"].append(str(rng.choice(GROUPS)) if rng.random() < 0.3 else "")
        rows["consent_to_employers"].append("是" if rng.random() < 0.7 else "否")
        rows["registered_on"].append((day - dt.timedelta(days=int(rng.integers(0, 180)))).isoformat())
    return pa.table({k: pa.array(v, pa.string()) for k, v in rows.items()})


def postings(m: int, seed: int = 0, as_of: dt.date | None = None) -> pa.Table:
    rng = np.random.default_rng(seed + 1_000_003)
    day = as_of or dt.date(2026, 6, 15)
    cls, codes, weights, words = _pools()
    towns = get_places().towns
    district = _districts(rng, m)
    occ = rng.choice(len(codes), size=m, p=weights)
    rows: dict[str, list] = defaultdict(list)
    for j in range(m):
        code = codes[occ[j]]
        outside = rng.random() < 0.05
        rows["id"].append(f"P{j + 1:06d}")
        rows["employer_name"].append(f"{rng.choice(EMPLOYER_WORDS)}{rng.choice(EMPLOYER_KINDS)}")
        rows["title"].append(str(rng.choice(words[code])) if words[code] and rng.random() < 0.4 else cls.name(code))
        rows["occupation_code"].append(code if rng.random() < 0.85 else "")
        rows["places"].append(str(int(rng.integers(1, 6))))
        rows["district"].append("" if outside else str(district[j]))
        rows["outside_league"].append("是" if outside else "否")
        rows["town"].append("" if outside or rng.random() < 0.4 else str(rng.choice(towns[str(district[j])])))
        rows["address"].append(str(rng.choice(OUTSIDE)) if outside else "")
        r = rng.random()
        if r < 0.05:
            lo = hi = ""
            unit = "月"
        elif r < 0.2:
            base = int(rng.integers(15, 36)) * 10
            lo, hi, unit = str(base), str(base + int(rng.integers(0, 6)) * 10), "日"
        else:
            base = int(rng.integers(25, 56)) * 100
            lo, hi, unit = str(base), str(base + int(rng.integers(5, 21)) * 100), "月"
        rows["wage_min"].append(lo), rows["wage_max"].append(hi), rows["wage_unit"].append(unit)
        need = _certs_of(code)
        rows["required_certificates"].append(str(need[0]) if need and rng.random() < 0.4 else "")
        rows["min_age"].append("18" if rng.random() < 0.3 else "")
        rows["max_age"].append(str(int(rng.integers(45, 61))) if rng.random() < 0.3 else "")
        rows["education_min"].append(str(rng.choice(EDUCATION[:4])) if rng.random() < 0.2 else "")
        rows["social_insurance"].append("是" if rng.random() < 0.7 else "")
        published = day - dt.timedelta(days=int(rng.integers(0, 60)))
        rows["published_on"].append(published.isoformat())
        rows["valid_through"].append((published + dt.timedelta(days=int(rng.integers(20, 91)))).isoformat())
    return pa.table({k: pa.array(v, pa.string()) for k, v in rows.items()})

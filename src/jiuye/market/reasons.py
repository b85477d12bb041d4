"""Why a post fits a seeker (said to the seeker) and why a seeker fits a post (said to the employer or
staff), in plain Chinese built from the records' values. No identity data: a seeker is described by
what they registered, never by name or 身份证号."""
from __future__ import annotations

import math

from jiuye.market.occupations import ancestor, normalise
from jiuye.market.records import EDUCATION_LABELS, KEY_GROUP_LABELS, WAGE_UNIT_LABELS

UNIT_WORD = {"month": "月薪", "day": "日薪", "hour": "时薪", "piece": "计件工资"}


def money(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def wage_text(p) -> str:
    if p.wage_min is None and p.wage_max is None:
        return ""
    word = UNIT_WORD[p.wage_unit]
    if p.wage_min is not None and p.wage_max is not None and p.wage_max != p.wage_min:
        amount = f"{money(p.wage_min)}–{money(p.wage_max)}"
    else:
        amount = money(p.wage_max if p.wage_max is not None else p.wage_min)
    unit = "元" if p.wage_unit in ("month", "day", "hour") else WAGE_UNIT_LABELS[p.wage_unit]
    return f"{word} {amount} {unit}"


def _expected_text(r) -> str:
    unit = {"month": "月薪", "day": "日薪", "hour": "时薪", "piece": "计件"}[r.expected_wage_unit]
    return f"{unit} {money(r.expected_wage)} 元"


def _post(m, j: int) -> dict:
    """What the reasons say about post j, computed once per post."""
    cache = m.__dict__.setdefault("_post_frag", {})
    f = cache.get(j)
    if f is None:
        p = m.posts.records[j]
        code = m.posts.codes[j]
        age = ""
        if p.min_age is not None and p.max_age is not None:
            age = f"符合岗位年龄要求（{p.min_age}–{p.max_age} 岁）"
        elif p.min_age is not None:
            age = f"符合岗位年龄要求（{p.min_age} 岁以上）"
        elif p.max_age is not None:
            age = f"符合岗位年龄要求（{p.max_age} 岁以下）"
        certs = "、".join(f"「{c}」" for c in p.required_certificates)
        days = (m.day - p.published_on).days if p.published_on is not None else None
        hi = float(m.posts.wage_hi[j])
        f = cache[j] = {
            "hi": None if math.isnan(hi) else hi, "unit": p.wage_unit, "title": p.title,
            "code": code, "minor": ancestor(code, 3) if code else None, "middle": ancestor(code, 2) if code else None,
            "name": m.cls.name(code) if code else p.title, "wage": wage_text(p), "district": m.places_name(p.district),
            "town": p.town or "", "town_n": normalise(p.town) if p.town else "",
            "outside": (f"盟外岗位（{p.address}）" if p.address else "盟外岗位") if p.outside_league else "",
            "certs": certs, "age": age, "insurance": "缴纳社会保险" if p.social_insurance else "",
            "published": "" if days is None else "今天发布" if days <= 0 else f"{days} 天前发布",
        }
    return f


def _seeker(m, i: int) -> dict:
    cache = m.__dict__.setdefault("_seeker_frag", {})
    f = cache.get(i)
    if f is None:
        r = m.seekers.records[i]
        exp = float(m.seekers.expected[i])
        f = cache[i] = {
            "occ": [(c, w, ancestor(c, 3), ancestor(c, 2)) for c, w in m.seekers.occ_words[i]],
            "towns": {normalise(t) for t in r.towns}, "exp": None if math.isnan(exp) else exp,
            "exp_text": f"你的期望 {money(r.expected_wage)} 元" if r.expected_wage is not None else "",
            "unit": r.expected_wage_unit, "anywhere": not r.districts, "has_occ": bool(m.seekers.occ_words[i]),
        }
    return f


def _occupation(m, i: int, j: int, p: dict | None = None, k: dict | None = None) -> tuple[int, str, str]:
    """(3 same 职业 / 2 same 小类 / 1 same 中类 / 0, the seeker's word, the shared group's name)."""
    p = p or _post(m, j)
    if not p["code"]:
        return 0, "", ""
    best = (0, "", "")
    for code, word, minor, middle in (k or _seeker(m, i))["occ"]:
        if code == p["code"]:
            return 3, word, p["name"]
        if minor and minor == p["minor"] and best[0] < 2:
            best = (2, word, minor)
        elif middle and middle == p["middle"] and best[0] < 1:
            best = (1, word, middle)
    return (best[0], best[1], m.cls.name(best[2])) if best[0] else best


def _title_word(m, i: int, j: int) -> str | None:
    """The seeker's own word most similar to the post title, when similar enough (≥ 60)."""
    if m.title_sim is None:
        return None
    S, P = m.seekers, m.posts
    best, word = 0, None
    for t in S.titles[i]:
        if t >= 0:
            sim = int(m.title_sim[t, P.title[j]])
            if sim > best:
                best, word = sim, t
    return None if best < 60 or word is None else m.vocab.items["title"][word]


def _place(p: dict, k: dict, you: bool) -> str:
    if p["outside"]:
        return f"{p['outside']}，{'你' if you else '本人'}登记了愿意到盟外工作"
    district, town = p["district"], p["town"]
    chose_town = bool(p["town_n"]) and p["town_n"] in k["towns"]
    if you:
        if chose_town:
            return f"就在你选的{district}{town}"
        if not k["anywhere"]:
            return f"在你想去的{district}{town}"
        return f"在{district}{town}（你没有限定工作地点）"
    if chose_town:
        return f"愿意在{district}{town}工作"
    return "没有限定工作地点" if k["anywhere"] else f"愿意在{district}工作"


def place_you(f: dict, category: int) -> str:
    """category: 0 outside the league, 1 a town the seeker chose, 2 a district they chose, 3 no place chosen."""
    if category == 0:
        return f"{f['outside']}，你登记了愿意到盟外工作"
    if category == 1:
        return f"就在你选的{f['district']}{f['town']}"
    if category == 2:
        return f"在你想去的{f['district']}{f['town']}"
    return f"在{f['district']}{f['town']}（你没有限定工作地点）"


def occupation_you(level: int, word: str, post_name: str, group: str) -> str:
    if level == 3:
        return f"工种与你登记的「{word}」一致"
    if level == 2:
        return f"工种「{post_name}」与你登记的「{word}」同属「{group}」"
    return f"工种「{post_name}」与你登记的「{word}」同属「{group}」一类"


def other_job_you(m, i: int, j: int, f: dict, has_occ: bool) -> str:
    similar = _title_word(m, i, j)
    if similar:
        return f"岗位「{f['title']}」与你说的「{similar}」相近"
    return f"工种「{f['name']}」与你登记的工作不同，但其他条件合适" if has_occ else ""


def compare_you(exp: float, hi: float, seeker_unit: str, post_unit: str) -> str:
    """The middle of the wage reason: 不低于/低于 … (with the conversion note when units differ)."""
    return ("不低于" if hi >= exp else "低于"), ("（按每月 21.75 个计薪日折算）" if seeker_unit != post_unit else "")


def tail_you(f: dict) -> list[str]:
    out = ["你有岗位要求的" + f["certs"]] if f["certs"] else []
    return out + [x for x in (f["age"], f["insurance"], f["published"]) if x]


def seeker_reasons(m, i: int, j: int) -> list[str]:
    """Why post j suits seeker i, said to the seeker. (reason_columns builds the same text in bulk.)"""
    f, k = _post(m, j), _seeker(m, i)
    if f["outside"]:
        cat = 0
    elif f["town_n"] and f["town_n"] in k["towns"]:
        cat = 1
    else:
        cat = 3 if k["anywhere"] else 2
    out = [place_you(f, cat)]
    level, word, group = _occupation(m, i, j, f, k)
    occ = occupation_you(level, word, f["name"], group) if level else other_job_you(m, i, j, f, k["has_occ"])
    if occ:
        out.append(occ)
    if f["wage"]:
        if k["exp"] is not None and f["hi"] is not None:
            verb, note = compare_you(k["exp"], f["hi"], k["unit"], f["unit"])
            out.append(f"{f['wage']}{verb}{k['exp_text']}{note}")
        else:
            out.append(f["wage"])
    else:
        out.append("工资面议")
    return out + tail_you(f)


def posting_reasons(m, i: int, j: int) -> list[str]:
    """Why seeker i suits post j, said to the employer or staff (no identity data)."""
    r, f, k = m.seekers.records[i], _post(m, j), _seeker(m, i)
    out = [_place(f, k, False)]
    level, word, group = _occupation(m, i, j, f, k)
    if level == 3:
        out.append(f"登记想做「{word}」，与本岗位工种一致")
    elif level:
        out.append(f"登记想做「{word}」，与本岗位同属「{group}」")
    elif r.desired_titles:
        out.append(f"登记想做「{'、'.join(r.desired_titles[:3])}」")
    if r.expected_wage is not None:
        exp, hi = k["exp"], f["hi"]
        tail = ""
        if exp is not None and hi is not None:
            tail = "，不高于本岗位工资" if exp <= hi else "，高于本岗位工资"
        out.append(f"期望{_expected_text(r)}{tail}")
    if f["certs"]:
        out.append("持有岗位要求的" + f["certs"])
    if r.education:
        out.append(f"学历{EDUCATION_LABELS[r.education]}")
    if r.key_groups:
        out.append("属于" + "、".join(KEY_GROUP_LABELS[g] for g in r.key_groups))
    if r.available_from is not None:
        out.append("现在可以上岗" if r.available_from <= m.day else f"{r.available_from.isoformat()} 起可以上岗")
    return out

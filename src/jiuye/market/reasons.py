"""Why a post fits a seeker (said to the seeker) and why a seeker fits a post (said to the employer or
staff), in plain Chinese built from the records' values. No identity data: a seeker is described by
what they registered, never by name or 身份证号."""
from __future__ import annotations

import math

from jiuye.market.occupations import ancestor
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


def _occupation(m, i: int, j: int) -> tuple[int, str, str]:
    """(level 3 same 职业 / 2 same 小类 / 1 same 中类 / 0, the seeker's word, the shared group's name)."""
    P, cls = m.posts, m.cls
    post_code = _post_code(m, j)
    best = (0, "", "")
    if not post_code:
        return best
    for code, word in m.seekers.occ_words[i]:
        if code == post_code:
            return 3, word, cls.name(post_code)
        for level, depth in ((2, 3), (1, 2)):
            a = ancestor(code, depth)
            if a and a == ancestor(post_code, depth) and level > best[0]:
                best = (level, word, cls.name(a))
    return best


def _post_code(m, j: int) -> str | None:
    p = m.posts.records[j]
    if p.occupation_code:
        return p.occupation_code
    hit = m.cls.resolve(p.title, limit=1)
    return hit[0].code if hit and hit[0].confidence >= 0.6 else None


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
    return None if best < 60 or word is None else _vocab_title(m, word)


def _vocab_title(m, tid: int) -> str:
    return m.vocab.items["title"][tid]


def _place(m, i: int, j: int, you: bool) -> str:
    r, p = m.seekers.records[i], m.posts.records[j]
    if p.outside_league:
        where = f"盟外岗位（{p.address}）" if p.address else "盟外岗位"
        return f"{where}，{'你' if you else '本人'}登记了愿意到盟外工作"
    district = m.places_name(p.district)
    town = f"{p.town}" if p.town else ""
    chose_town = p.town and any(m.same_town(t, p.town) for t in r.towns)
    if you:
        if chose_town:
            return f"就在你选的{district}{town}"
        if r.districts:
            return f"在你想去的{district}" + (town if town else "")
        return f"在{district}{town}（你没有限定工作地点）"
    if chose_town:
        return f"愿意在{district}{town}工作"
    return f"愿意在{district}工作" if r.districts else "没有限定工作地点"


def seeker_reasons(m, i: int, j: int) -> list[str]:
    """Why post j suits seeker i, said to the seeker."""
    r, p = m.seekers.records[i], m.posts.records[j]
    out = [_place(m, i, j, True)]
    level, word, group = _occupation(m, i, j)
    post_name = m.cls.name(_post_code(m, j)) if _post_code(m, j) else p.title
    if level == 3:
        out.append(f"工种与你登记的「{word}」一致")
    elif level == 2:
        out.append(f"工种「{post_name}」与你登记的「{word}」同属「{group}」")
    elif level == 1:
        out.append(f"工种「{post_name}」与你登记的「{word}」同属「{group}」一类")
    else:
        similar = _title_word(m, i, j)
        if similar:
            out.append(f"岗位「{p.title}」与你说的「{similar}」相近")
        elif m.seekers.occ_words[i]:
            out.append(f"工种「{post_name}」与你登记的工作不同，但其他条件合适")
    wage = wage_text(p)
    if wage:
        exp = m.seekers.expected[i]
        hi = m.posts.wage_hi[j]
        if r.expected_wage is not None and not math.isnan(exp) and not math.isnan(hi):
            verb = "不低于" if hi >= exp else "低于"
            note = "（按每月 21.75 个计薪日折算）" if r.expected_wage_unit != p.wage_unit else ""
            out.append(f"{wage}{verb}你的期望 {money(r.expected_wage)} 元{note}")
        else:
            out.append(wage)
    else:
        out.append("工资面议")
    if p.required_certificates:
        out.append("你有岗位要求的" + "、".join(f"「{c}」" for c in p.required_certificates))
    if p.min_age is not None or p.max_age is not None:
        out.append(f"符合岗位年龄要求（{p.min_age or 16}–{p.max_age or '不限'} 岁）")
    if p.social_insurance:
        out.append("缴纳社会保险")
    if p.published_on is not None:
        days = (m.day - p.published_on).days
        out.append("今天发布" if days <= 0 else f"{days} 天前发布")
    return out


def posting_reasons(m, i: int, j: int) -> list[str]:
    """Why seeker i suits post j, said to the employer or staff (no identity data)."""
    r, p = m.seekers.records[i], m.posts.records[j]
    out = [_place(m, i, j, False)]
    level, word, group = _occupation(m, i, j)
    if level == 3:
        out.append(f"登记想做「{word}」，与本岗位工种一致")
    elif level:
        out.append(f"登记想做「{word}」，与本岗位同属「{group}」")
    elif r.desired_titles:
        out.append(f"登记想做「{'、'.join(r.desired_titles[:3])}」")
    if r.expected_wage is not None:
        exp, hi = m.seekers.expected[i], m.posts.wage_hi[j]
        tail = ""
        if not math.isnan(exp) and not math.isnan(hi):
            tail = "，不高于本岗位工资" if exp <= hi else "，高于本岗位工资"
        out.append(f"期望{_expected_text(r)}{tail}")
    if p.required_certificates:
        out.append("持有岗位要求的" + "、".join(f"「{c}」" for c in p.required_certificates))
    if r.education:
        out.append(f"学历{EDUCATION_LABELS[r.education]}")
    if r.key_groups:
        out.append("属于" + "、".join(KEY_GROUP_LABELS[g] for g in r.key_groups))
    if r.available_from is not None:
        out.append("现在可以上岗" if r.available_from <= m.day else f"{r.available_from.isoformat()} 起可以上岗")
    return out

"""The seekers' reasons for a whole batch at once: the same sentences as
:func:`jiuye.market.reasons.seeker_reasons`, built from numpy arrays of (seeker, post) pairs. Each
fragment (place, occupation, wage, the post's own facts) is formatted once per distinct case and the
pieces are joined as object arrays, so a million pairs cost about a second, not a minute."""
from __future__ import annotations

import numpy as np

from jiuye.market.reasons import _post, compare_you, money, occupation_you, other_job_you, place_you, tail_you


def _per_post(m, J: np.ndarray, make) -> np.ndarray:
    uj, inv = np.unique(J, return_inverse=True)
    return np.array([make(_post(m, int(j))) for j in uj] + [""], dtype=object)[:-1][inv]


def _word_ids(m) -> tuple[np.ndarray, list[str]]:
    cached = m.__dict__.get("_word_ids")
    if cached is None:
        S = m.seekers
        ids: dict[str, int] = {}
        W = np.full(S.occ.shape, -1, np.int64)
        for i, pairs in enumerate(S.occ_words):
            for q, (_, w) in enumerate(pairs[:W.shape[1]]):
                W[i, q] = ids.setdefault(w, len(ids))
        cached = m.__dict__["_word_ids"] = (W, list(ids))
    return cached


def seeker_reason_texts(m, I: np.ndarray, J: np.ndarray) -> np.ndarray:
    """Reasons (one string per pair, fragments joined by "，") for seekers I and posts J."""
    S, P = m.seekers, m.posts
    n = len(I)
    if n == 0:
        return np.array([], dtype=object)
    # place
    town_ok = (P.town[J] >= 0) & (S.towns[I] == P.town[J][:, None]).any(axis=1)
    anywhere = ~S.districts[I].any(axis=1)
    cat = np.where(P.outside[J], 0, np.where(town_ok, 1, np.where(anywhere, 3, 2)))
    key = J.astype(np.int64) * 4 + cat
    uk, inv = np.unique(key, return_inverse=True)
    place = np.array([place_you(_post(m, int(k // 4)), int(k % 4)) for k in uk] + [""], dtype=object)[:-1][inv]
    # occupation: the first of the seeker's occupations at the best level
    level = np.zeros(n, np.int64)
    q_best = np.zeros(n, np.int64)
    for q in range(S.occ.shape[1]):
        so, sm, sd = S.occ[I, q], S.minor[I, q], S.middle[I, q]
        lv = np.where((so >= 0) & (so == P.occ[J]), 3,
                      np.where((sm >= 0) & (sm == P.minor[J]), 2, np.where((sd >= 0) & (sd == P.middle[J]), 1, 0)))
        better = lv > level
        level = np.where(better, lv, level)
        q_best = np.where(better, q, q_best)
    W, words = _word_ids(m)
    word = W[I, q_best]
    post_occ = P.occ[J].astype(np.int64)  # determines the post's name and its 小类/中类
    occ = np.full(n, "", dtype=object)
    has = level > 0
    if has.any():
        big = np.int64(1 << 20)
        okey = (level[has] * big + word[has]) * big + post_occ[has] + 1
        ukeys, oinv = np.unique(okey, return_inverse=True)
        first = {int(k): int(np.flatnonzero(has)[idx]) for k, idx in zip(*np.unique(okey, return_index=True))}
        texts = []
        for k in ukeys:
            row = first[int(k)]
            f = _post(m, int(J[row]))
            lv = int(level[row])
            group = f["name"] if lv == 3 else m.cls.name(f["minor"] if lv == 2 else f["middle"])
            texts.append(occupation_you(lv, words[int(word[row])], f["name"], group))
        occ[has] = np.array(texts + [""], dtype=object)[:-1][oinv]
    for row in np.flatnonzero(~has):  # other jobs: rare in a top list (blocking), formatted one by one
        occ[row] = other_job_you(m, int(I[row]), int(J[row]), _post(m, int(J[row])), bool(S.occ_words[int(I[row])]))
    occ = np.where(occ == "", "", occ + "，").astype(object)
    # wage
    wage = _per_post(m, J, lambda f: f["wage"])
    exp, hi = S.expected[I], P.wage_hi[J]
    comparable = ~np.isnan(exp) & ~np.isnan(hi) & (wage != "")
    texts: dict = {}
    exp_text = np.array([texts.setdefault(r.expected_wage, f"你的期望 {money(r.expected_wage)} 元")
                         if r.expected_wage is not None else "" for r in S.records] + [""], dtype=object)[:-1]
    units_s = np.array([r.expected_wage_unit for r in S.records], dtype=object)
    units_p = np.array([p.wage_unit for p in P.records], dtype=object)
    verb = np.where(hi >= exp, "不低于", "低于").astype(object)
    note = np.where(units_s[I] != units_p[J], compare_you(1, 1, "month", "day")[1], "").astype(object)
    wage_part = np.where(wage == "", "工资面议", np.where(comparable, wage + verb + exp_text[I] + note, wage)).astype(object)
    tail = _per_post(m, J, lambda f: "".join("，" + x for x in tail_you(f)))
    return place + "，" + occ + wage_part + tail

"""One answer everywhere (issue 17, item 3): what the questionnaire, the procedures and the screening
say about who a policy is for, and whether the system computes it, agree with the catalogue.

Before: the 「找工作」 group listed 就业见习补贴 — a subsidy paid to the unit — so a young person was told
"本政策面向用人单位" although 003 says "离校2年内未就业高校毕业生、16-24岁失业青年均可参加，期间可获得基本
生活费"; and 企业职工培训补贴 was introduced as "本项是可计算政策，系统不作计算" (computable, not computed).
The windows of the catalogue and the rules are compared in test_windows_agree.py.
"""
from __future__ import annotations

import datetime as dt

import pytest

from jiuye.cases.procedures import get_procedures
from jiuye.screening import default_screener
from jiuye.web.pages.find import get_questionnaire


def test_a_group_lists_only_policies_for_its_subject_or_its_participants(kb):
    def ok(g, pid):
        p = kb.policies[pid]
        return g.subject in p.for_ or (p.participant is not None and p.participant.subject == g.subject)

    wrong = [(g.key, pid) for g in get_questionnaire().groups.values() for pid in (g.policies or []) if not ok(g, pid)]
    assert not wrong, f"groups listing policies that are not for their subject: {wrong}"


def test_a_young_person_is_offered_the_internship_and_the_unit_its_subsidy(kb):
    """003: "离校2年内未就业高校毕业生、16-24岁失业青年均可参加，期间可获得基本生活费" — the young person is
    told they can join (not 「本政策面向用人单位」), with the quote; the policy id stays the unit's subsidy."""
    day = dt.date(2026, 11, 24)
    person = {r.policy: r for r in default_screener().screen({"district": "乌兰浩特市"}, day).results}
    r = person["youth_internship_subsidy"]
    assert r.status == "needs_information"
    assert "均可参加见习" in r.reasons[0].text and "不适用" not in r.reasons[0].text
    assert "youth_internship" not in kb.policies  # no catalogue entry beyond the fixed ids
    unit = {r.policy: r for r in default_screener().screen({"district": "乌兰浩特市", "subject": "enterprise"}, day).results}
    assert unit["youth_internship_subsidy"].status != "not_eligible" or "不适用" not in unit["youth_internship_subsidy"].reasons[0].text
    procs = get_procedures()
    assert procs["youth_internship"].policy == procs["youth_internship_subsidy"].policy == "youth_internship_subsidy"
    assert procs["youth_internship"].applicant == "person" and procs["youth_internship_subsidy"].applicant == "enterprise"
    # another policy's person (not a participant) is still told 不适用
    assert "不适用" in person["graduate_hiring_subsidy"].reasons[0].text


def test_every_procedure_is_for_someone_its_policy_is_for_or_its_participant(kb):
    def ok(p):
        pol = kb.policies[p.policy]
        return p.applicant in pol.for_ or (pol.participant is not None and pol.participant.subject == p.applicant)

    wrong = [p.id for p in get_procedures().values() if not ok(p)]
    assert not wrong, f"procedures whose applicant the policy is not for (the screening would refuse every case): {wrong}"


def test_a_policy_with_several_procedures_names_each(kb):
    by_policy: dict[str, list] = {}
    for p in get_procedures().values():
        by_policy.setdefault(p.policy, []).append(p)
    several = {k: v for k, v in by_policy.items() if len(v) > 1}
    assert {"employment_card", "youth_internship_subsidy"} <= set(several)
    for group in several.values():
        assert len({p.variant for p in group}) == len(group) and None not in {p.variant for p in group}
    assert {p.variant for p in several["employment_card"]} == {"申领", "更换", "补发"}


@pytest.mark.parametrize("subject", ["person", "enterprise"])
def test_a_policy_the_system_does_not_compute_says_why(subject, kb):
    facts = {"district": "乌兰浩特市"} | ({"subject": "enterprise"} if subject == "enterprise" else {})
    for r in default_screener().screen(facts, dt.date(2026, 11, 24)).results:
        p = kb.policies[r.policy]
        if subject not in p.for_ or r.computed or r.status == "window_closed":
            continue
        text = r.reasons[0].text
        if p.kind == "computed":  # the documents give the standards; the rules are missing: say that, not "计算政策不计算"
            assert "还没有这一项的计算规则" in text and "可计算政策" not in text, (r.policy, text)
        else:
            assert "系统不作计算" in text, (r.policy, text)

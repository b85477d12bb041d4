"""Three people walk 政策找人 → apply on a 360 px phone (issue 14): a graduate who types her 身份证号,
a first-time founder who would rather not, a laid-off woman of 52 who types hers. Each chooses what she
wants on the start page, answers the questions by their labels (checklist rows by their words), sees
the result, follows 「在网上申请」 from it, registers and files the case. Every page passes the checks of
`page_checks` (axe-core, no horizontal scroll, nothing from outside, csrf_token in POST forms)."""
from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

import pytest

from jiuye.idcard import check_char
from test_journeys import page_checks, register_and_apply, walk_find


def _id_number(region: str, birth: str, female: bool) -> str:
    seq = secrets.randbelow(450) * 2 + 100 + (0 if female else 1)
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + check_char(first17)


PERSONAS = [
    ("找工作", "graduate", {  # 科右前旗, graduated 2025, never worked since
        "id_card": _id_number("152221", "20030315", True), "college_graduate": "1", "is_unemployed": "1",
        "job_seeking": "1", "college_leaving_date": "2025-07-01", "employed_since_leaving_college": "0"}),
    ("创业", "founder", {  # 乌兰浩特市, no 身份证号 given: birth month, sex and district answered
        "birth_date": "1992-08", "sex": "male", "district": "乌兰浩特市", "has_or_plans_business": "1",
        "is_first_business": "1", "business_in_xing_an": "1", "self_employment_registered": "1"}),
    ("领失业保险金", "laid_off", {  # 扎赉特旗, 52, laid off, 12 years of contributions
        "id_card": _id_number("152223", "19740510", True), "is_unemployed": "1", "registered_unemployed": "1",
        "ui_insured": "1", "contribution_years": "12", "involuntary_separation": "1"}),
]


@pytest.mark.parametrize("goal,who,facts", PERSONAS, ids=[p[1] for p in PERSONAS])
def test_a_person_finds_her_policies_and_applies_on_a_phone(phone, goal, who, facts):
    page = phone
    page.goto("/find")
    page_checks(page)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=re.compile(goal)).first.click()
    steps = walk_find(page, facts)
    assert len(steps) <= 5, steps
    assert ("id_card" in facts) == ("birth_date" not in {k for step in steps for k in step}), steps
    assert "政策找人结果" in page.title() or "您可以享受的政策" in page.inner_text("h1")
    if "id_card" in facts:
        assert facts["id_card"] not in page.url and facts["id_card"] not in page.content()
    page_checks(page)

    link = page.get_by_role("link", name="在网上申请").first
    target = urlsplit(link.get_attribute("href")).path.rsplit("/", 1)[-1]
    with page.expect_navigation():
        link.click()
    username = f"p{who[:6]}{secrets.randbelow(10**6):06d}"
    id_number = facts.get("id_card") or _id_number("152201", "19920801", False)
    case_path = register_and_apply(page, username, "试用者", id_number, "", policy=target)
    assert re.fullmatch(r"/my/cases/\d+", case_path)
    assert "申请已提交" in page.inner_text("main") and id_number not in page.content()

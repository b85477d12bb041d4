"""The LPR for 创业担保贷款 贴息 (issue 17, item 4): a value the documents do not carry past their
examples. Like the minimum-wage tiers (tests/test_minimum_wage.py) it is a dated rules parameter
(general.lpr_one_year_bp) staff enter in the console with their own source; until then the answer
stays "needs information", naming the LPR and saying staff enter it; after, the 贴息 split uses the
entered value and the reason names who entered it and on what basis.

A temporary SQLite database with the demo users and a data dir whose parameters/ is a copy.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases_support import configured, data_with_writable_parameters, database
from jiuye.cases.demo import DEMO_PASSWORD

LPR = "general.lpr_one_year_bp"
FIRM = {"subject": "enterprise", "district": "乌兰浩特市", "enterprise_category": "small",
        "current_employees": 100, "new_qualifying_hires": 15, "serious_violation_record": False}
SOURCE = "中国人民银行授权全国银行间同业拆借中心公布的贷款市场报价利率（测试用：2025年10月20日）"


def _loan(day: str):
    from jiuye.screening import default_screener

    res = default_screener().screen(FIRM, dt.date.fromisoformat(day))
    return next(r for r in res.results if r.policy == "startup_loan_small_business")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lpr")
    data = data_with_writable_parameters(tmp)
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_DATA_DIR", str(data))
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "lpr-test-secret")
    mp.setenv("JIUYE_TODAY", "2026-03-01")
    mp.setenv("JIUYE_PARAMETERS_CHECK_SECONDS", "0")
    from jiuye.cases import parameter_sync

    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            parameter_sync.forget()
            yield engine
    finally:
        from jiuye.cases.parameters import reload_rules
        from jiuye.rules import PARAMETERS_DIR

        reload_rules(Path(PARAMETERS_DIR))
        parameter_sync.forget()
        mp.undo()


def _client(username: str):
    from fastapi.testclient import TestClient

    from jiuye.web.app import create_app

    c = TestClient(create_app())
    r = c.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    r = c.post("/console/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token,
                                       "next": "/console"}, follow_redirects=False)
    assert r.status_code == 303
    return c


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_before_staff_enter_it_the_loan_names_the_missing_lpr_and_who_sets_it(env):
    r = _loan("2026-03-01")
    assert r.status == "eligible" and r.amount is None
    assert [u.parameter for u in r.unknown_parameters] == [LPR]
    label = r.unknown_parameters[0].label
    assert "LPR" in label and "2025年10月20日起" in label and "须由工作人员在工作台录入" in label
    assert any("还需要" in x.text and "LPR" in x.text for x in r.reasons)
    assert not any(re.search(r"(?<![\d.])0 元", x.text) for x in r.reasons)  # never "0 元"
    # before the gap the documents' own examples apply: 3.65 % in 2022-08 → the borrower pays 2.15 %
    r22 = _loan("2022-09-01")
    assert r22.unknown_parameters == []
    assert any("3.65%" in x.text and "2.15%" in x.text for x in r22.reasons), [x.text for x in r22.reasons]


def test_the_console_editor_refuses_a_community_clerk_and_takes_the_centres_entry(env):
    from jiuye.cases.parameters import get_parameter

    sq = _client("sq_wlht")
    page = sq.get(f"/console/parameters/{LPR}")
    assert page.status_code == 200
    r = sq.post(f"/console/parameters/{LPR}", data={"csrf_token": _csrf(page.text), "value": "300",
                                                      "start": "2025-10-20", "source": SOURCE})
    assert r.status_code == 403 and "盟中心" in r.text
    assert get_parameter(LPR).values[0]["value"] is None

    mz = _client("mz")
    page = mz.get(f"/console/parameters/{LPR}")
    r = mz.post(f"/console/parameters/{LPR}", data={"csrf_token": _csrf(page.text), "value": "300",
                                                      "start": "2025-10-20", "source": SOURCE,
                                                      "comment": "按人民银行公布的一年期LPR录入"},
                follow_redirects=False)
    assert r.status_code == 303, r.text
    first = get_parameter(LPR).values[0]
    assert first["start"] == "2025-10-20" and first["value"] == 300
    ref = first["reference"][0]
    assert ref["title"] == SOURCE and ref["role"] == "league_center" and ref["entered_by"]

    with Session(env) as s:
        from jiuye.cases.models import User

        name = s.scalar(select(User.display_name).where(User.username == "mz"))
    r = _loan("2026-03-01")
    assert r.unknown_parameters == []
    line = next(x for x in r.reasons if "LPR" in x.text and "贴息" in x.text)
    assert "LPR 3% − 1.5% = 1.5%" in line.text  # LPR 3 % − 150BP = 1.5 % borne by the firm
    assert f"由工作人员{name}于" in line.text and SOURCE in line.text
    (cited,) = [c for c in line.references if c.parameter == LPR]
    assert (cited.value, cited.entered_by, cited.title) == (300, name, SOURCE)

"""Rules parameters changed from the console (issue 13, items 5 and 13):

- every numeric parameter has a type, a unit and plausible bounds in its YAML metadata, checked
  when the rules load;
- hostile values and dates are refused with a Chinese reason naming the field, nothing written;
- an edit adds a new dated value (editor, reason) and never overwrites a cited one;
- amounts in fen are int64: a large but in-bounds amount no longer wraps to a negative int32;
- another server process (sharing the database and the parameter files) screens with the new
  value after its next version check.

A temporary SQLite database with the demo users and a data dir whose parameters/ is a copy.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases_support import configured, data_with_writable_parameters, database
from jiuye.config import REPO_ROOT

LOAN = "startup_loan.small_business_max"  # 元, 3 000 000 in the documents
RATE = "job_retention_refund.refund_rate.sme"
FIRM = {"subject": "enterprise", "district": "乌兰浩特市", "enterprise_category": "small",
        "current_employees": 100, "new_qualifying_hires": 15, "serious_violation_record": False}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("params")
    data = data_with_writable_parameters(tmp)
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_DATA_DIR", str(data))
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "params-test-secret")
    mp.setenv("JIUYE_TODAY", "2026-03-01")
    mp.setenv("JIUYE_PARAMETERS_CHECK_SECONDS", "0")
    from jiuye.cases import parameter_sync

    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            parameter_sync.forget()
            yield {"engine": engine, "data": data, "url": url, "tmp": tmp}
    finally:
        from jiuye.cases.parameters import reload_rules
        from jiuye.rules import PARAMETERS_DIR

        reload_rules(Path(PARAMETERS_DIR))  # the rules of this process read the repository's values again
        parameter_sync.forget()
        mp.undo()


def _user(engine, username: str):
    from jiuye.cases.models import User

    with Session(engine, expire_on_commit=False) as s:
        return s.scalar(select(User).where(User.username == username))


def _edit(env, path: str, value: str, start: str = "2026-04-01", source: str = "测试依据", **kw):
    from jiuye.cases.parameters import edit_parameter

    with Session(env["engine"], expire_on_commit=False) as s:
        return edit_parameter(s, _user(env["engine"], "mz"), path, value, start, source, **kw)


def _edits(env, path: str) -> int:
    from jiuye.cases.parameters import ParameterEdit

    with Session(env["engine"]) as s:
        return s.scalar(select(func.count()).select_from(ParameterEdit).where(ParameterEdit.parameter == path))


# --- metadata ------------------------------------------------------------------------------------
def test_every_numeric_parameter_has_a_type_a_unit_and_bounds():
    from openfisca_core.parameters import ParameterNode

    from jiuye.rules import parameter_meta as M

    node = ParameterNode("", directory_path=str(REPO_ROOT / "data" / "parameters"))
    assert M.problems(node) == []
    numeric = [p for p in M.leaves(node) if M.value_kind(p) == "number"]
    assert len(numeric) > 100
    for p in numeric:
        spec = M.spec_of(p)
        assert spec.unit in M.units() and spec.value_type in ("int", "float") and spec.minimum <= spec.maximum, p.name
        for v in p.values_list:
            assert v.value is None or spec.minimum <= v.value <= spec.maximum, (p.name, v.instant_str)
    money = [p for p in numeric if M.spec_of(p).unit == "currency-CNY"]
    assert money and all(M.spec_of(p).minimum >= 0 for p in money)  # no negative amounts


def test_a_parameter_file_without_bounds_or_with_a_value_outside_them_is_refused_on_load(tmp_path):
    from jiuye.rules import parameter_meta as M
    from jiuye.rules import build_system

    shutil.copytree(REPO_ROOT / "data" / "parameters", tmp_path / "p")
    tbs = build_system()
    f = tmp_path / "p" / "startup_subsidy" / "amount.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("  maximum: 50000\n", ""), encoding="utf-8")
    params = tbs.parameters
    with pytest.raises(M.ParameterMetadataError, match="startup_subsidy.amount: metadata lacks maximum"):
        tbs.load_parameters(str(tmp_path / "p"))
    f.write_text(text.replace("  maximum: 50000\n", "  maximum: 1000\n"), encoding="utf-8")
    with pytest.raises(M.ParameterMetadataError, match="startup_subsidy.amount from .*超出合理范围"):
        tbs.load_parameters(str(tmp_path / "p"))
    assert tbs.parameters is params  # the rules keep the parameters they had


def test_every_parameter_and_node_has_a_description():
    """What a policy expert reads in the console, and a string in the OpenFisca Web API (its spec
    does not allow null): every parameter, scale and node, the root included."""
    from openfisca_core.parameters import ParameterNode

    from jiuye.rules import parameter_meta as M

    node = ParameterNode("", directory_path=str(REPO_ROOT / "data" / "parameters"))
    assert M.description_problems(node) == []
    items = list(M._described(node))
    assert len(items) > 150 and any(isinstance(i, ParameterNode) for i in items[1:])
    for item in items:
        assert isinstance(item.description, str) and item.description.strip(), item.name


def test_the_console_list_gives_each_parameter_its_description_and_the_nodes_it_sits_in():
    from jiuye.cases.parameters import list_parameters

    items = {p.path: p for p in list_parameters(dt.date(2026, 3, 1), REPO_ROOT / "data" / "parameters")}
    assert items and all(p.description.strip() for p in items.values())
    male = items["general.retirement.delay.step_months.male"]
    assert male.description == "男职工：每多少个月延迟一个月"
    parts = male.context.split(" › ")  # general › retirement › delay › step_months (the root left out)
    assert len(parts) == 4 and parts[0].startswith("通用参数") and parts[1].startswith("法定退休年龄"), male.context
    assert parts[2].startswith("渐进式延迟法定退休年龄") and parts[3] == "每多少个月延迟一个月", male.context


@pytest.mark.parametrize("rel,old,name", [
    # a leaf inside a file
    ("startup_loan/max_term_months.yaml", "  description: 个人创业担保贷款最长期限（月）\n",
     "参数「startup_loan.max_term_months.individual」"),
    # a file's own node (a parameter file with children)
    ("youth_internship/rate.yaml", "description: 见习补贴标准占一类地区最低工资标准的比例\n", "参数节点「youth_internship.rate」"),
    # a folder's node, described in its index.yaml (empty text counts as none)
    ("unemployment_insurance/index.yaml", None, "参数节点「unemployment_insurance」"),
])
def test_a_parameter_file_without_a_description_is_refused_on_load(tmp_path, rel, old, name):
    from jiuye.rules import build_system
    from jiuye.rules import parameter_meta as M

    shutil.copytree(REPO_ROOT / "data" / "parameters", tmp_path / "p")
    tbs = build_system()
    f = tmp_path / "p" / rel
    text = f.read_text(encoding="utf-8")
    if old is None:
        first, rest = text.split("\n", 1)
        assert first.startswith("description: ")
        changed = 'description: "  "\n' + rest
    else:
        assert old in text
        changed = text.replace(old, "")
    f.write_text(changed, encoding="utf-8")
    params = tbs.parameters
    with pytest.raises(M.ParameterMetadataError) as refused:
        tbs.load_parameters(str(tmp_path / "p"))
    message = str(refused.value)
    assert f"parameters/{rel}：{name}没有说明（description）" in message, message
    assert str(tmp_path) not in message  # the file is named, not the server's folders
    assert tbs.parameters is params  # the rules keep the parameters they had
    f.write_text(text, encoding="utf-8")
    tbs.load_parameters(str(tmp_path / "p"))  # restored: loads again


# --- refused edits ---------------------------------------------------------------------------------
HOSTILE_VALUES = [
    (LOAN, "1e308", "不是数字"), (LOAN, "1" + "0" * 400, "超出合理范围"), (LOAN, "0.0000001", "小数位过多"),
    (LOAN, "-1", "负数"), (LOAN, "-0.01", "负数"), (LOAN, "NaN", "不是数字"), (LOAN, "inf", "不是数字"),
    (LOAN, "Infinity", "不是数字"), (LOAN, "１２３", "全角"), (LOAN, "1２3", "全角"), (LOAN, "١٢٣", "半角"),
    (LOAN, "3000000元", "不是数字"), (LOAN, "0x10", "不是数字"), (LOAN, "1_000", "不是数字"),
    (LOAN, "60000000", "超出合理范围"), (LOAN, " ", "新数值为空"),
    (RATE, "1.5", "超出合理范围"), (RATE, "0.0000001", "小数位过多"), (RATE, "-0.1", "负数"),
    ("startup_loan.max_term_months.individual", "36.5", "整数"),
    ("general.minimum_wage.district_tier.jalaid", "4", "超出合理范围"),
]


@pytest.mark.parametrize("path,value,needle", HOSTILE_VALUES)
def test_hostile_values_are_refused_with_the_field_and_change_nothing(env, path, value, needle):
    from jiuye.cases.parameters import ParameterError, get_parameter

    before = {p.name: p.read_bytes() for p in (env["data"] / "parameters").rglob("*.yaml")}
    n = _edits(env, path)
    with pytest.raises(ParameterError) as err:
        _edit(env, path, value)
    assert err.value.field == "value" and err.value.status == 422
    assert needle in str(err.value) and str(err.value).startswith("新数值"), str(err.value)
    assert {p.name: p.read_bytes() for p in (env["data"] / "parameters").rglob("*.yaml")} == before
    assert _edits(env, path) == n
    assert get_parameter(path).spec is not None


@pytest.mark.parametrize("start,needle", [
    ("0001-01-01", "过早"), ("9999-12-31", "过远"), ("2032-01-01", "过远"), ("２０２６-０４-０１", "YYYY-MM-DD"),
    ("2026-4-1", "YYYY-MM-DD"), ("2026-02-30", "YYYY-MM-DD"), ("2020-06-01", "早于现行数值的生效日期 2021-01-01"),
    ("2021-01-01", "不能覆盖"),
])
def test_hostile_dates_are_refused(env, start, needle):
    from jiuye.cases.parameters import ParameterError

    f = env["data"] / "parameters" / "startup_loan" / "index.yaml"
    files = {p: p.read_bytes() for p in (env["data"] / "parameters" / "startup_loan").glob("*.yaml")}
    with pytest.raises(ParameterError) as err:
        _edit(env, LOAN, "3500000", start=start)
    assert err.value.field == "start" and needle in str(err.value), str(err.value)
    assert {p: p.read_bytes() for p in files} == files and f.exists()


def test_console_names_the_field_in_chinese(env):
    from fastapi.testclient import TestClient

    from jiuye.cases.demo import DEMO_PASSWORD
    from jiuye.web.app import create_app

    import re

    c = TestClient(create_app())
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/console/login").text).group(1)
    c.post("/console/login", data={"username": "mz", "password": DEMO_PASSWORD, "csrf_token": token, "next": "/console"})
    page = c.get(f"/console/parameters/{LOAN}").text
    assert "合理范围：0 至 50,000,000 元" in page
    # a leaf's own description is short ("第1至12个月"): the page names the nodes it sits in
    ui = c.get("/console/parameters/unemployment_insurance.rate.months_1_12").text
    assert "<h1>第1至12个月</h1>" in ui and "失业保险金发放标准占统筹地区最低工资标准的比例" in ui
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for value, start, needle in (("１２３", "2026-04-01", "新数值「１２３」含有全角"),
                                 ("1e308", "2026-04-01", "新数值「1e308」不是数字"),
                                 ("3500000", "9999-12-31", "生效日期「9999-12-31」过远")):
        r = c.post(f"/console/parameters/{LOAN}", data={"value": value, "start": start, "source": "x",
                                                         "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 422 and needle in r.text and 'aria-invalid="true"' in r.text, (value, r.status_code)


# --- a good edit adds a dated value ------------------------------------------------------------------
def test_an_edit_adds_a_dated_value_with_editor_and_reason_and_keeps_every_cited_value(env):
    f = env["data"] / "parameters" / "startup_subsidy" / "amount.yaml"
    old = yaml.safe_load(f.read_text(encoding="utf-8"))["values"]
    row = _edit(env, "startup_subsidy.amount", "6,000", start="2026-05-01", source="兴安盟测试通知〔2026〕1号",
                comment="提高标准")
    new = yaml.safe_load(f.read_text(encoding="utf-8"))
    assert {k: v for k, v in new["values"].items() if k != dt.date(2026, 5, 1)} == old  # cited values intact
    entry = new["values"][dt.date(2026, 5, 1)]
    assert entry["value"] == 6000 and isinstance(entry["value"], int)
    ref = entry["metadata"]["reference"][0]
    assert ref["title"] == "兴安盟测试通知〔2026〕1号" and "mz" in ref["note"] and "提高标准" in ref["note"]
    assert new["metadata"]["maximum"] == 50000  # the metadata stays
    assert (row.new_value, row.old_value, row.replaced, row.user_role) == (6000, 5000, None, "league_center")
    # a second edit at the same date is refused (it would overwrite the value just cited)
    from jiuye.cases.parameters import ParameterError

    with pytest.raises(ParameterError, match="不能覆盖"):
        _edit(env, "startup_subsidy.amount", "7000", start="2026-05-01")


def test_a_date_the_sources_left_without_a_value_may_be_filled(env):
    """The LPR has no value from 2025-10-20 (not confirmed): filling that date is no overwrite."""
    from jiuye.cases.parameters import get_parameter

    info = get_parameter("general.lpr_one_year_bp")
    assert info.values[0]["value"] is None and info.values[1]["value"] is not None
    start = info.values[0]["start"]
    assert start == "2025-10-20"
    row = _edit(env, "general.lpr_one_year_bp", "300", start=start)
    assert row.replaced is not None and row.replaced["value"] is None and row.old_value is None
    assert get_parameter("general.lpr_one_year_bp").values[0] == {**get_parameter("general.lpr_one_year_bp").values[0],
                                                                   "start": start, "value": 300}


# --- money in 64 bits -----------------------------------------------------------------------------
def test_a_large_in_bounds_amount_does_not_wrap_to_a_negative_number(env):
    """25 000 000 元 = 2 500 000 000 fen > 2**31 - 1: in int32 it became −1 794 967 296 fen."""
    from jiuye.rules import build_system
    from jiuye.screening import default_screener

    _edit(env, LOAN, "25000000", start="2025-01-01", source="测试：大额上限")
    res = default_screener().screen(FIRM, dt.date(2025, 6, 15))  # (the LPR is known then)
    loan = next(r for r in res.results if r.policy == "startup_loan_small_business")
    assert loan.status == "eligible"
    assert loan.amount_fen == 2_500_000_000 and loan.amount == 25_000_000
    tbs = build_system()
    money = [v for name, v in tbs.variables.items() if name.endswith("_fen") and v.value_type is int]
    assert len(money) > 20 and all(v.dtype == np.int64 for v in money)


def test_batch_what_if_values_are_bounded_too():
    from jiuye.batch.plan import WhatIfError, parse_sets

    assert parse_sets([f"{LOAN}=4000000"]) == [(LOAN, 4000000)]
    for bad in ("1e308", "-5", ".nan"):
        with pytest.raises(WhatIfError, match=LOAN):
            parse_sets([f"{LOAN}={bad}"])


# --- several processes ------------------------------------------------------------------------------
def test_another_process_edit_reaches_this_processs_screening(env):
    """Two processes share the database and the parameter files: the other one edits (as a console
    worker would), this one's /api/screen uses the new value at its next version check."""
    from fastapi.testclient import TestClient

    from jiuye.web.app import create_app

    client = TestClient(create_app())
    body = {"profile": FIRM, "as_of": "2025-08-15"}

    def amount():
        r = client.post("/api/screen", json=body)
        assert r.status_code == 200, r.text
        return next(x for x in r.json()["results"] if x["policy"] == "startup_loan_small_business")["amount_fen"]

    first = amount()
    assert first > 0
    code = textwrap.dedent(f"""
        from sqlalchemy import select
        from sqlalchemy.orm import Session
        from jiuye.store import db
        from jiuye.cases.models import User
        from jiuye.cases.parameters import edit_parameter
        engine = db.make_engine({env['url']!r})
        with Session(engine, expire_on_commit=False) as s:
            me = s.scalar(select(User).where(User.username == "mz"))
            edit_parameter(s, me, {LOAN!r}, "4200000", "2025-08-01", "另一进程的修改")
    """)
    envvars = {**os.environ, "JIUYE_DATA_DIR": str(env["data"]), "JIUYE_DATABASE_URL": env["url"]}
    done = subprocess.run([sys.executable, "-c", code], env=envvars, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert amount() == 420_000_000 != first

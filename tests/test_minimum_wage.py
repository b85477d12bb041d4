"""Amounts after 2021-11 (issue 14, item 3): the autonomous region's minimum wages and the league's
unemployment-insurance base.

- the minimum-wage values carry their notice (official page where found, else the reprint used,
  said so), and the 2025 classes, which were not found, have no value;
- 公益性岗位 in 乌兰浩特市 on 2025-06-01 is the 二类 figure, and its reason names the notice;
- 失业保险金 after 2021-11 needs the league's base, which no source states: the reply says staff
  enter it; once a staff member has entered it in the console (service level here), screening and
  the roster batch use it and the reasons name the staff member and the basis they gave.

A temporary SQLite database with the demo users and a data dir whose parameters/ is a copy.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases_support import configured, data_with_writable_parameters, database
from jiuye.config import REPO_ROOT

MW = REPO_ROOT / "data" / "parameters" / "general" / "minimum_wage"
BASE = "unemployment_insurance.pooling_minimum_wage"
LAID_OFF = {"subject": "person", "district": "乌兰浩特市", "birth_date": "1980-01-01", "sex": "male",
            "contribution_years": 5, "involuntary_separation": True, "registered_unemployed": True,
            "job_seeking": True, "is_unemployed": True, "receiving_pension": False, "ui_stop_event": False,
            "has_spouse": False}
CERTIFIED = {"subject": "person", "district": "乌兰浩特市", "birth_date": "1980-03-01", "sex": "male",
             "hard_to_employ_certified": True}


def _result(profile: dict, day: str, policy: str):
    from jiuye.screening import default_screener

    res = default_screener().screen(profile, dt.date.fromisoformat(day))
    return next(r for r in res.results if r.policy == policy)


# --- the data --------------------------------------------------------------------------------------
def _values(path: Path, *keys: str) -> dict:
    node = yaml.safe_load(path.read_text(encoding="utf-8"))
    for k in keys:
        node = node[k]
    return {str(k): v for k, v in node["values"].items()}


@pytest.mark.parametrize("tier,figures", [(1, (1980, 2270, 2380)), (2, (1910, 2200, 2310)), (3, (1850, 2140, 2250))])
def test_each_monthly_figure_carries_the_sentence_that_states_it(tier, figures):
    values = _values(MW / f"tier_{tier}.yaml")
    assert [values[d]["value"] for d in ("2021-12-01", "2024-12-01", "2025-12-01")] == list(figures)
    for day, entry in values.items():
        refs = entry["metadata"]["reference"]
        assert all(r.get("title") and r.get("href") and r.get("quote") and "official" in r for r in refs), day
        # the figure is in the quoted sentence of at least one reference ("2,380" in the English summary)
        assert any(str(entry["value"]) in r["quote"].replace(",", "") for r in refs), (day, entry["value"])
        # a foreign third-party summary is never the only nor the first source
        assert "china-payroll" not in refs[0]["href"], day
        # where no official page was found, the reference says so
        for r in refs:
            if not r["official"]:
                assert "转载" in r["title"] + r.get("note", "") or "第三方" in r["title"] + r.get("note", ""), r
    assert values["2021-12-01"]["metadata"]["reference"][0]["href"].startswith("https://www.nmg.gov.cn/")


def test_the_league_classes_are_cited_and_2025s_are_left_open():
    from jiuye.rules import build_system

    p = build_system().parameters.general.minimum_wage.district_tier
    for day in ("2021-12-01", "2024-12-01", "2025-11-30"):
        assert p.ulanhot(day) == 2
        assert [p.arxan(day), p.horqin_right_front(day), p.horqin_right_middle(day), p.jalaid(day), p.tuquan(day)] == [3] * 5
    for name in ("ulanhot", "arxan", "horqin_right_front", "horqin_right_middle", "jalaid", "tuquan"):
        assert getattr(p, name)("2025-12-01") is None  # the 2025 annex was not found
    raw = yaml.safe_load((MW / "district_tier.yaml").read_text(encoding="utf-8"))
    values = {str(k): v for k, v in raw["ulanhot"]["values"].items()}
    assert "兴安盟乌兰浩特市" in values["2024-12-01"]["metadata"]["reference"][0]["quote"]
    assert "未找到" in values["2025-12-01"]["metadata"]["reference"][0]["note"]


def test_hourly_figures_and_the_conflicting_one_left_open():
    from jiuye.rules import build_system

    h = build_system().parameters.general.minimum_wage.hourly
    assert (h.tier_1("2022-01-01"), h.tier_2("2022-01-01"), h.tier_3("2022-01-01")) == (20.8, 20.1, 19.5)
    assert (h.tier_1("2025-01-01"), h.tier_2("2025-01-01"), h.tier_3("2025-01-01")) == (22.4, 21.7, 21.1)
    assert (h.tier_1("2026-01-01"), h.tier_2("2026-01-01")) == (23.5, 22.8)
    assert h.tier_3("2026-01-01") is None  # 22.2 in one reprint, 22.0 in the other


def test_the_league_base_is_open_on_every_date_the_regional_figures_changed():
    from jiuye.rules import build_system

    base = build_system().parameters.unemployment_insurance.pooling_minimum_wage
    assert base("2021-11-30") == 1560
    assert base("2021-12-01") is None and base("2024-12-01") is None and base("2025-12-01") is None
    doc = yaml.safe_load((REPO_ROOT / "data" / "parameters" / "unemployment_insurance" / "pooling_minimum_wage.yaml")
                         .read_text(encoding="utf-8"))["metadata"]["documentation"]
    assert "NOT used as a value" in doc and "console" in doc


# --- screening with the data as published ----------------------------------------------------------
def test_public_welfare_post_in_ulanhot_2025_gives_the_tier_2_figure_with_its_notice():
    r = _result(CERTIFIED, "2025-06-01", "public_welfare_post")
    assert r.status == "eligible" and r.amount == 2200.0
    amount = next(x for x in r.reasons if "岗位工资补贴" in x.text)
    assert "乌兰浩特市属二类地区" in amount.text and "2,200 元" in amount.text
    assert "内政办发〔2024〕46号" in amount.text and "据转载" in amount.text
    refs = {x.parameter: x for x in amount.references}
    assert set(refs) == {"general.minimum_wage.district_tier.ulanhot", "general.minimum_wage.tier_2"}
    assert refs["general.minimum_wage.tier_2"].value == 2200 and refs["general.minimum_wage.tier_2"].official is False
    assert "2200元" in refs["general.minimum_wage.tier_2"].quote
    assert refs["general.minimum_wage.tier_2"].href.startswith("https://")
    # a 三类 area, the same day
    r = _result({**CERTIFIED, "district": "突泉县"}, "2025-06-01", "public_welfare_post")
    assert r.amount == 2140.0 and "突泉县属三类地区" in next(x.text for x in r.reasons if "岗位工资补贴" in x.text)


def test_public_welfare_post_after_2025_12_asks_for_the_district_class_staff_can_enter():
    r = _result(CERTIFIED, "2026-01-15", "public_welfare_post")
    assert r.status == "eligible" and r.amount is None
    assert [u.parameter for u in r.unknown_parameters] == ["general.minimum_wage.district_tier.ulanhot"]
    assert "须由工作人员在工作台录入" in r.unknown_parameters[0].label and "2025年12月1日" in r.unknown_parameters[0].label


@pytest.mark.parametrize("day", ["2021-12-01", "2023-06-01", "2025-06-01", "2026-03-01"])
def test_ui_benefit_after_2021_11_needs_the_staff_entered_base(day):
    r = _result(LAID_OFF, day, "unemployment_insurance_benefit")
    assert r.status == "eligible" and r.amount is None and r.months == 14
    assert [u.parameter for u in r.unknown_parameters] == [BASE]
    assert "须由工作人员在工作台录入" in r.unknown_parameters[0].label


def test_ui_benefit_before_2021_12_still_uses_000s_base():
    r = _result(LAID_OFF, "2021-11-15", "unemployment_insurance_benefit")
    assert r.amount == 1404.0 and r.unknown_parameters == []
    text = next(x.text for x in r.reasons if "统筹地区最低工资标准" in x.text and "1,560" in x.text)
    assert "工作人员" not in text  # 000 gives it: no staff entry, no notice cited


# --- a staff entry, used by screening and the batch -------------------------------------------------
@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("minwage")
    data = data_with_writable_parameters(tmp)
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_DATA_DIR", str(data))
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "minwage-test-secret")
    mp.setenv("JIUYE_TODAY", "2026-03-01")
    mp.setenv("JIUYE_PARAMETERS_CHECK_SECONDS", "0")
    from jiuye.cases import parameter_sync

    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            parameter_sync.forget()
            yield {"engine": engine, "data": data, "tmp": tmp}
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


def _edit(env, path: str, value: str, start: str, source: str, username: str = "mz", comment: str = ""):
    from jiuye.cases.parameters import edit_parameter

    with Session(env["engine"], expire_on_commit=False) as s:
        return edit_parameter(s, _user(env["engine"], username), path, value, start, source, comment)


SOURCE = "兴安盟人力资源和社会保障局关于失业保险金发放标准的通知（测试用文号〔2021〕1号）"


def test_staff_fill_the_gap_of_the_sources_and_screening_names_them(env):
    from jiuye.cases.parameters import ParameterError, get_parameter

    # a cited span is still protected: before the newest value, only a gap of the sources may be filled
    with pytest.raises(ParameterError, match="2021-12-01") as err:
        _edit(env, BASE, "1600", "2021-06-01", SOURCE)
    assert err.value.field == "start"
    # a 社区 user cannot
    with pytest.raises(ParameterError) as err:
        _edit(env, BASE, "1910", "2021-12-01", SOURCE, username="sq_wlht")
    assert err.value.status == 403
    assert get_parameter(BASE).values[-2]["value"] is None  # 2021-12-01, untouched

    row = _edit(env, BASE, "1910", "2021-12-01", SOURCE, comment="按乌兰浩特市所属二类地区标准")
    mz = _user(env["engine"], "mz")
    assert row.replaced is not None and row.replaced["value"] is None and row.old_value is None
    values = {v["start"]: v for v in get_parameter(BASE).values}
    assert values["2021-12-01"]["value"] == 1910
    ref = values["2021-12-01"]["reference"][0]
    assert ref["title"] == SOURCE and ref["entered_by"] == mz.display_name and ref["role"] == "league_center"
    assert values["2024-12-01"]["value"] is None  # the next change date stays open

    # 失业保险金 in 2022: 1910 × 90% = 1719.00 元, and the reason names the staff member and the basis
    r = _result(LAID_OFF, "2022-03-01", "unemployment_insurance_benefit")
    assert r.status == "eligible" and r.amount == 1719.0 and r.unknown_parameters == []
    why = next(x for x in r.reasons if "统筹地区最低工资标准" in x.text and "1,910" in x.text)
    assert f"由工作人员{mz.display_name}于" in why.text and SOURCE in why.text
    (cited,) = why.references
    assert (cited.parameter, cited.value, cited.entered_by, cited.title) == (BASE, 1910, mz.display_name, SOURCE)
    assert cited.entered_at == ref["entered_at"] and cited.since == dt.date(2021, 12, 1)
    # 失业补助金 (80 % of the benefit) in 2022-06: 1719.00 × 80% = 1375.20 元
    ran_out = {**LAID_OFF, "ui_benefit_exhausted": True, "ui_benefit_end_date": "2022-04-30"}
    a = _result(ran_out, "2022-06-01", "unemployment_assistance")
    assert a.status == "eligible" and a.amount == 1375.2 and a.months == 6
    why = next(x for x in a.reasons if "统筹地区最低工资标准 1,910 元 × 90%" in x.text)
    assert f"由工作人员{mz.display_name}于" in why.text and SOURCE in why.text
    # after the next regional change the base is open again
    r = _result(LAID_OFF, "2025-06-01", "unemployment_insurance_benefit")
    assert r.amount is None and [u.parameter for u in r.unknown_parameters] == [BASE]


def test_staff_enter_the_2025_class_and_the_batch_uses_it(env, tmp_path):
    from jiuye.batch import Options, run
    from jiuye.batch.synth import id_numbers

    import numpy as np

    day = dt.date(2026, 1, 15)
    ulanhot = "general.minimum_wage.district_tier.ulanhot"
    id_number = id_numbers(np.array(["152201"]), np.array(["1980-03-01"], dtype="datetime64[D]"), np.array([7]))[0]
    src = tmp_path / "roster.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["身份证号", "旗县市", "就业困难人员"])
        w.writerow([id_number, "乌兰浩特市", "是"])

    def batch_amount(name: str):
        out = run(Options(input=src, output=tmp_path / name, as_of=day, progress=False, chart=False,
                          policies=["public_welfare_post"]))
        import pyarrow.parquet as pq

        rows = [r for r in pq.read_table(out.paths.output).to_pylist() if r["policy"] == "public_welfare_post"]
        assert len(rows) == 1
        return rows[0]["amount_fen"]

    assert batch_amount("before.parquet") is None  # the 2025 class is not in the sources
    _edit(env, ulanhot, "2", "2025-12-01", "内蒙古自治区人民政府办公厅关于调整自治区最低工资标准的通知（2025年）附件（测试）")
    assert batch_amount("after.parquet") == 231000  # 二类 2310.00 元
    r = _result(CERTIFIED, day.isoformat(), "public_welfare_post")
    assert r.amount == 2310.0
    text = next(x.text for x in r.reasons if "岗位工资补贴" in x.text)
    assert "乌兰浩特市属二类地区" in text and "由工作人员" in text and "2,310 元" in text

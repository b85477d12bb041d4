"""The review flags of a post: what the law forbids, found in the text (and not where the text says
the opposite), the minimum wage from the rules' parameters as of the review day (unknown said so),
social insurance; each flag quoting its rule from data/market/review_rules.yaml. The data files are
validated on load with Chinese messages naming the file and the entry."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from jiuye.config import REPO_ROOT
from jiuye.knowledge.loader import DataError
from jiuye.market import review
from jiuye.market.records import PostingRecord
from jiuye.market.settings import load_review_rules, load_settings, review_rules

KNOWN = dt.date(2025, 6, 1)  # the 2024-12-01 notice is in force: tiers and amounts known


def post(**kw) -> PostingRecord:
    base = {"id": "t", "employer_name": "测试单位", "title": "普工", "district": "乌兰浩特市", "wage_min": 4000,
            "wage_unit": "month", "social_insurance": True}
    return PostingRecord.model_validate({**base, **kw})


def rules_of(p: PostingRecord, day: dt.date = KNOWN, level: str = "flag") -> set[str]:
    return {f["rule"] for f in review.flags_for(p, day) if f["level"] == level}


@pytest.mark.parametrize("text,rule", [
    ("限男性", "gender"), ("仅限女", "gender"), ("男士优先", "gender"), ("性别：男", "gender"), ("已婚已育", "gender"),
    ("限汉族", "ethnicity"), ("汉族优先", "ethnicity"), ("无宗教信仰", "religion"),
    ("乙肝五项正常", "hepatitis_b"), ("体检含两对半", "hepatitis_b"),
    ("入职交押金500元", "fees"), ("需缴纳报名费", "fees"), ("培训费自理", "fees"), ("入职押身份证", "fees"),
])
def test_forbidden_conditions_are_flagged(text, rule):
    assert rule in rules_of(post(requirements=text)), text


@pytest.mark.parametrize("text", ["男女不限", "性别不限", "不收押金", "无任何押金、报名费", "培训费由公司承担", "免培训费",
                                  "体检不查乙肝", "蒙汉兼通者可教授蒙古语课程", "身体健康，能吃苦"])
def test_what_says_the_opposite_is_not_flagged(text):
    assert rules_of(post(requirements=text)) == set(), text


def test_each_flag_quotes_its_rules_with_sources():
    laws = review_rules().laws
    for f in review.flags_for(post(requirements="限男性，交押金，乙肝检查，汉族，信教者勿扰", social_insurance=None,
                                   wage_min=100), KNOWN):
        assert f["laws"], f["rule"]
        for law in f["laws"]:
            assert law["document"].startswith("《") and law["article"].startswith("第") and len(law["text"]) > 10
            assert law["source"] and law["checked"]
    by_rule = {f["rule"]: f for f in review.flags_for(post(requirements="限男性，交押金"), KNOWN)}
    assert "第二十七条" in {law["article"] for law in by_rule["gender"]["laws"]}
    assert "第九条" in {law["article"] for law in by_rule["fees"]["laws"]}
    assert by_rule["gender"]["found"] and "限男性" in by_rule["gender"]["found"]
    assert {"employment_promotion_27", "employment_promotion_28", "employment_promotion_30", "labour_contract_9",
            "employment_services_20", "labour_law_48"} <= set(laws)


def test_minimum_wage_from_the_rules_as_of_the_day():
    mw = review.minimum_wage("乌兰浩特市", KNOWN)
    zl = review.minimum_wage("扎赉特旗", KNOWN)
    assert mw.amount is not None and zl.amount is not None and mw.tier == 2 and zl.tier == 3
    assert mw.amount > zl.amount and mw.sources  # the references the parameters carry
    assert "minimum_wage" in rules_of(post(wage_min=mw.amount - 1), KNOWN)
    assert "minimum_wage" not in rules_of(post(wage_min=mw.amount), KNOWN)
    assert "minimum_wage" not in rules_of(post(wage_min=zl.amount, district="扎赉特旗"), KNOWN)
    flag = next(f for f in review.flags_for(post(wage_min=mw.amount - 1), KNOWN) if f["rule"] == "minimum_wage")
    assert f"{mw.amount:,.0f}" in flag["found"] and flag["sources"]
    # the standard changes with the day: the 2021 notice's amount was lower
    old = review.minimum_wage("乌兰浩特市", dt.date(2022, 6, 1))
    assert old.amount is not None and old.amount < mw.amount


def test_minimum_wage_unknown_is_said_not_guessed():
    from jiuye.screening import default_screener

    params = default_screener().tbs.parameters.general.minimum_wage.district_tier.children["ulanhot"]
    unknown_from = next(v.instant_str for v in params.values_list if v.value is None)
    day = dt.date.fromisoformat(unknown_from) + dt.timedelta(days=1)
    mw = review.minimum_wage("乌兰浩特市", day)
    assert mw.amount is None and "无法比较" in mw.text()
    flags = review.flags_for(post(wage_min=100), day)
    f = next(f for f in flags if f["rule"] == "minimum_wage")
    assert f["level"] == "unknown" and "无法比较" in f["found"]
    # day wages and places outside the league are never compared with a monthly standard
    assert next(f for f in review.flags_for(post(wage_min=100, wage_unit="day"), KNOWN)
                if f["rule"] == "minimum_wage")["level"] == "unknown"
    assert next(f for f in review.flags_for(post(district=None, outside_league=True, wage_min=100), KNOWN)
                if f["rule"] == "minimum_wage")["level"] == "unknown"


def test_social_insurance_missing_or_refused():
    assert "social_insurance" in rules_of(post(social_insurance=None))
    assert "social_insurance" in rules_of(post(social_insurance=False))
    assert "social_insurance" not in rules_of(post(social_insurance=True))


@pytest.fixture()
def data_copy(tmp_path):
    dst = tmp_path / "data"
    (dst / "market").mkdir(parents=True)
    for name in ("settings.yaml", "review_rules.yaml"):
        shutil.copy(REPO_ROOT / "data" / "market" / name, dst / "market" / name)
    return dst


def _edit(path, fn):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_data_files_are_validated_naming_file_and_entry(data_copy):
    load_settings(data_copy)
    load_review_rules(data_copy)
    _edit(data_copy / "market" / "review_rules.yaml", lambda d: d["rules"][0]["laws"].append("no_such_law"))
    with pytest.raises(DataError, match="review_rules.yaml.*no_such_law"):
        load_review_rules(data_copy)
    _edit(data_copy / "market" / "settings.yaml", lambda d: d["registration"].update(valid_days=0))
    with pytest.raises(DataError, match=r"settings\.yaml.*registration\.valid_days"):
        load_settings(data_copy)
    _edit(data_copy / "market" / "settings.yaml", lambda d: d["registration"].update(valid_days=90, source=""))
    with pytest.raises(DataError, match="source"):
        load_settings(data_copy)  # a figure says where it comes from (or that no source was found)


def test_bad_pattern_is_a_data_error(data_copy):
    _edit(data_copy / "market" / "review_rules.yaml", lambda d: d["rules"][0]["patterns"].append("(unclosed"))
    with pytest.raises(DataError, match="正则表达式"):
        load_review_rules(data_copy)

"""What people type, read (jiuye.screening.typed): a table of inputs and the values they give."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiuye.screening import typed

NUMBERS = [
    # typed, unit of the question, value
    ("12", "年", "12"),
    ("12年", "年", "12"),
    ("十二年", "年", "12"),
    ("十二", "年", "12"),
    ("12.5年", "年", "12.5"),
    ("一年半", "年", "1.5"),
    ("半年", "年", "0.5"),
    ("18个月", "年", "1.5"),
    ("２年", "年", "2"),  # full-width digit
    ("两年", "年", "2"),
    ("三个月", "个月", "3"),
    ("1年", "个月", "12"),
    ("1,234.50元", "元", "1234.50"),
    ("1.5万元", "元", "15000"),
    ("一万二千", "元", "12000"),
    ("3.45%", "%", "3.45"),
    ("二十", None, "20"),
    ("40 小时", "小时", "40"),
]


@pytest.mark.parametrize("raw,unit,expected", NUMBERS)
def test_numbers_as_people_type_them(raw, unit, expected):
    assert typed.number(raw, unit) == Decimal(expected)


@pytest.mark.parametrize("raw,unit", [("十二人", "年"), ("abc", "年"), ("", "年"), ("很多", None), ("12岁半", "年"),
                                      ("1/2", None), ("NaN", None)])
def test_what_is_not_a_number_is_refused_in_chinese(raw, unit):
    with pytest.raises(typed.TypedError) as exc:
        typed.number(raw, unit)
    assert "「" in str(exc.value) and any("\u4e00" <= c <= "\u9fff" for c in str(exc.value))


DATES = ["2021/6/15", "2021年6月15日", "2021.6.15", "20210615", "2021-6-15", "2021-06-15", "2021 年 6 月 15 日",
         "二〇二一年六月十五日", "2021年6月15号", "２０２１－６－１５", "2021-06-15 00:00:00"]


@pytest.mark.parametrize("raw", DATES)
def test_dates_in_the_usual_spellings(raw):
    assert typed.date(raw) == dt.date(2021, 6, 15)


def test_a_date_that_does_not_exist_is_named_so():
    with pytest.raises(typed.ImpossibleDate, match="不是真实存在的日期"):
        typed.date("2021-02-30")
    with pytest.raises(typed.TypedError, match="不是日期"):
        typed.date("上个月")


@pytest.mark.parametrize("raw", ["1985-03", "1985/3", "1985.3", "198503", "1985年3月", "一九八五年三月"])
def test_year_months(raw):
    assert typed.year_month(raw) == (1985, 3)


DISTRICTS = [
    ("乌兰浩特市", "乌兰浩特市"), ("烏蘭浩特市", "乌兰浩特市"), ("科尔沁右翼前旗", "科右前旗"), ("科爾沁右翼前旗", "科右前旗"),
    ("科右前旗", "科右前旗"), ("扎旗", "扎赉特旗"), ("紮賚特旗", "扎赉特旗"), ("兴安盟科右中旗", "科右中旗"),
    ("内蒙古自治区兴安盟突泉县", "突泉县"), ("阿爾山", "阿尔山市"), (" 突泉 ", "突泉县"),
]


@pytest.mark.parametrize("raw,key", DISTRICTS)
def test_districts_by_any_name(raw, key):
    assert typed.district(raw) == key


def test_an_unknown_district_lists_the_choices():
    with pytest.raises(typed.TypedError) as exc:
        typed.district("呼和浩特市")
    assert "不是兴安盟的旗县市" in str(exc.value) and "科右前旗" in str(exc.value)


@pytest.mark.parametrize("code,key", [("152201", "乌兰浩特市"), ("152202", "阿尔山市"), ("152221", "科右前旗"),
                                      ("152222", "科右中旗"), ("152223", "扎赉特旗"), ("152224", "突泉县"),
                                      ("152200", None), ("150102", None)])
def test_the_district_of_an_id_number_region_code(code, key):
    assert typed.district_of_id(code + "19800101001X") == key


def test_echo_says_how_a_value_was_read_only_when_it_was_typed_otherwise():
    assert typed.echo("十二年", "12", "12 年") == "「十二年」已按 12 年理解"
    assert typed.echo("12", "12", "12 年") is None


def test_the_roster_reader_uses_the_same_parser():
    from jiuye.batch.columns import clean_number

    assert clean_number("十二年", "float") == 12
    assert clean_number("一年半", "float") == 1.5
    assert clean_number("1,234.50元", "decimal") == "1234.5"
    assert clean_number("3年", "int") == 3
    assert clean_number("1E+3", "float") == 1000.0
    assert clean_number("50%", "float") == "50%"  # a percentage where no rate is asked: pydantic says why

"""身份证号 (GB 11643-1999) validation: check character, birth date, sex, shape."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.idcard import CHECK_CHARS, InvalidIdNumber, check_char, is_valid, parse_id_number

# The example number of the standard (GB 11643-1999, appendix): 北京市朝阳区, 1949-12-31, female.
STANDARD_EXAMPLE = "11010519491231002X"


def make(first17: str) -> str:
    return first17 + check_char(first17)


def test_standard_example():
    info = parse_id_number(STANDARD_EXAMPLE)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "female"
    assert info.region == "110105"
    assert is_valid(STANDARD_EXAMPLE)


def test_lower_case_x_and_spaces_are_normalised():
    info = parse_id_number(" 110105 19491231 002x ")
    assert info.number == STANDARD_EXAMPLE


def test_sex_from_the_17th_digit():
    assert parse_id_number(make("15220119800101001")).sex == "male"  # 兴安盟 乌兰浩特市
    assert parse_id_number(make("15220119800101002")).sex == "female"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "校验码"),  # last character wrong
        ("11010519491231002", "18位"),
        ("1101051949123100211", "18位"),
        ("110105491231002", "15位"),  # old 15-digit number
        ("11010519491231A02X", "数字"),
        (make("99010519491231002"), "地址码"),
        (make("15220119490231002"), "出生日期"),  # 2月31日
        (make("15220118800101001"), "不可能"),  # before 1900
        (make("15220129990101001"), "不可能"),  # in the future
    ],
)
def test_invalid_numbers_say_why(number, reason):
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(number)
    assert reason in str(exc.value)
    assert not is_valid(number)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["110105", "152201", "152221", "152222", "152223", "152224", "152202", "310101"]),
    st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.integers(0, 999),
    st.integers(0, 16),
    st.integers(1, 9),
)
def test_every_single_digit_error_is_caught(region, birth, sequence, position, delta):
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    number = make(first17)
    info = parse_id_number(number, today=dt.date(2021, 1, 1))
    assert info.birth_date == birth and info.sex == ("male" if sequence % 2 else "female")
    assert number[17] in CHECK_CHARS
    digits = list(first17)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits) + number[17]
    assert not is_valid(changed)  # MOD 11-2 detects every single substitution

"""居民身份证号码 (GB 11643-1999 公民身份号码) validation.

An 18-character number: a 6-digit address code, the birth date (YYYYMMDD), a 3-digit sequence
code whose last digit is odd for men and even for women, and a check character computed with
ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11; a remainder of 10 is written ``X``).

>>> info = parse_id_number("11010519491231002X")
>>> info.birth_date, info.sex
(datetime.date(1949, 12, 31), 'female')
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from jiuye.config import today as _system_today

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # index = weighted sum mod 11
# First two digits: the provincial-level divisions of GB/T 2260 (incl. 71 台湾, 81 香港, 82 澳门).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The number is not a valid 18-character 公民身份号码; the message says why (in Chinese)."""


@dataclass(frozen=True)
class IdInfo:
    number: str  # normalised: upper-case X, no spaces
    region: str  # 6-digit address code
    birth_date: dt.date
    sex: str  # "male" | "female"


def check_char(first17: str) -> str:
    """The check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise InvalidIdNumber("前17位必须是数字")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def normalise(number: str) -> str:
    return re.sub(r"\s+", "", str(number)).upper()


def parse_id_number(number: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate a 身份证号 and return what it encodes; raise InvalidIdNumber otherwise."""
    n = normalise(number)
    if len(n) == 15 and n.isdigit():
        raise InvalidIdNumber("这是15位的旧身份证号，请填写18位的居民身份证号码")
    if len(n) != 18:
        raise InvalidIdNumber(f"应为18位，实际为{len(n)}位")
    if not _SHAPE.match(n):
        raise InvalidIdNumber("前17位必须是数字，最后一位是数字或X")
    if n[:2] not in PROVINCES:
        raise InvalidIdNumber(f"地址码「{n[:6]}」不是有效的省级行政区划代码")
    try:
        birth = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise InvalidIdNumber(f"出生日期「{n[6:14]}」不是有效日期") from None
    if birth.year < 1900 or birth > (today or _system_today()):
        raise InvalidIdNumber(f"出生日期「{birth.isoformat()}」不可能")
    expected = check_char(n[:17])
    if n[17] != expected:
        raise InvalidIdNumber(f"校验码错误：最后一位应为「{expected}」，实际为「{n[17]}」")
    return IdInfo(number=n, region=n[:6], birth_date=birth, sex="male" if int(n[16]) % 2 else "female")


def is_valid(number: str) -> bool:
    try:
        parse_id_number(number)
    except InvalidIdNumber:
        return False
    return True

"""What people type, read: numbers with Chinese numerals and units, dates in the usual spellings,
districts by any of their names (traditional characters too).

One parser for every place a person or a roster types a value: the 政策找人 answers (/find), the
application form (/apply) and the roster reader (jiuye.batch.columns). Each reader returns the value
and raises :class:`TypedError` with a Chinese message saying what was expected; :func:`echo` says how
a value was understood when it was not typed in the canonical way (「十二年」 → 「已按 12 年理解」).

- numbers: ``12``, ``12年``, ``十二年``, ``十二``, ``12.5年``, ``一年半``, ``半年``, ``1,234.50元``,
  ``1.5万元``, ``三个月`` — Chinese numerals through cn2an (``smart`` mode: also 1万2千, 两千);
  a value in 个月 where 年 is asked (``18个月``) is converted (1.5 年);
- dates: ``2021-6-15``, ``2021/6/15``, ``2021.6.15``, ``20210615``, ``2021年6月15日``,
  ``二〇二一年六月十五日``; a date that does not exist (2021-02-30) is refused as such;
- districts: the keys and aliases of data/districts.yaml, after OpenCC t2s (烏蘭浩特市 → 乌兰浩特市),
  with a leading 内蒙古(自治区) / 兴安盟 dropped (兴安盟科右前旗 → 科右前旗).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import cn2an

__all__ = ["TypedError", "ImpossibleDate", "number", "date", "year_month", "district", "district_of_id", "echo", "normalise"]


class TypedError(ValueError):
    """The text is not a value of the expected kind; the message (Chinese) says what is expected."""


class ImpossibleDate(TypedError):
    """A date written the right way that does not exist (2021-02-30, 2021-13-01)."""


def normalise(raw: str) -> str:
    """Full-width → half-width, no spaces, no thousands separators."""
    s = unicodedata.normalize("NFKC", str(raw)).strip()
    return re.sub(r"[\s,，_']", "", s)


# --- numbers ---------------------------------------------------------------------------------------
# Units a number may carry (longest first); "个月" before "月".
UNITS = ("课时", "小时", "个月", "周岁", "元", "年", "月", "天", "日", "人", "次", "名", "岁")
_CN_DIGITS = set("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点负")
_HALF = re.compile(r"^(.*?)(年|个月)半$")


def _to_decimal(text: str) -> Decimal:
    """A bare number: Arabic ("12.5", "1.5万") or Chinese ("十二", "一万二千")."""
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
        return Decimal(text)
    if not text or not (set(text) & _CN_DIGITS) and not re.search(r"\d", text):
        raise TypedError("")
    if not all(c in _CN_DIGITS or c.isdigit() or c == "." for c in text):
        raise TypedError("")
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        raise TypedError("") from None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise TypedError("") from None


def number(raw: str, unit: str | None = None) -> Decimal:
    """A number as typed, in `unit` when the question has one (年, 个月, 元 …)."""
    s = normalise(raw)
    what = f"「{raw}」不是数字" + (f"，请填写{unit}数，如 12" if unit and unit not in ("元", "%") else "")
    if not s:
        raise TypedError(what)
    half = Decimal(0)
    m = _HALF.match(s)  # 一年半, 3个月半 — cn2an does not read 半
    if m:
        s, half = m.group(1) + m.group(2), Decimal("0.5")
    if s in ("半年", "半个月"):
        s, half = "0" + s[1:], Decimal("0.5")
    typed_unit = next((u for u in UNITS + (("%",) if unit == "%" else ()) if s.endswith(u) and len(s) > len(u)), None)
    if typed_unit:
        s = s[: -len(typed_unit)]
    try:
        value = _to_decimal(s) + half
    except TypedError:
        raise TypedError(what) from None
    if typed_unit in ("个月", "月") and unit == "年":
        return value / 12
    if typed_unit == "年" and unit in ("个月", "月"):
        return value * 12
    if typed_unit and unit and typed_unit not in (unit, "周岁", "岁") and not (unit == "个月" and typed_unit == "月"):
        if {typed_unit, unit} <= {"天", "日"}:
            return value
        raise TypedError(f"「{raw}」的单位是「{typed_unit}」，这里请按「{unit}」填写")
    return value


def plain(value: Decimal) -> str:
    """12 for 12.0, 1.5 for 1.50 (no exponent)."""
    return format(value.normalize(), "f")


# --- dates -----------------------------------------------------------------------------------------
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T?00:00(?::00(?:\.0+)?)?)?$"),  # spaces are gone
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
]
YEAR_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
]
DATE_HINT = "请按 年-月-日 填写，如 2021-06-15 或 2021年6月15日"


def _digits(s: str) -> str:
    """二〇二一年六月十五日 → 2021年6月15日 (cn2an's transform); others unchanged."""
    if set(s) & _CN_DIGITS:
        try:
            return normalise(cn2an.transform(s, "cn2an"))
        except (ValueError, KeyError, IndexError, TypeError):
            return s
    return s


def date(raw: str) -> dt.date:
    s = _digits(normalise(raw).rstrip("。"))
    for pattern in DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise ImpossibleDate(f"「{raw}」不是真实存在的日期") from None
    raise TypedError(f"「{raw}」不是日期，{DATE_HINT}")


def year_month(raw: str) -> tuple[int, int]:
    """(year, month) from 1985-03, 1985/3, 1985.3, 198503, 1985年3月. A full date is refused: /find
    asks the birth month only and never keeps a day (it would travel in the page address)."""
    s = _digits(normalise(raw))
    for pattern in YEAR_MONTH_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if 1 <= mo <= 12:
                return y, mo
            break
    raise TypedError(f"「{raw}」不是年月，请按 年-月 填写，如 1985-03 或 1985年3月")


# --- districts -------------------------------------------------------------------------------------
_PREFIXES = ("内蒙古自治区", "内蒙古", "兴安盟")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def district(raw: str, names: dict[str, str] | None = None) -> str:
    """The district key (data/districts.yaml) of a name as typed; TypedError naming the choices."""
    if names is None:
        names = district_names()
    s = _t2s().convert(normalise(raw))
    candidates = [s]
    rest = s
    for prefix in _PREFIXES:
        if rest.startswith(prefix) and len(rest) > len(prefix):
            rest = rest[len(prefix):]
            candidates.append(rest)
    for c in candidates:
        if c in names:
            return names[c]
    choices = "、".join(sorted(set(names.values()), key=list(names.values()).index))
    raise TypedError(f"「{raw}」不是兴安盟的旗县市；可填：{choices}")


@functools.lru_cache(maxsize=1)
def district_names() -> dict[str, str]:
    """Every name and alias of data/districts.yaml -> its key."""
    import yaml

    from jiuye.config import data_dir

    raw = yaml.safe_load((data_dir() / "districts.yaml").read_text(encoding="utf-8")) or {}
    names: dict[str, str] = {}
    for d in raw.get("districts", []):
        names[d["key"]] = d["key"]
        for alias in d.get("aliases", []):
            names.setdefault(alias, d["key"])
    return names


@functools.lru_cache(maxsize=1)
def district_codes() -> dict[str, str]:
    """GB/T 2260 county code -> district key (the `codes` of data/districts.yaml)."""
    import yaml

    from jiuye.config import data_dir

    raw = yaml.safe_load((data_dir() / "districts.yaml").read_text(encoding="utf-8")) or {}
    return {str(c): d["key"] for d in raw.get("districts", []) for c in d.get("codes", [])}


def district_of_id(id_number: str | None) -> str | None:
    """The district whose code opens the 身份证号 (where it was first issued), or None."""
    if not id_number:
        return None
    return district_codes().get(normalise(id_number)[:6])


# --- what was understood ---------------------------------------------------------------------------
def echo(raw: str, canonical: str, shown: str | None = None) -> str | None:
    """「已按 12 年理解」 when `raw` was not typed as the canonical text, else None."""
    if normalise(raw) == normalise(canonical):
        return None
    text = shown or canonical
    gap = "" if "\u4e00" <= text[-1:] <= "\u9fff" else " "  # 12 年理解, 2021-06-15 理解
    return f"「{raw}」已按 {text}{gap}理解"

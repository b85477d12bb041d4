"""Identifiers, vectorised: 身份证号 (GB 11643) and 统一社会信用代码 (GB 32100) over Arrow arrays.

The rules of a valid 身份证号 are those of :mod:`jiuye.idcard` (one row at a time); this module
checks a whole column with numpy and, for the rows that fail, asks :func:`jiuye.idcard.parse_id_number`
for its message, so the two cannot disagree on what is valid or on what the message says (the
test-suite checks the vector result against the scalar one).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jiuye.idcard import CHECK_CHARS, PROVINCES, WEIGHTS, InvalidIdNumber, parse_id_number

_W = np.array(WEIGHTS, dtype=np.int64)
_CHECK = np.frombuffer(CHECK_CHARS.encode(), dtype=np.uint8)
_PROV = np.zeros(100, dtype=bool)
_PROV[[int(p) for p in PROVINCES]] = True
_POW10 = 10 ** np.arange(16, -1, -1, dtype=np.int64)  # for 17 digits -> int64 key


def normalise(arr: pa.Array) -> pa.Array:
    """Full-width to ASCII (NFKC), spaces removed, upper case (a lower-case x check character)."""
    arr = pc.utf8_normalize(arr.cast(pa.string()), "NFKC")
    arr = pc.replace_substring(arr, " ", "")
    return pc.utf8_upper(pc.utf8_trim_whitespace(arr))


def fixed_bytes(arr: pa.Array, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(mask of values that are exactly ``width`` bytes, uint8 matrix (n, width) of their bytes).

    Rows not of that width get zeros. Works straight on the Arrow buffers (no Python strings)."""
    arr = pc.fill_null(arr, "")
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
    n = len(arr)
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64, count=n + 1 + arr.offset)[arr.offset:]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    lengths = np.diff(offsets)
    ok = lengths == width
    out = np.zeros((n, width), dtype=np.uint8)
    if ok.any():
        starts = offsets[:-1][ok]
        out[ok] = data[starts[:, None] + np.arange(width)]
    return ok, out


class IdColumn:
    """A checked 身份证号 column: validity, what the numbers encode, and a key for duplicates."""

    def __init__(self, raw: pa.Array, today: dt.date) -> None:
        self.text = normalise(raw)
        n = len(self.text)
        self.present = np.asarray(pc.greater(pc.utf8_length(self.text), 0).fill_null(False))
        ok, b = fixed_bytes(self.text, 18)
        digits = b[:, :17].astype(np.int64) - 48
        shape_ok = ok & np.all((digits >= 0) & (digits <= 9), axis=1) & (((b[:, 17] >= 48) & (b[:, 17] <= 57)) | (b[:, 17] == 88))
        digits = np.where(shape_ok[:, None], digits, 0)
        province_ok = _PROV[digits[:, 0] * 10 + digits[:, 1]]
        year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
        month = digits[:, 10] * 10 + digits[:, 11]
        day = digits[:, 12] * 10 + digits[:, 13]
        birth, date_ok = make_dates(year, month, day)
        date_ok &= (year >= 1900) & (birth <= np.datetime64(today, "D"))
        check_ok = _CHECK[(digits * _W).sum(axis=1) % 11] == b[:, 17]
        self.valid = shape_ok & province_ok & date_ok & check_ok
        self.birth = np.where(self.valid, birth, np.datetime64("1970-01-01", "D"))
        self.male = (digits[:, 16] % 2) == 1
        self.key = np.where(self.valid, digits @ _POW10, -1)
        self.size = n

    def message(self, i: int) -> str:
        """Why the number of row ``i`` (0-based in the column) is invalid, in the scalar module's words."""
        value = self.text[i].as_py() or ""
        try:
            parse_id_number(value)
        except InvalidIdNumber as exc:
            if len(value) > 18 and ("E+" in value or "." in value):
                return f"{exc}（像是被表格存成了数字，末几位已丢失）"
            return str(exc)
        return ""

    def masked(self) -> pa.Array:
        """152201********1234: the address code and the last four characters."""
        return masked(self.text)


def masked(text: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, 6), pa.scalar("********"),
                                       pc.utf8_slice_codeunits(text, 14, 18), "")


def make_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] from integer parts, and a mask of the parts that form a real date."""
    year = np.asarray(year, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    day = np.asarray(day, dtype=np.int64)
    ok = (year >= 1) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1)
    y = np.where(ok, year, 1970)
    m = np.where(ok, month, 1)
    first = (y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (m - 1)
    next_first = first + 1
    days_in_month = (next_first.astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= days_in_month
    d = np.where(ok, day, 1)
    return first.astype("datetime64[D]") + (d - 1), ok


# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_CHARS):
    _USCC_VALUE[ord(_c)] = _i
_USCC_CHARS = np.frombuffer(USCC_CHARS.encode(), dtype=np.uint8)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def uscc_message(code: str) -> str:
    """'' if ``code`` is a valid 统一社会信用代码, else why not (Chinese)."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    bad = [c for c in code if c not in USCC_CHARS]
    if bad:
        return f"统一社会信用代码含不允许的字符「{bad[0]}」（不使用 I、O、Z、S、V）"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验码错误：最后一位应为「{expected}」，实际为「{code[17]}」"
    return ""


class CreditCodeColumn:
    """A checked 统一社会信用代码 column."""

    def __init__(self, raw: pa.Array) -> None:
        self.text = normalise(raw)
        self.present = np.asarray(pc.greater(pc.utf8_length(self.text), 0).fill_null(False))
        ok, b = fixed_bytes(self.text, 18)
        values = _USCC_VALUE[b]
        chars_ok = ok & np.all(values >= 0, axis=1)
        values = np.where(chars_ok[:, None], values, 0)
        expected = _USCC_CHARS[(31 - (values[:, :17] * np.array(USCC_WEIGHTS)).sum(axis=1) % 31) % 31]
        self.valid = chars_ok & (expected == b[:, 17])
        self.size = len(self.text)
        # duplicates: a stable 64-bit key from the 18 characters (base 31, the last one implied)
        key = np.zeros(self.size, dtype=np.uint64)
        for j in range(17):
            key = key * np.uint64(31) + values[:, j].astype(np.uint64)
        self.key = np.where(self.valid, key.astype(np.int64), -1)

    def message(self, i: int) -> str:
        return uscc_message(self.text[i].as_py() or "")

    def masked(self) -> pa.Array:
        return self.text  # a credit code is public: not masked

"""Passwords (argon2id), bearer tokens that expire, and masking of 身份证号 / 统一社会信用代码.

Tokens are random (32 bytes, URL-safe); only their sha256 is stored, so a copy of the database
does not hold usable tokens. Lifetime: $JIUYE_TOKEN_TTL_MINUTES (default 480 = one working day).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from jiuye.idcard import CHECK_CHARS, WEIGHTS

_hasher = PasswordHasher()  # argon2id, the library's defaults (RFC 9106 low-memory profile)
# A hash of a random password: verifying against it when the user does not exist costs the same
# time as a real check, so response time does not reveal which usernames exist.
_DUMMY = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    if len(password) < 4:
        raise ValueError("密码至少4位")
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def token_ttl() -> dt.timedelta:
    return dt.timedelta(minutes=int(os.environ.get("JIUYE_TOKEN_TTL_MINUTES", "480")))


def new_token() -> tuple[str, str]:
    """(the bearer token to hand out, its sha256 to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- masking ---------------------------------------------------------------------------------
def mask_id_number(number: str | None) -> str | None:
    """152201********002X: the address code and the last four kept, the birth date hidden."""
    if not number:
        return number
    n = str(number)
    return n[:6] + "*" * (len(n) - 10) + n[-4:] if len(n) > 10 else "*" * len(n)


def mask_credit_code(code: str | None) -> str | None:
    """统一社会信用代码 are public registrations; kept whole but for the middle of the organisation code."""
    if not code:
        return code
    return code[:8] + "****" + code[12:] if len(code) == 18 else code


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")


def _valid_check(n: str) -> bool:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(n[:17], WEIGHTS)) % 11] == n[17].upper()


def scrub(text: str | None) -> str | None:
    """Mask every 身份证号 (18 characters with a valid check character) inside free text: comments,
    log lines, error messages."""
    if not text:
        return text
    return _ID_LIKE.sub(lambda m: mask_id_number(m.group(1).upper()) if _valid_check(m.group(1)) else m.group(1), text)


# --- 统一社会信用代码 (GB 32100-2015) --------------------------------------------------------------
_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidCreditCode(ValueError):
    pass


def validate_credit_code(code: str) -> str:
    """The normalised 18-character code, or InvalidCreditCode with a Chinese reason."""
    c = re.sub(r"\s+", "", str(code)).upper()
    if len(c) != 18:
        raise InvalidCreditCode(f"统一社会信用代码应为18位，实际为{len(c)}位")
    if any(ch not in _CC_CHARS for ch in c):
        raise InvalidCreditCode("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）")
    if not c[2:8].isdigit():
        raise InvalidCreditCode("统一社会信用代码第3–8位应为行政区划码")
    total = sum(_CC_CHARS.index(ch) * w for ch, w in zip(c[:17], _CC_WEIGHTS))
    expected = _CC_CHARS[(31 - total % 31) % 31]
    if c[17] != expected:
        raise InvalidCreditCode(f"统一社会信用代码校验码错误：最后一位应为「{expected}」")
    return c


def credit_code_with_check(first17: str) -> str:
    total = sum(_CC_CHARS.index(ch) * w for ch, w in zip(first17, _CC_WEIGHTS))
    return first17 + _CC_CHARS[(31 - total % 31) % 31]

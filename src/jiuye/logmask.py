"""No 身份证号 and no phone number in any log line (issue 19, item 5).

A citizen types her 身份证号 or mobile number into the Ask box (/api/ask?q=…, /ask?q=…), a page
address, a form or an API body; uvicorn's access log writes every request line, query string
included, and an error's traceback may quote what was sent. Masking is done where every log record
is born — a wrapper around the logging module's record factory — so it holds for every logger
(uvicorn.access, uvicorn.error, jiuye.*, huey, a library's own), every handler and every formatter,
whatever logging configuration uvicorn or a test installs later. The message, its arguments, the
formatted traceback and the stack are masked, after URL-decoding (digits next to %-escapes would
otherwise hide the number from the mask).

Masked: any 18-character 身份证号 shape (17 digits and a digit or X — a mistyped check character is
still someone's number) and the 15-digit first-generation form → 152201********002X; mobile
numbers (11 digits from 13–19, with +86 and spaces, hyphens or a form's + allowed) → 138****5678; landline
numbers with an area code (0482-8231990) → 0482-****990. The office numbers printed in the
documents are public, but a log cannot tell them from a person's own, so they are masked too.
"""
from __future__ import annotations

import logging
import re
import threading
from urllib.parse import unquote

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])|(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])((?:\+?86[-\s+]?)?1[3-9]\d)[-\s+]?(\d{4})[-\s+]?(\d{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0\d{2,3})[-－—\s+]?(\d{3,4})(\d{3})(?![0-9])")
_ESCAPED = re.compile(r"%[0-9A-Fa-f]{2}")


def mask(text: str, *, decode: bool = True) -> str:
    """The text with every 身份证号 and phone number in it masked (URL-decoded first if escaped, unless
    `decode` is false: a record's format string, where "%11s" is a width, not an escape)."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    if decode and _ESCAPED.search(text):
        decoded = unquote(text, errors="replace")
        if decoded != text:
            text = decoded
    text = _ID.sub(_id_mask, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)


def _id_mask(m: re.Match) -> str:
    if m.group(1):
        return m.group(1) + "*" * 8 + m.group(3).upper()
    return m.group(4) + "*" * 6 + m.group(6)


def _clean(value):
    return mask(value) if isinstance(value, str) else value


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record's message, arguments, traceback and stack in place."""
    if isinstance(record.msg, str):
        record.msg = mask(record.msg, decode=not record.args)  # with args, msg is a %-format string
    elif record.msg is not None and not isinstance(record.msg, (int, float)):
        record.msg = mask(str(record.msg))  # an exception or object logged as the message
    if isinstance(record.args, tuple):
        record.args = tuple(_clean(a) if isinstance(a, str) else (mask(str(a)) if isinstance(a, BaseException) else a)
                            for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _clean(v) for k, v in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    return record


class MaskFilter(logging.Filter):
    """The same masking as a filter, for handlers created outside this process's factory."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_lock = threading.Lock()


def install() -> None:
    """Wrap the record factory (once per process): every record of every logger is masked when made."""
    with _lock:
        factory = logging.getLogRecordFactory()
        if getattr(factory, "_jiuye_masks", False):
            return

        def masked_factory(*args, **kwargs):
            return mask_record(factory(*args, **kwargs))

        masked_factory._jiuye_masks = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(masked_factory)

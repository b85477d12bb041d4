"""No 身份证号 in the server's logs.

uvicorn's access log writes every request line, query string included: a citizen who types her
身份证号 into the Ask box (/api/ask?q=…) or a page address would have it logged whole. The filter
below masks every valid 身份证号 (GB 11643 check character) in the log records of the server's
loggers, after URL-decoding (digits next to %-escapes would otherwise hide the number from the mask).
"""
from __future__ import annotations

import logging
from urllib.parse import unquote

from jiuye.cases.security import scrub

LOGGERS = ("uvicorn.access", "uvicorn.error", "jiuye")


def _clean(value):
    if isinstance(value, str):
        return scrub(unquote(value)) if "%" in value else scrub(value)
    return value


class MaskIdNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return True


def install() -> None:
    """Add the filter to the server's loggers (once per process)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskIdNumbers) for f in logger.filters):
            logger.addFilter(MaskIdNumbers())

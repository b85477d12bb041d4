"""No 身份证号 and no phone number in any log (issue 19, item 5): the access log, the app's loggers,
the queue's, uvicorn's error log — from a question, a page address, a form or an API body."""
from __future__ import annotations

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from jiuye.idcard import check_char
from jiuye.logmask import MaskFilter, install, mask

ID = "15220119900101123" + check_char("15220119900101123")
ID_BAD_CHECK = ID[:17] + ("0" if ID[17] != "0" else "1")  # a mistyped number is still someone's
ID_15 = "152201900101123"
MOBILE = "13847125678"
LANDLINE = "0482-8231990"
SECRETS = (ID, ID_BAD_CHECK, ID_15, MOBILE, "8231990")


def leaked(text: str) -> list[str]:
    found = [s for s in SECRETS if s in text]
    # spaced or hyphenated forms: the mobile's digits must not survive in a row on any line either
    spaced = any(MOBILE in "".join(ch for ch in line if ch.isdigit()) for line in text.splitlines())
    return found + ([MOBILE + "(spaced)"] if spaced and MOBILE not in found else [])


@pytest.mark.parametrize("text", [
    f"我的身份证号{ID}能领失业金吗", f"身份证{ID_BAD_CHECK}", f"老证{ID_15}", f"手机{MOBILE}", f"手机 +86 {MOBILE}",
    "手机 138 4712 5678", "手机 138-4712-5678", "q=138+4712+5678", f"电话{LANDLINE}", "电话04828231990",
    "/api/ask?q=" + urllib.parse.quote(f"身份证{ID}手机{MOBILE}"),
])
def test_numbers_are_masked_in_any_text(text):
    out = mask(text)
    assert not leaked(out), out
    assert "*" in out


def test_what_is_kept_is_enough_to_tell_numbers_apart_and_nothing_else_changes():
    assert mask(ID) == ID[:6] + "********" + ID[-4:]
    assert mask(MOBILE) == "138****5678"
    assert mask("失业金能领几个月，2026-12-06 12:00:01，耗时 35 ms，job 12345") == "失业金能领几个月，2026-12-06 12:00:01，耗时 35 ms，job 12345"
    assert mask("第 12 个月 1560 元") == "第 12 个月 1560 元"


@pytest.fixture()
def captured():
    """Every handler we can reach: the root logger's and one on each named logger that does not
    propagate (uvicorn.access), formatted the way a log file would be."""
    install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    names = ["", "uvicorn.access", "uvicorn.error", "uvicorn", "huey", "huey.consumer"]
    loggers = [logging.getLogger(n) for n in names]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
        lg.propagate = False
    try:
        yield stream
    finally:
        for lg, level, prop in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
            lg.propagate = prop


@pytest.mark.parametrize("name", ["uvicorn.access", "uvicorn.error", "jiuye", "jiuye.web", "jiuye.queue",
                                  "jiuye.market.notify", "jiuye.platforms.tasks", "huey.consumer", "some.library"])
def test_every_logger_masks_message_arguments_and_traceback(captured, name):
    log = logging.getLogger(name)
    log.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
             "/ask?q=" + urllib.parse.quote(f"我身份证{ID}电话{MOBILE}"), "1.1", 200)
    log.warning(f"form posted: id_number={ID_BAD_CHECK}&phone={MOBILE}")
    log.info("body %(body)s", {"body": f'{{"phone": "{MOBILE}", "id": "{ID_15}"}}'})
    try:
        raise ValueError(f"bad value {ID} / {MOBILE}")
    except ValueError as exc:
        log.exception("task failed: %s", exc)
    log.error("stack", stack_info=True, extra={"note": ID})
    text = captured.getvalue()
    assert "GET" in text and "task failed" in text and "Traceback" in text and "ValueError" in text  # it was logged
    assert not leaked(text), text


def test_a_handler_filter_masks_records_made_before_the_factory_was_installed():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "q=%s", (f"身份证{ID}",), None)
    MaskFilter().filter(record)
    assert not leaked(record.getMessage())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, data: bytes | None = None, headers: dict | None = None) -> int:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_running_server_logs_no_number_from_any_request(tmp_path):
    """`jiuye serve` as a user runs it: its whole output (uvicorn's access and error logs, the app's
    and the queue's loggers) after questions, page addresses, forms and API bodies carrying numbers."""
    port = _free_port()
    log_file = tmp_path / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"), JIUYE_VAR_DIR=str(tmp_path))
    with log_file.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", "from jiuye.cli import app; app()", "serve", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while not _up(base):
                assert proc.poll() is None, log_file.read_text(errors="replace")
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.3)
            q = urllib.parse.quote(f"我身份证{ID}，手机{MOBILE}，电话{LANDLINE}，失业金能领几个月")
            statuses = [
                _request(f"{base}/api/ask?q={q}"),
                _request(f"{base}/ask?q={q}"),
                _request(f"{base}/ask?q=" + urllib.parse.quote_plus(f"手机 138 4712 5678 老证{ID_15}")),
                _request(f"{base}/nothing/{ID}/{MOBILE}"),
                _request(f"{base}/api/policies/{ID_BAD_CHECK}"),
                _request(f"{base}/find", data=urllib.parse.urlencode({"id_number": ID, "phone": MOBILE}).encode(),
                         headers={"content-type": "application/x-www-form-urlencoded"}),
                _request(f"{base}/api/screen", data=f'{{"profile": {{"id_number": "{ID}", "phone": "{MOBILE}"}}}}'.encode(),
                         headers={"content-type": "application/json"}),
                _request(f"{base}/api/screen", data=f'{{"broken json {ID} {MOBILE}'.encode(),
                         headers={"content-type": "application/json"}),
            ]
            assert all(s < 500 for s in statuses), statuses
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log_file.read_text(encoding="utf-8", errors="replace")
    assert "/api/ask?q=" in text and "/api/screen" in text and "/find" in text, text  # the access log was written
    assert not leaked(text), text


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/livez", timeout=1):
            return True
    except OSError:
        return False


def test_a_format_string_is_not_taken_for_url_escapes():
    """distributed logs "%11s at:  %s": the width must survive (URL-decoding it gave "\\x11" and broke
    every Dask cluster start once the mask was installed)."""
    import logging

    from jiuye import logmask

    logmask.install()
    rec = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "%11s at:  %s", ("Scheduler", "tcp://127.0.0.1:8786"),
                                        None)
    assert rec.getMessage() == "  Scheduler at:  tcp://127.0.0.1:8786"
    rec = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "问题 %s", ("q=%E8%BA%AB152201197503081022",), None)
    assert "19750308" not in rec.getMessage()

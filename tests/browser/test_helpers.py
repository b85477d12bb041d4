"""The browser helpers catch what they are meant to catch (each check is shown failing once)."""
from __future__ import annotations

import pytest

from browser_support import assert_no_external_requests, assert_no_horizontal_scroll, axe


def test_axe_reports_a_serious_violation(phone):
    phone.goto("/login")
    assert axe(phone) == []
    phone.evaluate("""() => {
        const b = document.createElement('button');            // a button with no accessible name
        document.querySelector('main').appendChild(b);
        const p = document.createElement('p');                 // 1.3:1 text contrast
        p.textContent = '对比度不足的文字'; p.style.color = '#ddd'; p.style.background = '#fff';
        document.querySelector('main').appendChild(p);
    }""")
    ids = {v["id"] for v in axe(phone)}
    assert {"button-name", "color-contrast"} <= ids


def test_horizontal_scroll_is_caught_and_the_element_named(phone):
    phone.goto("/")
    assert_no_horizontal_scroll(phone)
    phone.evaluate("""() => { const d = document.createElement('div'); d.id = 'too-wide';
                              d.style.width = '900px'; d.textContent = 'x';
                              document.querySelector('main').appendChild(d); }""")
    with pytest.raises(AssertionError, match="too-wide"):
        assert_no_horizontal_scroll(phone)


def test_a_request_to_another_origin_is_caught(phone):
    phone.route("http://cdn.example.invalid/**", lambda route: route.abort())  # never leaves the machine
    phone.goto("/")
    assert_no_external_requests(phone)
    phone.evaluate("""() => new Promise(done => { const i = new Image(); i.onerror = i.onload = done;
                                                 i.src = 'http://cdn.example.invalid/font.png'; })""")
    with pytest.raises(AssertionError, match="cdn.example.invalid"):
        assert_no_external_requests(phone)


def test_screenshots_go_to_the_run_folder_not_docs(phone, screenshot_dir):
    """`make test` leaves docs/screenshots as it is: `shot` saves in the run's folder ($JIUYE_SCREENSHOT_DIR
    only when set, as `make screenshots` does)."""
    import hashlib
    import os

    from browser_support import DOCS_SCREENSHOTS, shot

    if os.environ.get("JIUYE_SCREENSHOT_DIR"):
        pytest.skip("JIUYE_SCREENSHOT_DIR is set: this run refreshes that folder on purpose")
    docs_copy = DOCS_SCREENSHOTS / "home-phone.png"
    before = hashlib.sha256(docs_copy.read_bytes()).hexdigest() if docs_copy.exists() else None
    phone.goto("/")
    path = shot(phone, "home-phone")
    assert path.parent == screenshot_dir and path.stat().st_size > 0
    assert DOCS_SCREENSHOTS not in path.parents and path.parent != DOCS_SCREENSHOTS
    after = hashlib.sha256(docs_copy.read_bytes()).hexdigest() if docs_copy.exists() else None
    assert after == before, "docs/screenshots/home-phone.png was rewritten by a test run"

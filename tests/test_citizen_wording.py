"""A citizen reads the documents' titles, never their internal numbers (000号资料) nor a policy's
id (unemployment_insurance_benefit), on any public page (issue 14). The JSON API keeps its fields."""
from __future__ import annotations

import re

from test_console_labels import visible_text
from test_web_citizen import UNEMPLOYED, app, db, new_client, pages_to_check  # noqa: F401 - fixtures


def test_citizen_pages_show_titles_not_codes(app, db):  # noqa: F811
    from jiuye.knowledge.loader import get_knowledge

    kb = get_knowledge()
    ids = set(kb.policies)
    pages = pages_to_check(app, db)
    answers = "&".join(f"{k}={v}" for k, v in UNEMPLOYED.items())
    with new_client(app) as c:
        extra = [f"/policies/{pid}" for pid in sorted(ids)]
        extra += [f"/find?{answers}&group=unemployed&show=1&as_of=2023-03-01", "/policies?as_of=2023-03-01"]
        for path in extra:
            r = c.get(path)
            assert r.status_code == 200, path
            pages.append((path, r.text))
    found = {}
    for path, html in pages:
        text = visible_text(html)
        bad = sorted(i for i in ids if re.search(r"(?<![\w.])" + re.escape(i) + r"(?![\w])", text))
        bad += re.findall(r"(?<![\d,])(?:000|003)号", text)
        if bad:
            found[path] = bad[:5]
    assert not found, found
    # the titles are there instead
    with new_client(app) as c:
        page = visible_text(c.get("/policies/unemployment_insurance_benefit").text)
        assert "《兴安盟现行就业政策百问百答》" in page or "《兴安盟人力资源和就业服务中心政策宣传手册》" in page


def test_the_api_keeps_its_codes(app):  # noqa: F811
    with new_client(app) as c:
        r = c.get("/api/policies/unemployment_insurance_benefit", headers={"accept": "application/json"})
        assert r.status_code == 200
        body = r.json()
        assert body["id"] == "unemployment_insurance_benefit"
        assert all(s["document"] in ("000", "003") for s in body["sources"])

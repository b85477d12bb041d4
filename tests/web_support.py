"""What the web tests of every service share: a page client logged in as a demo account (citizens and
employers at /login, staff at /console/login), a JSON API client with a bearer token, the csrf token
of a page, and a page's text without its tags."""
from __future__ import annotations

import re

from jiuye.cases.demo import DEMO_PASSWORD

HTML = {"accept": "text/html"}


def csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf token on the page"
    return m.group(1)


def page_client(app, username: str | None = None, *, console: bool = False):
    from fastapi.testclient import TestClient

    c = TestClient(app, headers=HTML)
    if username:
        login = "/console/login" if console else "/login"
        r = c.post(login, data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf(c.get(login).text)},
                   follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
    return c


def api_client(app, username: str | None = None):
    from fastapi.testclient import TestClient

    c = TestClient(app)
    if username:
        token = c.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD}).json()["token"]
        c.headers["Authorization"] = f"Bearer {token}"
    return c


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

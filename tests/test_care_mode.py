"""关怀模式 (issue 14, item 7) and the favicon, through FastAPI's TestClient: the header switch works
without JavaScript (a link that sets a cookie and redirects back, to this site only), the pages carry
class="care" when the cookie is set, every citizen page shows the switch, and site.css has the rules."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from cases_support import configured
from jiuye.cases.demo import DEMO_PASSWORD, PEOPLE

HTML = {"accept": "text/html"}
STATIC = Path(__file__).resolve().parents[1] / "src" / "jiuye" / "web" / "static"
# Citizen pages anyone can open; /my and a case page need an applicant (below).
PUBLIC = ["/", "/ask?q=失业金", "/find", "/find?group=graduate", "/policies", "/policies/unemployment_insurance_benefit",
          "/contacts", "/services", "/login", "/register", "/policies/no_such_policy"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("care")
    with configured(f"sqlite:///{tmp / 'care.sqlite3'}", tmp, demo=True):
        from jiuye.web.app import create_app

        yield create_app()


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, headers=HTML) as c:
        yield c


def html_class(text: str) -> str:
    m = re.search(r"<html\b[^>]*>", text)
    assert m, "no <html> tag"
    cls = re.search(r'class="([^"]*)"', m.group(0))
    return cls.group(1) if cls else ""


def switch_link(text: str) -> tuple[str, str]:
    """(label, href) of the header's 关怀模式 / 标准模式 switch."""
    header = re.search(r"<header\b.*?</header>", text, re.S)
    assert header, "no <header>"
    m = re.search(r'<a class="care-switch" href="([^"]+)"[^>]*>([^<]+)</a>', header.group(0))
    assert m, "no 关怀模式 switch in the header"
    return m.group(2).strip(), m.group(1).replace("&amp;", "&")


def test_switch_sets_a_year_long_cookie_and_goes_back(client):
    r = client.get("/care", params={"on": "1", "next": "/policies?group=graduate"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/policies?group=graduate"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("jiuye_care=1;")
    assert "Max-Age=31536000" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    assert html_class(client.get("/policies").text) == "care"
    r = client.get("/care", params={"on": "0", "next": "/find"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/find"
    assert "jiuye_care=" in r.headers["set-cookie"] and "Max-Age=0" in r.headers["set-cookie"]
    assert html_class(client.get("/find").text) == ""


@pytest.mark.parametrize("target", ["https://evil.com/", "//evil.com", "/\\evil.com", "\\\\evil.com", "evil.com",
                                    "/\t/evil.com", "javascript:alert(1)", ""])
def test_switch_redirects_only_to_paths_on_this_site(client, target):
    r = client.get("/care", params={"on": "1", "next": target}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/"


def test_switch_without_next_goes_home_and_bad_on_turns_it_off(client):
    r = client.get("/care", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert r.headers["set-cookie"].startswith("jiuye_care=1;")
    r = client.get("/care?on=yes-please&next=/find", follow_redirects=False)
    assert r.status_code == 303 and "Max-Age=0" in r.headers["set-cookie"]


@pytest.mark.parametrize("path", PUBLIC)
def test_every_citizen_page_shows_the_switch_and_honours_the_cookie(client, path):
    r = client.get(path)
    assert r.status_code in (200, 404), path
    assert html_class(r.text) == ""
    label, href = switch_link(r.text)
    assert label == "关怀模式"
    parts = urlsplit(href)
    assert parts.path == "/care"
    query = dict(parse_qsl(parts.query))
    back_to = unquote(query["next"])
    assert query["on"] == "1"
    # back to this very page, query string included (政策找人 adds the answers its group implies)
    assert back_to == path or (path.startswith("/find?") and back_to.startswith(path + "&")), back_to
    # Follow the switch as a browser without JavaScript would: back on the page, now in care mode.
    back = client.get(href)
    assert back.status_code == r.status_code and unquote(str(back.url)).endswith(back_to)
    assert html_class(back.text) == "care"
    label, href = switch_link(back.text)
    query = dict(parse_qsl(urlsplit(href).query))
    assert label == "标准模式" and query["on"] == "0" and unquote(query["next"]) == back_to
    client.cookies.clear()


def test_pages_of_a_logged_in_applicant_show_the_switch(client):
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    username = next(iter(PEOPLE))
    r = client.post("/login", data={"csrf_token": token, "username": username, "password": DEMO_PASSWORD, "next": "/my"},
                    follow_redirects=False)
    assert r.status_code == 303
    client.cookies.set("jiuye_care", "1")
    for path in ("/my", "/apply/startup_subsidy"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert html_class(r.text) == "care", path
        assert switch_link(r.text)[0] == "标准模式", path


def test_console_keeps_its_own_layout(client):
    """The console (staff) is not part of 关怀模式: no switch, no care class, even with the cookie."""
    client.cookies.set("jiuye_care", "1")
    r = client.get("/console/login")
    assert r.status_code == 200
    assert html_class(r.text) == "" and "care-switch" not in r.text


def _care_block(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of every rule whose selector names html.care (media blocks included)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(" ".join(selector.split()), body) for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
            if "html.care" in selector]


def test_site_css_has_the_care_rules():
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    rules = _care_block(css)
    body = [b for s, b in rules if re.search(r"(^|,\s*)html\.care body\b", s)]
    assert body, "no html.care body rule"
    sizes = [float(x) for b in body for x in re.findall(r"font-size:\s*([\d.]+)px", b)]
    assert sizes and min(sizes) >= 18, sizes
    heights = [float(x) for b in body for x in re.findall(r"line-height:\s*([\d.]+)\s*;", b)]
    assert heights and min(heights) >= 1.6, heights
    buttons = [b for s, b in rules if "html.care button" in s]
    assert any("min-height: 48px" in b for b in buttons)
    fields = [b for s, b in rules if "html.care select" in s]
    assert any("min-height: 48px" in b for b in fields)
    links = [b for s, b in rules if re.search(r"(^|,\s*)html\.care a$", s)]
    assert any("text-decoration: underline" in b for b in links)
    assert any("grid-template-columns: 1fr" in b for s, b in rules if ".cards" in s)  # one column


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_care_colours_reach_aaa_contrast_on_white():
    """Every text colour the care rules set reaches 7:1 on white (WCAG 2 AAA)."""
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    colours = set()
    for selector, body in _care_block(css):
        colours |= {c.lower() for c in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", body)}
    root = next(b for s, b in _care_block(css) if s == "html.care")
    colours |= {c.lower() for name, c in re.findall(r"--(red|ink|muted|ok):\s*(#[0-9a-fA-F]{6})", root)}
    assert colours
    for c in colours - {"#ffffff", "#fff"}:
        ratio = (1.05) / (_luminance(c) + 0.05)
        assert ratio >= 7, (c, round(ratio, 2))


def test_favicon_is_linked_and_served(client):
    page = client.get("/").text
    m = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert m and m.group(1) == "/static/favicon.svg"
    icon = client.get(m.group(1))
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg") and "就" in icon.text
    r = client.get("/favicon.ico", follow_redirects=False)
    assert r.status_code in (301, 302, 307, 308) and r.headers["location"] == "/static/favicon.svg"
    assert client.get("/favicon.ico").status_code == 200
    client.cookies.clear()
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/console/login").text


def test_switch_link_carries_no_name_id_number_or_phone(client):
    """The switch returns to the same page, but never writes a 身份证号, a name or a phone number typed into
    the address (政策找人's answers, a question on /ask) into the page's HTML."""
    idn = "152201198503081024"
    r = client.get("/find", params={"group": "unemployed", "name": "王小明", "id_number": idn, "phone": "13800000000",
                                    "district": "乌兰浩特市"})
    assert r.status_code in (200, 422)
    _label, href = switch_link(r.text)
    back = unquote(dict(parse_qsl(urlsplit(href).query))["next"])
    assert back.startswith("/find?") and "group=unemployed" in back
    for secret in (idn, "王小明", "13800000000", "19850308"):
        assert secret not in back and secret not in href
    r = client.get("/ask", params={"q": f"我的身份证号 {idn} 能领失业金吗", "district": "乌兰浩特市"})
    _label, href = switch_link(r.text)
    back = unquote(dict(parse_qsl(urlsplit(href).query))["next"])
    assert idn not in back and back == "/ask?district=乌兰浩特市"

"""Every page route, found by walking create_app().routes (not the OpenAPI schema, which leaves the
pages out), with hostile input, as five identities: anonymous, a citizen (zhangmin), the demo
employer (xingan_food), a staff member (zx_wlht) and the admin. A page added later is covered
without editing this file.

- GET: each path parameter filled with hostile values, and the route's own query parameters
  (route.dependant.query_params) with the same values; one round with the path ids = 1 so the
  query parameters reach a real object. The forms those pages show are remembered (action → field
  names) for the POST round.
- POST: a form with the session's CSRF token and hostile values in every field the route declares,
  the pages' forms show, or its function reads (form.get("…")); and one without the token.

Every answer: not 5xx (an exception raised in a route counts as 500, with its type and message);
no trace, server path or database error text in a text body; a 4xx HTML page in Chinese.
All failures are collected and reported in one assertion. One app, one temporary SQLite file with
the demo data; each identity logs in once.
"""
from __future__ import annotations

import inspect
import re
import time
from urllib.parse import quote, urlsplit

import pytest
from fastapi.routing import APIRoute

from cases_support import configured, database
from web_support import HTML, csrf

LONG = "长" * 2500 + "x" * 2500  # 5,000 characters
SCRIPT = "<script>alert(1)</script>"
HOSTILE = ["abc", "-1", "0", "99999999999999999999", "\x00", LONG, "../../etc/passwd", SCRIPT, "１", "😀", "1e309", "nan", "2026-13-45", " ", "%00", "'; drop table users;--"]
IDENTITIES = {  # name -> (username, login page)
    "anonymous": (None, None),
    "citizen": ("zhangmin", "/login"),
    "employer": ("xingan_food", "/login"),
    "staff": ("zx_wlht", "/console/login"),
    "admin": ("admin", "/console/login"),
}
LEAKS = ["Traceback", 'File "', "/work/", "site-packages", "sqlalchemy", "psycopg", "(sqlite3.", "IntegrityError",
         "OperationalError"]
CJK = re.compile(r"[\u4e00-\u9fff]")
SKIP_PREFIXES = ("/api/", "/openfisca", "/static", "/docs-assets")
SESSION_POSTS = ["/register", "/login", "/console/login", "/logout"]  # sent last, in this order
ALWAYS = ["99999999999999999999", "１"]  # in every path, as every identity: past 64 bits; int("１") == 1
PER_ROUTE = 4  # hostile values per (route, identity); rotated so the identities together use them all


def page_routes(app):
    """(path, APIRoute) of every route of the app, the included routers' too, without the JSON API."""
    def walk(routes):
        for r in routes:
            if isinstance(r, APIRoute):
                yield r.path, r
            elif hasattr(r, "effective_route_contexts"):  # FastAPI's included router
                for c in r.effective_route_contexts():
                    if isinstance(c.original_route, APIRoute):
                        yield c.path_format, c.original_route
    seen = set()
    for path, r in walk(app.routes):
        for method in sorted(r.methods or ()):
            if (method, path) in seen or path.startswith(SKIP_PREFIXES) or method not in ("GET", "POST"):
                continue
            seen.add((method, path))
            yield method, path, r


def fill(path: str, value: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: quote(value, safe=""), path)


def sample(values: list[str], seed: int, n: int = PER_ROUTE) -> list[str]:
    return [values[(seed + i) % len(values)] for i in range(n)]


def source_fields(endpoint) -> set[str]:
    """The form fields a route's function reads by name (form.get("x"), form["x"])."""
    try:
        src = inspect.getsource(endpoint)
    except (OSError, TypeError):
        return set()
    return set(re.findall(r"""form(?:\.get\(|\[)\s*["'](\w+)["']""", src))


def plausible(field: str) -> str:
    """A value a person might type into a field of this name."""
    from jiuye.cases.demo import demo_id

    f = field.lower()
    for keys, value in ((("id_number", "idn", "id_card", "identity"), demo_id("152201", "19900101", "123")),
                        (("date", "start", "end", "hired_on", "as_of", "day", "from", "until"), "2026-12-06"),
                        (("time",), "09:00"), (("phone", "mobile", "tel"), "13800000000"),
                        (("month",), "2026-12"), (("credit_code",), "91152201MA0DEM0019"),
                        (("_id", "version", "count", "people", "days", "amount", "wage", "hours", "seats", "price",
                          "quota", "positions", "jobs", "months", "yuan", "investment", "number", "size", "age",
                          "capacity", "headcount", "needed", "pay", "salary", "fee", "duration", "places"), "1")):
        if any(k in f for k in keys):
            return value
    return "测试"


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)


def forms_of(html: str, page: str):
    """(action, {name: type}, {name: the value the form shows}) of every POST form of a page."""
    for attrs, body in FORM.findall(html):
        if not re.search(r'method="post"', attrs, re.I):
            continue
        m = re.search(r'action="([^"]*)"', attrs)
        action = m.group(1).replace("&amp;", "&") if m and m.group(1) else page
        fields, shown = {}, {}
        for tag, a in FIELD.findall(body):
            name = re.search(r'name="([^"]+)"', a)
            if name and name.group(1) != "csrf_token":
                t = re.search(r'type="([^"]+)"', a)
                fields[name.group(1)] = (t.group(1) if t else tag).lower()
                value = re.search(r'value="([^"]*)"', a)
                if value and value.group(1) and tag.lower() == "input" and name.group(1) not in shown:
                    shown[name.group(1)] = value.group(1)
        for name, options in re.findall(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
            first = re.findall(r'<option\b[^>]*value="([^"]+)"', options)
            if first:
                shown[name] = first[0]
        yield urlsplit(action).path, fields, shown


def answer_problems(r) -> list[str]:
    """What is wrong with one answer: a 5xx, a trace / server path / database error in a text body,
    a 4xx HTML page without Chinese."""
    ctype = r.headers.get("content-type", "")
    problems = []
    if r.status_code >= 500:
        problems.append(str(r.status_code))
    if ctype.startswith(("text/", "application/json")):
        body = r.text
        problems += [f"leaks {w!r}" for w in LEAKS if w in body]
        if ctype.startswith("text/html") and SCRIPT in body:  # typed or stored earlier, shown unescaped
            problems.append("shows <script> unescaped")
        if 400 <= r.status_code < 500 and ctype.startswith("text/html") and not CJK.search(body):
            problems.append(f"{r.status_code} page not in Chinese")
    return problems


class Fuzz:
    def __init__(self, app):
        from fastapi.testclient import TestClient

        from jiuye.cases.demo import DEMO_PASSWORD

        self.routes = list(page_routes(app))
        self.clients = {}
        for who, (username, login) in IDENTITIES.items():
            c = TestClient(app, headers=HTML)
            if username:
                r = c.post(login, data={"username": username, "password": DEMO_PASSWORD,
                                        "csrf_token": csrf(c.get(login).text)}, follow_redirects=False)
                assert r.status_code == 303, (who, r.status_code, r.text[:300])
            self.clients[who] = c
        self.failures: list[str] = []
        self.forms: dict[tuple[str, str], dict[str, str]] = {}  # (identity, route path) -> fields
        self.requests = 0
        self.tokens: dict[str, str] = {}
        self.shown: dict[str, dict[str, str]] = {}  # route path -> the values its forms show
        self.concrete: dict[str, set[str]] = {}  # route path -> addresses of real objects found by crawl()
        self.actions: dict[str, set[str]] = {}  # route path -> the concrete addresses its forms post to
        self.statuses: dict[tuple[str, int], int] = {}

    def token(self, who: str, fresh: bool = False) -> str:
        """This identity's session CSRF token, read from a page that shows a form."""
        if fresh or who not in self.tokens:
            for page in ("/login", "/console/login", "/"):
                m = re.search(r'name="csrf_token" value="([^"]+)"', self.clients[who].get(page).text)
                if m:
                    self.tokens[who] = m.group(1)
                    break
        return self.tokens[who]

    def route_of(self, action: str) -> str | None:
        for method, path, r in self.routes:
            if method == "POST" and r.path_regex.match(action) or method == "POST" and path == action:
                return path
        return None

    def send(self, who: str, method: str, url: str, label: str, **kw):
        self.requests += 1
        try:
            r = self.clients[who].request(method, url, follow_redirects=False, **kw)
        except Exception as exc:  # noqa: BLE001 - a route that raises is a 500; keep going to find them all
            self.failures.append(f"{who} {method} {label}: 500 ({type(exc).__name__}: {str(exc)[:160]})")
            return None
        self.statuses[(method, r.status_code)] = self.statuses.get((method, r.status_code), 0) + 1
        problems = answer_problems(r)
        if problems:
            self.failures.append(f"{who} {method} {label}: {', '.join(problems)}")
        return r

    def crawl(self, per_route: int = 2, depth: int = 2):
        """Follow each identity's links from the pages without parameters to pages of real objects
        (at most per_route addresses per route): their addresses and forms are fuzzed after."""
        with_params = [(path, r) for method, path, r in self.routes if method == "GET" and r.dependant.path_params]
        for who in self.clients:
            frontier = [path for method, path, r in self.routes if method == "GET" and not r.dependant.path_params
                        and path not in ("/care",)]
            seen = set(frontier)
            for _ in range(depth):
                found = []
                for url in frontier:
                    resp = self.send(who, "GET", url, url)
                    if resp is None or resp.status_code != 200 or "text/html" not in resp.headers.get("content-type", ""):
                        continue
                    self.remember(who, resp.text, url)
                    for href in re.findall(r'href="(/[^"#?]*)', resp.text):
                        if href in seen:
                            continue
                        seen.add(href)
                        for path, r in with_params:
                            if r.path_regex.match(href) and len(self.concrete.setdefault(path, set())) < per_route * 3:
                                self.concrete[path].add(href)
                                found.append(href)
                                break
                frontier = found[:150]

    def get_round(self):
        self.crawl()
        for i, (method, path, r) in enumerate(self.routes):
            if method != "GET":
                continue
            query = [p.alias or p.name for p in r.dependant.query_params]
            has_path = bool(r.dependant.path_params)
            for j, who in enumerate(self.clients):
                # the path's ids = 1 (a real object, mostly) with hostile query values
                values = sample(HOSTILE, i * 7 + j * PER_ROUTE)
                urls = sorted(self.concrete.get(path, ()))
                url = urls[j % len(urls)] if urls else fill(path, "1")
                for v in (values[:2] if query else [None]):
                    params = self.params(query, v, j) if v is not None else None
                    resp = self.send(who, "GET", url, f"{url} ?{v!r:.30}" if v is not None else url, params=params)
                    if resp is not None and resp.status_code == 200 and "text/html" in resp.headers.get("content-type", ""):
                        self.remember(who, resp.text, url)
                if has_path:
                    for v in dict.fromkeys(values + ALWAYS):
                        params = self.params(query, v, j) or None
                        self.send(who, "GET", fill(path, v), f"{path} [{v!r:.30}]", params=params)
        # the listing pages link to real objects: show their forms too
        for who in self.clients:
            for url in ("/my", "/employer", "/console", "/station", "/console/fairs", "/training/provider",
                        "/console/welfare", "/console/window", "/console/training"):
                resp = self.clients[who].get(url, follow_redirects=False)
                if resp.status_code == 200:
                    self.remember(who, resp.text, url)

    def second_pass(self):
        """The first POST round made objects (a plausible form gets through): crawl again and fuzz the
        new objects' pages and forms."""
        pages = {k: set(v) for k, v in self.concrete.items()}
        actions = {k: set(v) for k, v in self.actions.items()}
        self.crawl()
        for i, (method, path, r) in enumerate(self.routes):
            new = sorted(self.concrete.get(path, set()) - pages.get(path, set()))
            if method != "GET" or not new:
                continue
            query = [p.alias or p.name for p in r.dependant.query_params]
            for j, who in enumerate(self.clients):
                v = HOSTILE[(i + j) % len(HOSTILE)]
                url = new[j % len(new)]
                resp = self.send(who, "GET", url, f"{url} ?{v!r:.30}", params=self.params(query, v, j) or None)
                if resp is not None and resp.status_code == 200 and "text/html" in resp.headers.get("content-type", ""):
                    self.remember(who, resp.text, url)
        grown = {k for k, v in self.actions.items() if v - actions.get(k, set())}
        if grown:
            self.post_round(only=grown)

    def field_round(self):
        """Each identity, on each form it was shown: every field in turn hostile, the others as the
        page shows them (the per-field parsing: numbers, dates, choices)."""
        sharp = [v for v in HOSTILE if v not in ("\x00", " ")]  # NUL is refused before any route runs
        for n, ((who, route), fields) in enumerate(sorted(self.forms.items())):
            if route in SESSION_POSTS:
                continue
            shown = self.shown.get(route, {})
            actions = sorted(self.actions.get(route, ()))
            names = sorted(f for f, t in fields.items() if t != "file")
            for k, bad in enumerate(names):
                v = sharp[(n + k) % len(sharp)]
                data = {f: (v if f == bad else shown.get(f) or plausible(f)) for f in names}
                data["csrf_token"] = self.token(who)
                url = actions[k % len(actions)]
                self.send(who, "POST", url, f"{url} [{bad}={v!r:.30}]", data=data)

    def body_round(self):
        """Bodies that are not a proper form, to every POST route as one identity in turn: a multipart
        without a boundary or cut short, JSON (valid and not) with the token in the header, bytes that
        are not UTF-8, every field twice."""
        for i, (method, path, r) in enumerate(self.routes):
            if method != "POST" or path in SESSION_POSTS:
                continue
            who = list(self.clients)[i % len(self.clients)]
            tok = self.token(who)
            url = sorted(self.actions.get(path, ())) or [fill(path, "1")]
            for label, ctype, body in (
                    ("no boundary", "multipart/form-data", b"abc"),
                    ("cut multipart", "multipart/form-data; boundary=xx", b'--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\nv'),
                    ("json", "application/json", b'{"name": 1, "to": [1]}'),
                    ("bad json", "application/json", b'{"name":'),
                    ("not utf-8", "application/x-www-form-urlencoded", b"csrf_token=" + tok.encode() + b"&name=%FF%FE&note=\xff"),
                    ("fields twice", "application/x-www-form-urlencoded",
                     ("csrf_token=" + tok + "&" + "&".join(f"{f}=1&{f}=x" for f in sorted(
                         source_fields(r.endpoint) | {p.alias or p.name for p in r.dependant.body_params}))).encode())):
                self.send(who, "POST", url[0], f"{path} ({label})", content=body,
                          headers={"content-type": ctype, "x-csrf-token": tok} if ctype.startswith("application/json")
                          else {"content-type": ctype})

    @staticmethod
    def params(query: list[str], value: str, seed: int) -> dict[str, str]:
        """Every query parameter = value; the 5,000-character value in one of them only (by seed), as
        several of them would pass the URL length the HTTP client itself allows."""
        if value is LONG and len(query) > 1:
            return {q: (value if k == seed % len(query) else "x") for k, q in enumerate(query)}
        return {q: value for q in query}

    def remember(self, who: str, html: str, page: str):
        for action, fields, shown in forms_of(html, page):
            route = self.route_of(action)
            if route:
                self.forms.setdefault((who, route), {}).update(fields)
                self.shown.setdefault(route, {}).update(shown)
                self.actions.setdefault(route, set()).add(action)

    def post_round(self, session: bool = False, only: set[str] | None = None):
        """Every POST route (the login/logout/register ones only with session=True, last: they change
        who is logged in); `only`: just these routes, with the addresses their forms post to."""
        posts = [(path, r) for method, path, r in self.routes if method == "POST"
                 and (path in SESSION_POSTS) == session and (only is None or path in only)]
        posts.sort(key=lambda pr: SESSION_POSTS.index(pr[0]) if pr[0] in SESSION_POSTS else -1)
        for i, (path, r) in enumerate(posts):
            declared = {p.alias or p.name: ("file" if "file" in (p.alias or p.name) else "text")
                        for p in r.dependant.body_params}
            for j, who in enumerate(self.clients):
                fields = {**{f: "text" for f in source_fields(r.endpoint)}, **declared}
                for (w, route), seen in self.forms.items():
                    if route == path:
                        fields.update(seen)
                token = self.token(who, fresh=path in SESSION_POSTS)
                for k, v in enumerate(sample(HOSTILE, i * 5 + j * 2, 0 if only else 2)):
                    data = {f: v for f, t in fields.items() if t != "file"}
                    files = {f: (v[:100] + ".pdf", b"%PDF-1.4\n" + v.encode()[:200], "application/pdf")
                             for f, t in fields.items() if t == "file"}
                    url = fill(path, "1" if k == 0 else v)
                    data["csrf_token"] = token
                    self.send(who, "POST", url, f"{path} [{v!r:.30}]", data=data, files=files or None)
                # a plausible form with one hostile field, to the addresses the pages' forms post to
                names = sorted(f for f, t in fields.items() if t != "file")
                for n, url in enumerate(sorted(self.actions.get(path, ()))[:2] or [fill(path, "1")]):
                    bad = names[(i + j + n) % len(names)] if names else None
                    v = HOSTILE[(i * 3 + j + n) % len(HOSTILE)]
                    shown = self.shown.get(path, {})
                    data = {f: (v if f == bad else shown.get(f) or plausible(f)) for f in names}
                    data["csrf_token"] = token
                    self.send(who, "POST", url, f"{url} [{bad}={v!r:.30}]", data=data)
                # and once without the token
                if not only:
                    self.send(who, "POST", fill(path, "1"), f"{path} (no csrf)", data={f: "1" for f in fields})


DEMOS = ["market", "platforms", "fairs", "gig", "training", "startup", "welfare_posts"]


def load_every_demo(engine):
    """Besides the cases' demo accounts: every service's demo objects (posts, stations, fairs, gig jobs,
    courses, projects, 公益性岗位), as the embedded database gets them, so the crawl finds real pages."""
    import importlib

    from sqlalchemy.orm import Session

    for name in DEMOS:
        module = importlib.import_module(f"jiuye.{name}.demo")
        loader = next(getattr(module, f) for f in dir(module) if f.startswith("load_demo_"))
        with Session(engine, expire_on_commit=False) as s:
            loader(s)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pagefuzz")
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "page-fuzz-secret")
    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            from jiuye.web.app import create_app

            load_every_demo(engine)

            yield Fuzz(create_app())
    finally:
        mp.undo()


def test_the_checks_catch_what_they_should():
    """The checks themselves: a 500, a leaked trace, an English 404 page are caught; a Chinese one is not."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, PlainTextResponse
    from fastapi.testclient import TestClient

    app = FastAPI()
    app.get("/boom")(lambda: PlainTextResponse("boom", status_code=500))
    app.get("/trace")(lambda: PlainTextResponse('Traceback (most recent call last):\n  File "/work/x.py"'))
    app.get("/english")(lambda: HTMLResponse("<p>Not found</p>", status_code=404))
    app.get("/xss")(lambda: HTMLResponse(f"<p>你好 {SCRIPT}</p>"))
    app.get("/chinese")(lambda: HTMLResponse("<p>没有这个页面。</p>", status_code=404))
    c = TestClient(app)
    assert answer_problems(c.get("/boom")) == ["500"]
    assert answer_problems(c.get("/trace")) == ["leaks 'Traceback'", "leaks 'File \"'", "leaks '/work/'"]
    assert answer_problems(c.get("/english")) == ["404 page not in Chinese"]
    assert answer_problems(c.get("/xss")) == ["shows <script> unescaped"]
    assert answer_problems(c.get("/chinese")) == []


def test_the_walk_finds_the_pages(fuzz):
    """The walk must see the included routers' pages, the ones added this session among them."""
    paths = {p for _m, p, _r in fuzz.routes}
    for p in ("/welfare", "/console/welfare", "/console/training", "/my/gig", "/my/fairs", "/startup", "/gig",
              "/fairs", "/training", "/console/window", "/my/cases/{case_id}", "/console/parameters/{path}"):
        assert p in paths, p
    assert len(fuzz.routes) > 150


def test_every_page_with_hostile_input(fuzz):
    started = time.monotonic()
    fuzz.get_round()
    fuzz.post_round()
    fuzz.second_pass()
    fuzz.field_round()
    fuzz.body_round()
    fuzz.crawl(per_route=4)  # the objects the forms made, shown again: stored input must come out escaped
    fuzz.post_round(session=True)
    elapsed = time.monotonic() - started
    print(f"\n{fuzz.requests} requests in {elapsed:.1f} s; forms seen for "
          f"{len({r for _w, r in fuzz.forms})} POST routes; answers {sorted(fuzz.statuses.items())}")
    assert not fuzz.failures, f"{len(fuzz.failures)} failures:\n" + "\n".join(sorted(set(fuzz.failures)))

"""Browser tests: Playwright (PyPI, pinned) driving Debian's Chromium against the real server.

One server and one browser per session:
- `server`: `jiuye serve` (the site and the task queue's consumer) on a free port, with a fresh
  JIUYE_VAR_DIR (the embedded SQLite is migrated and given the demo data on first use), JIUYE_TODAY
  pinned (reproducible pages and screenshots) and a fixed session key; waits for /healthz.
- `screenshot_dir` (autouse): where `shot` saves, $JIUYE_SCREENSHOT_DIR or a temporary folder.
- `browser`: headless /usr/bin/chromium (Playwright's own browser builds are never downloaded).
- `phone` (360x740, touch, DPR 2) and `desktop` (1280x900): a fresh context (no cookies) and page
  each, whose `page.goto("/")` is relative to the server, recording every request in `page.requests`.
- `journey_server` with `journey_phone` / `journey_desktop`: a second server (own database) on
  JOURNEY_TODAY, for the journeys that check a 失业保险金 amount (the parameters give it only until 2021-11).
- `server_on(day)`: a server on any date (one per date, started on first use), for steps that can only be
  taken inside a policy's window (test_every_procedure).

Setup (`make browser-deps`, run by `make test`) installs chromium + fonts-noto-cjk with apt and
axe-core with `npm ci`. When something is missing these tests FAIL saying what; they are skipped
only with JIUYE_SKIP_BROWSER=1.
"""
from __future__ import annotations

import os
import signal
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from browser_support import AXE_JS, CHROMIUM, REPO_ROOT

PINNED_TODAY = "2026-11-24"
JOURNEY_TODAY = "2021-06-01"
SKIP = os.environ.get("JIUYE_SKIP_BROWSER") == "1"
SETUP_HINT = ("run `make browser-deps` (as root: apt-get install -y chromium fonts-noto-cjk; "
              "npm ci in tests/browser), or set JIUYE_SKIP_BROWSER=1 to skip the browser tests")


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser` (so `-m "not browser"` leaves them out) and skip them
    only when asked to."""
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if SKIP:
                item.add_marker(pytest.mark.skip(reason="JIUYE_SKIP_BROWSER=1"))


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium against the real server (tests/browser)")


def _missing() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if "Noto" not in fonts:
            missing.append("a Chinese font (Debian package fonts-noto-cjk)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(REPO_ROOT)} (npm ci in tests/browser)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (make venv: it is in the test extras)")
    return missing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_ready():
    missing = _missing()
    if missing:
        pytest.fail("browser tests cannot run, missing: " + "; ".join(missing) + ". Fix: " + SETUP_HINT,
                    pytrace=False)


def _start(env: dict, log_path) -> tuple[subprocess.Popen, str]:
    """Start uvicorn on a free port; a port taken between choosing and binding: try another."""
    for _attempt in range(3):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                # `jiuye serve`, as `make serve` runs it: the site and the task queue's consumer (roster jobs)
                [str(Path(sys.executable).with_name("jiuye")), "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return proc, base
            except OSError:
                time.sleep(0.3)
        _stop(proc)
        text = log_path.read_text(errors="replace")
        if "address already in use" not in text.lower():
            break
    pytest.fail(f"the server did not answer {base}/healthz; its log:\n{text[-3000:]}", pytrace=False)


def _serve(tmp_path_factory, today: str):
    """The real app in its own process, its date pinned to `today`: .url ("http://127.0.0.1:PORT"),
    .var_dir, .log, .today."""
    var = tmp_path_factory.mktemp("jiuye-var")
    env = {k: v for k, v in os.environ.items()
           if k not in ("JIUYE_DATABASE_URL", "JIUYE_ATTACHMENTS_DIR", "JIUYE_SECRET_KEY")}
    env.update(JIUYE_VAR_DIR=str(var), JIUYE_TODAY=today, JIUYE_SECRET_KEY="browser-tests-only",
               PYTHONUNBUFFERED="1")
    log_path = var / "server.log"
    proc, base = _start(env, log_path)
    yield SimpleNamespace(url=base, var_dir=var, log=log_path, today=today)
    _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's whole process group (the server and its queue consumer), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, browser_ready):
    """The server every page test uses, on PINNED_TODAY."""
    yield from _serve(tmp_path_factory, PINNED_TODAY)


@pytest.fixture(scope="session")
def server(live_server) -> str:
    """The test server's base URL."""
    return live_server.url


@pytest.fixture(scope="session")
def journey_server(tmp_path_factory, browser_ready):
    """A second server on JOURNEY_TODAY, a date the rule parameters give the 失业保险金 base for (after
    2021-11 the documents do not, and the amount is honestly unknown): the journeys that check an
    amount run here, with their own fresh database."""
    yield from _serve(tmp_path_factory, JOURNEY_TODAY)


@pytest.fixture(scope="session")
def server_on(request, tmp_path_factory, browser_ready):
    """`server_on(day)`: a server whose date is `day` (ISO), one per date, started on first use and
    stopped at the end of the session; PINNED_TODAY and JOURNEY_TODAY are `live_server` and
    `journey_server`. For what can only be done inside a policy's window (one that closed years ago)."""
    started: dict[str, SimpleNamespace] = {}
    running = []

    def get(day: str) -> SimpleNamespace:
        if day == PINNED_TODAY:
            return request.getfixturevalue("live_server")
        if day == JOURNEY_TODAY:
            return request.getfixturevalue("journey_server")
        if day not in started:
            gen = _serve(tmp_path_factory, day)
            started[day] = next(gen)
            running.append(gen)
        return started[day]

    yield get
    for gen in running:
        next(gen, None)


@pytest.fixture(scope="session", autouse=True)
def screenshot_dir(tmp_path_factory):
    """Where `shot` saves the screenshots: $JIUYE_SCREENSHOT_DIR when set (`make screenshots` points it at
    docs/screenshots), else a temporary folder: `make test` leaves the working tree as it found it."""
    import browser_support

    chosen = os.environ.get("JIUYE_SCREENSHOT_DIR")
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots")
    previous, browser_support.SCREENSHOTS = browser_support.SCREENSHOTS, folder
    yield folder
    browser_support.SCREENSHOTS = previous


@pytest.fixture(scope="session")
def browser(browser_ready):
    from playwright.sync_api import sync_playwright

    args = ["--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        yield b
        b.close()


PHONE = dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
DESKTOP = dict(viewport={"width": 1280, "height": 900})


def _page(browser, server, **context_args):
    ctx = browser.new_context(base_url=server, locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.requests = []
    page.allowed_origin = server
    page.on("request", lambda req: page.requests.append(req.url))
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    return ctx, page


@pytest.fixture
def phone(browser, server):
    ctx, page = _page(browser, server, **PHONE)
    yield page
    ctx.close()


@pytest.fixture
def desktop(browser, server):
    ctx, page = _page(browser, server, **DESKTOP)
    yield page
    ctx.close()


@pytest.fixture
def journey_phone(browser, journey_server):
    """Like `phone`, against `journey_server`."""
    ctx, page = _page(browser, journey_server.url, **PHONE)
    yield page
    ctx.close()


@pytest.fixture
def journey_desktop(browser, journey_server):
    """Like `desktop`, against `journey_server`."""
    ctx, page = _page(browser, journey_server.url, **DESKTOP)
    yield page
    ctx.close()

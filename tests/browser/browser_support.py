"""Helpers for the browser tests (imported by tests/browser/*.py; the fixtures are in conftest.py).

- `axe(page)`: run axe-core (npm, pinned in package-lock.json) in the page; the serious/critical violations.
- `assert_no_axe_violations(page)`: the same, as an assertion with a readable message.
- `assert_no_horizontal_scroll(page)`: the page is no wider than the window (names the elements that stick out).
- `shot(page, name)`: a screenshot saved as <name>.png in `SCREENSHOTS` (a temporary folder for the run, or
  $JIUYE_SCREENSHOT_DIR: `make screenshots` refreshes docs/screenshots this way); the README must link
  docs/screenshots/<name>.png.
- `assert_no_external_requests(page)`: every request the page made went to the test server.
- `assert_no_csp_violations(page)`: the browser blocked nothing under the site's CSP (also part of the check above).
- `login(page, username, password, path)`: log in through the real form.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
DOCS_SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
# Where `shot` saves: set for the session by conftest.py's `screenshot_dir` fixture ($JIUYE_SCREENSHOT_DIR,
# else a pytest temporary folder), so that a test run never rewrites the screenshots in docs/.
SCREENSHOTS: Path | None = None
CHROMIUM = Path("/usr/bin/chromium")
DEMO_PASSWORD = "jiuye-demo"
DEMO_STAFF = "jd_wlht"
SERIOUS = ("serious", "critical")


def axe(page, impacts: tuple[str, ...] = SERIOUS) -> list[dict]:
    """axe-core's violations of the page as it is now, only those with one of `impacts`."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the site's CSP forbids inline
        # scripts (and rightly blocks add_script_tag); no request leaves the page either.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [v for v in violations if v.get("impact") in impacts]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    found = axe(page)
    assert not found, f"axe-core: serious/critical violations on {page.url}:\n{describe_violations(found)}"


def assert_no_horizontal_scroll(page) -> None:
    """document.scrollingElement.scrollWidth <= the window's width; on failure, list what sticks out.

    The width is the emulated viewport's (360 on the phone), not window.innerWidth: a mobile browser
    zooms out to fit wide content, and innerWidth then grows to the content's width (912 for a
    900 px box), which would hide exactly the overflow this looks for."""
    width = page.viewport_size["width"]
    # a click that posts a form may still be loading the next page: measure the settled document
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.scrollingElement !== null && document.readyState === 'complete'")
    sizes = page.evaluate("() => ({scroll: document.scrollingElement.scrollWidth, "
                          "client: document.documentElement.clientWidth})")
    inner = min(width, sizes["client"])
    if sizes["scroll"] <= inner:
        return
    wide = page.evaluate("""(w) => {
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > w + 0.5 && r.width > 0) {
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                         (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '') +
                         ' right=' + Math.round(r.right));
            }
            if (out.length >= 10) break;
        }
        return out;
    }""", inner)
    raise AssertionError(f"horizontal scroll on {page.url}: scrollWidth {sizes['scroll']} > viewport width "
                         f"{inner}; elements past the right edge: {wide}")


def shot(page, name: str, max_height: int = 1600) -> Path:
    """Save a screenshot of the page from its top, at most `max_height` CSS pixels tall (the first
    screens: the whole of a long policy page would be several megabytes), as <name>.png in SCREENSHOTS."""
    assert SCREENSHOTS is not None, "SCREENSHOTS is set by the `screenshot_dir` fixture (tests/browser/conftest.py)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    size = page.evaluate("() => ({w: document.documentElement.clientWidth, h: document.scrollingElement.scrollHeight})")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled",
                    clip={"x": 0, "y": 0, "width": size["w"], "height": min(size["h"], max_height)})
    link = f"(docs/screenshots/{name}.png)"
    assert link in (REPO_ROOT / "README.md").read_text(encoding="utf-8"), \
        f"screenshot {name}.png saved but not linked from README.md: add [...]{link}"
    return path


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def assert_no_external_requests(page) -> None:
    """Every request recorded on the page (see conftest's page fixtures) went to the test server:
    no CDN, no web fonts, no analytics. data: and blob: URLs stay inside the page and are allowed."""
    allowed = page.allowed_origin
    outside = [u for u in page.requests
               if not u.startswith(("data:", "blob:", "about:")) and origin(u) != allowed]
    assert not outside, f"requests outside {allowed} from {page.url}: {outside}"
    assert_no_csp_violations(page)


def assert_no_csp_violations(page) -> None:
    """The browser reported no Content-Security-Policy violation on the page (an inline script, style or
    handler the policy blocks means a feature that silently does not work)."""
    found = [m for m in getattr(page, "console_errors", []) if "Content Security Policy" in m]
    assert not found, f"CSP violations on {page.url}:\n" + "\n".join(found[:5])


def login(page, username: str = DEMO_STAFF, password: str = DEMO_PASSWORD, path: str = "/console/login"):
    """Log in through the real form; returns the response of the last navigation."""
    page.goto(path)
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action='%s'] button[type=submit]" % path.split("?")[0])
    return page


def page_checks(page, name: str | None = None) -> None:
    """What every main page must pass: axe-core (no serious/critical), no horizontal scroll on the
    phone, nothing from outside the app, a csrf_token in every POST form; and its screenshot."""
    if page.viewport_size["width"] <= 400:
        assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    assert_no_external_requests(page)
    forms = page.eval_on_selector_all(
        "form", "fs => fs.map(f => [f.method, f.getAttribute('action'), !!f.querySelector('input[name=csrf_token]')])")
    for method, action, has_token in forms:
        assert method.lower() != "post" or has_token, f"POST form {action} on {page.url} has no csrf_token"
    if name:
        shot(page, name)

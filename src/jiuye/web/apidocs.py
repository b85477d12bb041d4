"""The API documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served without the internet.

FastAPI's own pages load Swagger UI and ReDoc from a CDN (and ReDoc's fonts from Google) and start
Swagger UI with an inline script: on an intranet with no internet they stay blank, and they need a
relaxed Content-Security-Policy. Here:
- the assets come from the pinned PyPI package `fastapi-offline` (which bundles swagger-ui-bundle.js,
  swagger-ui.css, redoc.standalone.js and a favicon), served at ASSETS_URL;
- ReDoc's bundle is served with its one outside address replaced (REDOC_OUTSIDE: the Redocly logo
  of the sidebar's footer, which it fetches from a CDN whatever the options say) by an empty image;
- Swagger UI is started by static/swagger-init.js, which reads the spec's address from the page's
  `data-openapi-url`; ReDoc starts by itself on its `<redoc spec-url=…>` element: no inline script;
- the OpenAPI document stays at /openapi.json (FastAPI's own route).
The policy of the two pages is in jiuye.web.security (CSP_OVERRIDES).
"""
from __future__ import annotations

import functools
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
ASSETS_URL = "/docs-assets"
# The only address redoc.standalone.js loads by itself (checked by tests/test_hardening_web.py, which
# scans the served file for any other https:// image, font or script source).
REDOC_OUTSIDE = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


@functools.cache
def redoc_bundle() -> bytes:
    """fastapi-offline's redoc.standalone.js without its request to the outside (read once)."""
    bundle = (resources.files("fastapi_offline") / "static" / "redoc.standalone.js").read_bytes()
    return bundle.replace(REDOC_OUTSIDE, EMPTY_IMAGE)


def install(app: FastAPI) -> None:
    """Mount the bundled assets and add /docs and /redoc (the app is created with docs_url=None and
    redoc_url=None, so FastAPI adds neither its CDN pages nor its OAuth2 redirect page)."""
    from jiuye.web.pages.common import render

    @app.get(ASSETS_URL + "/redoc.standalone.js", include_in_schema=False)
    def redoc_js():  # before the mount below, which serves the other files as they are
        return Response(redoc_bundle(), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.mount(ASSETS_URL, StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")

    def urls(request: Request) -> dict[str, str]:
        root = request.scope.get("root_path", "").rstrip("/")
        return {"root": root, "assets": root + ASSETS_URL, "openapi_url": root + (app.openapi_url or "/openapi.json"),
                "api_title": app.title}

    @app.get(DOCS_URL, include_in_schema=False, response_class=HTMLResponse)
    def swagger_ui(request: Request):
        return render(request, "apidocs/swagger.html", urls(request))

    @app.get(REDOC_URL, include_in_schema=False, response_class=HTMLResponse)
    def redoc(request: Request):
        return render(request, "apidocs/redoc.html", urls(request))

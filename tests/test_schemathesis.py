"""Schemathesis over the whole API (issue 13, item 11): no input gives a server error, and every answer
has a documented status code, content type and (where one is declared) body schema.

- `/openapi.json` (FastAPI: /api/…, /healthz), in-process on PostgreSQL (the production database; it
  refuses more than SQLite does, e.g. ids past 32 bits) with the demo data, as each identity the routes
  distinguish: anonymous, staff (旗县市中心 zx_wlht; 街道 jd_wlht on the demo case that waits at the
  街道), an applicant (zhangmin), the administrator on the account routes.
- `/openfisca/spec` (the OpenFisca Web API mounted at /openfisca: calculate, trace, variables, parameters…).

Bounded and reproducible: JIUYE_SCHEMATHESIS_EXAMPLES cases per operation and identity (default 25, drawn
from both valid and invalid inputs per the document), derandomized, no example database. `test_harness_reports_failures` shows
that the same harness does report a route that fails.
"""
from __future__ import annotations

import os
import re

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from cases_support import configured, database
from schemathesis_support import fuzz

EXAMPLES = int(os.environ.get("JIUYE_SCHEMATHESIS_EXAMPLES", "25"))
DEMO_PASSWORD = "jiuye-demo"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("schemathesis")
    with database("postgresql", tmp) as url, configured(url, tmp) as engine:
        from jiuye.web.app import create_app

        yield create_app(), engine


def _login(app, username: str) -> str:
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        r = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        return r.json()["token"]


def _report(failures, sent: int) -> str:
    return f"{len(failures)} failure(s) in {sent} requests:\n" + "\n".join(str(f) for f in failures)


def test_openapi_no_server_error_and_documented_answers(app):
    app, engine = app
    from jiuye.cases.models import Case

    with Session(engine) as s:  # a demo case waiting at the 街道 (乌兰浩特市): staff there may act on it
        street_case = s.scalar(select(Case.id).where(Case.state == "street_review").order_by(Case.id))
    assert street_case is not None, "the demo data has no case at the 街道 step any more"
    tokens = {u: _login(app, u) for u in ("zx_wlht", "jd_wlht", "zhangmin", "admin", "liqiang")}

    def bearer(user: str) -> dict:
        return {"headers": {"Authorization": f"Bearer {tokens[user]}"}}

    def identities(op):
        yield "anonymous", {}
        if not any(p.name.lower() == "authorization" for p in op.headers):
            return
        if op.path == "/api/auth/logout":  # its own account: logging out must not end the others' tokens
            yield "applicant liqiang", bearer("liqiang")
            return
        yield "staff zx_wlht", bearer("zx_wlht")
        yield "applicant zhangmin", bearer("zhangmin")
        if op.path.startswith("/api/users"):
            yield "admin", bearer("admin")
        if "{case_id}" in op.path:
            yield f"staff jd_wlht on case {street_case}", {**bearer("jd_wlht"), "path_parameters": {"case_id": street_case}}

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert any(op.path == "/api/screen" for op in operations) and any(op.path == "/api/cases/{case_id}" for op in operations)
    failures, sent = fuzz(schema, identities=identities, max_examples=EXAMPLES)
    print(f"schemathesis /openapi.json: {len(operations)} operations, {sent} requests")
    assert not failures, _report(failures, sent)


def test_openfisca_spec_no_server_error(app):
    app, _ = app
    schema = schemathesis.openapi.from_asgi("/openfisca/spec", app)
    paths = {r.ok().path for r in schema.get_all_operations()}
    assert {"/calculate", "/trace"} <= paths
    failures, sent = fuzz(schema, max_examples=EXAMPLES, base_url="http://testserver/openfisca")
    print(f"schemathesis /openfisca/spec: {len(paths)} paths, {sent} requests")
    assert not failures, _report(failures, sent)


# --- what it found, each pinned (each was a 500 or an undocumented answer before) -------------------
def test_found_inputs_are_refused_naming_the_field(app):
    from fastapi.testclient import TestClient

    app, _ = app
    token = _login(app, "zx_wlht")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(app, raise_server_exceptions=False) as c:
        def refused(r, field: str) -> str:
            assert r.status_code == 422, r.text
            detail = r.json()["detail"]
            items = detail if isinstance(detail, list) else [detail]
            assert any(field in (i.get("field") or "") for i in items), r.text
            text = " ".join(i["message"] for i in items)
            assert re.search(r"[\u4e00-\u9fff]", text) and "Traceback" not in r.text, text
            return text

        # a date before the rules' parameters begin (ParameterNotFoundError)
        refused(c.post("/api/screen", json={"profile": {}, "as_of": "2000-01-01"}), "as_of")
        # counts and amounts past the rules' 32-bit integers (OverflowError in the simulation)
        assert "2147483647" in refused(c.post("/api/screen", json={"profile": {"subject": "enterprise",
                                                                              "insured_headcount": 6570831692}}),
                                       "insured_headcount")
        refused(c.post("/api/screen", json={"profile": {"monthly_wage": "999999999999.99"}}), "monthly_wage")
        # ids past 32 bits (PostgreSQL: integer out of range)
        assert "不能大于" in refused(c.get("/api/cases/130759574399895", headers=auth), "case_id")
        refused(c.get("/api/cases/1/attachments/99999999999", headers=auth), "attachment_id")
        refused(c.post("/api/cases/1/transitions", headers=auth, json={"to": "x", "version": 2**40}), "version")
        refused(c.get("/api/cases/overdue", headers=auth, params={"office_id": 2**40}), "office_id")
        # a body that is not UTF-8, a multipart form without its boundary (were 400 in English)
        refused(c.post("/api/screen", content=b"\xb6\xd2\x15", headers={"content-type": "application/json"}), "(body)")
        refused(c.post("/api/cases/import-batch/file", content=b"[1]", headers={**auth, "content-type": "multipart/form-data"}),
                "(body)")
        # a refusal with a status code the document did not list (401, 404)
        documented = c.get("/openapi.json").json()["paths"]["/api/cases/{case_id}"]["get"]["responses"]
        assert {"401", "403", "404", "422"} <= set(documented)
        assert c.get("/api/cases/1").status_code == 401


# --- the harness itself can fail -------------------------------------------------------------------
class Text(BaseModel):
    text: str


def _broken_app() -> FastAPI:
    """One route that raises on some input, one that answers 500 itself, one with an undocumented
    status code, one that is fine."""
    app = FastAPI()

    @app.post("/boom")
    def boom(body: Text):
        if len(body.text) > 2:
            raise RuntimeError("boom")
        return {"ok": True}

    @app.get("/fails")
    def fails(n: int = 0):
        return JSONResponse({"error": "internal"}, status_code=500 if n > 10 else 200)

    @app.get("/teapot")
    def teapot():
        return JSONResponse({"detail": "short and stout"}, status_code=418)

    @app.get("/fine")
    def fine(n: int = 0) -> dict:
        return {"n": n}

    return app


def test_harness_reports_failures():
    schema = schemathesis.openapi.from_asgi("/openapi.json", _broken_app())
    failures, sent = fuzz(schema, max_examples=EXAMPLES)
    by_route = {(f.operation, f.check) for f in failures}
    assert ("POST /boom", "exception") in by_route, _report(failures, sent)
    assert ("GET /fails", "ServerError") in by_route, _report(failures, sent)
    assert ("GET /teapot", "UndefinedStatusCode") in by_route, _report(failures, sent)
    assert not [f for f in failures if f.operation == "GET /fine"], _report(failures, sent)
    boom = next(f for f in failures if f.operation == "POST /boom" and f.check == "exception")
    assert "RuntimeError: boom" in boom.detail and "POST /boom" in boom.request

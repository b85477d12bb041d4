"""The JSON API and the first pages, through FastAPI's test client."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jiuye.web.app import create_app


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_healthz(client, kb):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["policies"] == len(kb.policies)


def test_policies_and_detail(client, spec):
    r = client.get("/api/policies", params={"as_of": "2026-11-24"})
    assert r.status_code == 200
    assert set(spec) <= {p["id"] for p in r.json()["policies"]}
    d = client.get("/api/policies/unemployment_assistance", params={"as_of": "2026-11-24", "district": "突泉县"}).json()
    assert d["window"]["state"] == "closed" and d["window"]["end"] == "2022-12-31"
    assert d["contacts"] and all(c["district"] == "突泉县" for c in d["contacts"])
    assert d["sources"] and d["entries"]
    d2021 = client.get("/api/policies/unemployment_assistance", params={"as_of": "2021-06-01"}).json()
    assert d2021["window"]["state"] == "open"


def test_unknown_names(client):
    r = client.get("/api/policies/startup_loan")
    assert r.status_code == 404
    assert "startup_loan_individual" in r.json()["detail"]["suggestions"]
    r = client.get("/api/contacts", params={"district": "北京"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "旗县市"
    r = client.get("/api/policies", params={"for": "robot"})
    assert r.status_code == 422


def test_contacts(client):
    r = client.get("/api/contacts", params={"district": "扎赉特旗", "topic": "失业保险"})
    assert [c["phone"] for c in r.json()["contacts"]] == ["0482-6718039"]


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/policies", "/api/policies/{policy_id}", "/api/contacts", "/api/audit", "/healthz"):
        assert p in paths


def test_pages_render_in_chinese(client):
    home = client.get("/")
    assert home.status_code == 200 and "政策目录" in home.text
    page = client.get("/policies/hard_to_employ_recognition", params={"district": "阿尔山市"})
    assert page.status_code == 200
    assert "需要带的材料" in page.text and "办理步骤" in page.text and "0482-2773" in page.text
    assert client.get("/policies/nope").status_code == 404

"""Schemathesis over an OpenAPI document, in-process (ASGI), bounded and reproducible.

`fuzz(schema, ...)` runs every operation of a loaded schema with Hypothesis: each operation gets
`max_examples` cases drawn from schemathesis' positive (valid per the document) and negative (invalid)
strategies, once per identity (anonymous, or an `Authorization` header given by `identities`).
Generation is derandomized and uses no example database, so two runs send the same requests.

Every response goes through the checks (no 5xx, documented status code, declared content type, the
documented body schema where one is declared); an exception that escapes the app counts as a server
error. Failures are collected, not raised, one per (operation, identity, check), with the request that
caused it, so one run lists everything that is wrong.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Callable, Iterable

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclasses.dataclass(frozen=True)
class Found:
    operation: str  # "POST /api/screen"
    identity: str  # "anonymous", "staff zx_wlht", …
    check: str  # the schemathesis check's name, or "exception"
    detail: str  # the check's title and the response status, or the exception
    request: str  # method, path, query, body of the first request that showed it

    def __str__(self) -> str:
        return f"{self.operation} [{self.identity}] {self.check}: {self.detail}\n    request: {self.request}"


def _describe(case) -> str:
    parts = [f"{case.method} {case.formatted_path}"]
    if case.query:
        parts.append(f"query={case.query!r}")
    if case.headers:
        shown = {k: ("Bearer …" if k.lower() == "authorization" and str(v).lower().startswith("bearer ") and len(str(v)) > 40 else v)
                 for k, v in case.headers.items()}
        parts.append(f"headers={shown!r}")
    body = getattr(case, "body", None)
    if body is not None and not (type(body).__name__ == "NotSet"):
        text = json.dumps(body, ensure_ascii=False, default=repr) if not isinstance(body, (bytes, str)) else repr(body)
        parts.append(f"body={text[:400]}{'…' if len(text) > 400 else ''}")
    return " ".join(parts)


def fuzz(schema, *, identities: Callable[[object], Iterable[tuple[str, dict]]] | None = None,
         max_examples: int = 25, base_url: str | None = None, checks=CHECKS,
         skip: Callable[[object, str], bool] | None = None) -> tuple[list[Found], int]:
    """(failures, number of requests sent). `identities(operation)` gives (label, fixed) pairs to run the
    operation as, `fixed` being what every case of that run keeps (`headers`, e.g. an Authorization
    header; `path_parameters`, e.g. a case id that exists); default: anonymous only, nothing fixed.
    `skip(operation, label)` leaves a pair out."""
    found: dict[tuple[str, str, str], Found] = {}
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        name = f"{operation.method.upper()} {operation.path}"
        for label, fixed in (identities(operation) if identities else [("anonymous", {})]):
            if skip and skip(operation, label):
                continue
            strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE, **fixed),
                                 operation.as_strategy(GenerationMode.NEGATIVE, **fixed))

            def record(check: str, detail: str, case) -> None:
                found.setdefault((name, label, check), Found(name, label, check, detail, _describe(case)))

            @settings(max_examples=max_examples, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                      report_multiple_bugs=False)
            @given(case=strategy)
            def run(case):
                nonlocal sent
                sent += 1
                try:
                    response = case.call(base_url=base_url)
                except Exception as exc:  # noqa: BLE001 - an exception escaping the app is a server error
                    record("exception", f"{type(exc).__name__}: {str(exc)[:300]}", case)
                    return
                try:
                    case.validate_response(response, checks=checks)
                except FailureGroup as group:
                    for failure in group.exceptions:
                        check = type(failure).__name__
                        record(check, f"{failure.title} (HTTP {response.status_code}): "
                                      f"{(failure.message or '')[:300]}", case)

            run()
    return list(found.values()), sent

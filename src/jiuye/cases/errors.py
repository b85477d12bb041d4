"""The case domain's errors. Each carries an HTTP status and a Chinese message (a 身份证号 in it is masked):
NotFound (404; also for cases the user may not see, so their existence is not revealed), Forbidden (403),
Conflict (409), Invalid (422), Unauthorized (401)."""
from __future__ import annotations

from typing import Any

from jiuye.cases.security import scrub


class CaseError(Exception):
    status = 400

    def __init__(self, message: str, **extra: Any):
        super().__init__(scrub(message))
        self.extra = extra

    def as_dict(self) -> dict:
        return {"message": str(self), **self.extra}


class Unauthorized(CaseError):
    status = 401


class Forbidden(CaseError):
    status = 403


class NotFound(CaseError):
    status = 404


class Conflict(CaseError):
    status = 409


class Invalid(CaseError):
    status = 422


__all__ = ["CaseError", "Conflict", "Forbidden", "Invalid", "NotFound", "Unauthorized"]

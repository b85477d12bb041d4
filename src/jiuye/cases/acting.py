"""What every domain's command line shares when a command acts as a user (jiuye cases, market, platforms, fairs,
gig, training, startup, welfare): the consoles, a database session (or exit 2 with the Chinese reason), the user
named by --as (or $JIUYE_USER) with the password from $JIUYE_PASSWORD or a prompt — the audit trail records who
acted, so the command line is no way around the roles — and a service call whose refusal (CaseError: every
domain's Invalid / Forbidden / NotFound / Conflict) ends the command with its Chinese message, exit code 2.

Users and CaseError live in cases/, which every domain already imports; the domains' CLIs import this module,
not jiuye.cases.cli."""
from __future__ import annotations

import json
import os
import sys
from typing import Any, Optional

import typer

from jiuye.cli_support import _fail as fail, err, out  # noqa: F401  (the consoles and refusals every command uses)

AS = typer.Option(None, "--as", help="以哪个用户的身份（用户名；密码取 $JIUYE_PASSWORD 或提示输入）")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def session():
    """A session on the configured database; a database that is not ready ends the command (exit 2)."""
    from sqlalchemy.orm import Session

    from jiuye.store.db import DatabaseNotReady, default_engine

    try:
        engine = default_engine()
    except DatabaseNotReady as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    return Session(engine, expire_on_commit=False)


def run_service(fn):
    """Call a service function for a domain's command; its refusal ends the command with the Chinese message."""
    from jiuye.cases.errors import CaseError

    try:
        return fn()
    except CaseError as exc:
        fail(exc)


def actor(s, username: Optional[str]):
    """The user named by --as (or $JIUYE_USER), checked against the password; else exit 2."""
    from sqlalchemy import select

    from jiuye.cases.models import User
    from jiuye.cases.security import verify_password

    username = username or os.environ.get("JIUYE_USER")
    if not username:
        fail(ValueError("请用 --as 指定以哪个用户的身份办理（或设置 JIUYE_USER）"))
    user = s.scalar(select(User).where(User.username == username))
    password = os.environ.get("JIUYE_PASSWORD")
    if password is None:
        password = typer.prompt(f"{username} 的密码", hide_input=True)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        fail(ValueError("用户名或密码错误"))
    return user

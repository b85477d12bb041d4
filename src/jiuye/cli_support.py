"""What the `jiuye` commands share (jiuye.cli and the commands the packages register: jiuye.ask.cli, jiuye.batch.cli,
jiuye.market.match_cli, jiuye.web.serve): the consoles, the knowledge base or exit 2 with the Chinese reason, --as-of
checked against the rules' range, JSON out, and the documents by their titles (never 000号资料)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, Optional

import typer
from rich.console import Console

from jiuye.config import today
from jiuye.knowledge.loader import DataError, get_knowledge

out = Console()
err = Console(stderr=True)


def _kb():
    try:
        return get_knowledge()
    except DataError as exc:
        err.print(f"[red]数据文件校验失败：[/red]{exc}")
        raise typer.Exit(2)


def _fail(exc: Exception) -> None:
    """A refusal the user can mend (an unknown name, a service's CaseError …): its Chinese message, exit code 2."""
    err.print(f"[red]{exc}[/red]", soft_wrap=True)
    raise typer.Exit(2)


def _as_of(value: Optional[str]) -> dt.date:
    """--as-of: a date in the rules' supported range (jiuye.rules.supported_range), else exit code 2."""
    from jiuye.rules.period import AsOfOutOfRange, check_as_of

    try:
        return check_as_of(dt.date.fromisoformat(value) if value else today())
    except AsOfOutOfRange as exc:
        err.print(f"[red]--as-of：{exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    except ValueError:
        err.print(f"[red]日期格式错误：--as-of「{value}」，应为 YYYY-MM-DD[/red]")
        raise typer.Exit(2)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _labels():
    from jiuye.knowledge.labels import labels

    return labels()


def _say(text: str | None) -> str:
    """A text of the data as people read it: 000号资料 and policy ids by their names."""
    return _labels().name_documents(text)


def _source(document: str | None, section: str | None = None) -> str:
    """《百问百答》三、失业保险政策 › …: a document by its title (never 000号资料)."""
    return _labels().source_name(document, section)


__all__ = ["_as_of", "_fail", "_kb", "_labels", "_print_json", "_say", "_source", "err", "out"]

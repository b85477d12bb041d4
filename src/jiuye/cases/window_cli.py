"""`jiuye cases receipt`: the 受理回执 or 一次性告知书 of a case filed at the window, as a PDF file
(the same document the console prints; the printing is recorded in the case's audit trail)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from jiuye.cases.acting import AS, out
from jiuye.cases.acting import actor as _actor, fail as _fail, session as _session


def receipt_cmd(case_id: int = typer.Argument(..., help="案件编号"),
                kind: str = typer.Option("receipt", "--kind", help="receipt：受理回执；notice：一次性告知书"),
                dest: Path = typer.Option(..., "--out", help="PDF 文件保存到哪里"),
                as_user: Optional[str] = AS) -> None:
    """导出窗口受理案件的受理回执或一次性告知书（PDF，内嵌中文字体）。"""
    from jiuye.cases import receipts, service, window

    if kind not in ("receipt", "notice"):
        _fail(ValueError("--kind 只能是 receipt（受理回执）或 notice（一次性告知书）"))
    with _session() as s:
        actor = _actor(s, as_user)
        try:
            d = window.receipt_data(s, actor, case_id)
            if kind == "notice" and not d["missing"]:
                raise service.Invalid("材料齐全，没有一次性告知书")
            data = receipts.receipt_pdf(d) if kind == "receipt" else receipts.notice_pdf(d)
            dest.write_bytes(data)
            window.record_print(s, actor, case_id, kind, receipts.sha256(data))
        except (service.CaseError, receipts.NoFont, OSError) as exc:
            _fail(exc)
    out.print(f"已保存 {'受理回执' if kind == 'receipt' else '一次性告知书'}（回执编号 {d['receipt_no']}）：{dest}")

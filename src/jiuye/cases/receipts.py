"""The 受理回执 and the 一次性告知书 as PDF, made on this machine (fpdf2) with a TrueType Chinese font
embedded (subset), so they print the same anywhere without fonts installed.

The font: $JIUYE_PDF_FONT (a .ttf/.ttc with TrueType outlines), else the first of FONT_CANDIDATES
that exists (Debian: fonts-wqy-microhei, installed by tests/browser/setup.sh). Noto CJK from
fonts-noto-cjk is CFF-based OpenType, which fpdf2 does not embed, so it is not a candidate.
Without a usable font the documents are refused with a clear message (NoFont, 503), not made
with missing glyphs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from jiuye.config import beijing_time

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


class NoFont(RuntimeError):
    status = 503

    def __init__(self) -> None:
        super().__init__("本机没有可嵌入 PDF 的中文字体，无法生成回执。请安装 Debian 软件包 fonts-wqy-microhei，"
                         "或用环境变量 JIUYE_PDF_FONT 指定一个 TrueType 中文字体文件。")


def font_path() -> Path:
    env = os.environ.get("JIUYE_PDF_FONT", "").strip()
    for cand in ([env] if env else []) + list(FONT_CANDIDATES):
        if cand and Path(cand).is_file():
            return Path(cand)
    raise NoFont()


def _pdf(title: str):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("兴安盟就业服务")
    pdf.set_creator("就业系统（本机生成）")
    path = font_path()
    opts = {"collection_font_number": 0} if path.suffix.lower() == ".ttc" else {}
    pdf.add_font("cjk", fname=str(path), **opts)
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.ln(2)
    return pdf


def _line(pdf, text: str, size: int = 11, gap: float = 1.5) -> None:
    pdf.set_font("cjk", size=size)
    pdf.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _head(pdf, d: dict) -> None:
    who = d["applicant"]
    ident = who.get("id_number") or who.get("credit_code") or ""
    kind = "身份证号" if who.get("kind") == "person" else "统一社会信用代码"
    _line(pdf, f"回执编号：{d['receipt_no']}")
    _line(pdf, f"申请人：{who['name']}（{kind} {ident}）")
    _line(pdf, f"申请事项：{d['procedure']}")
    _line(pdf, f"受理机构：{d['office'] or d['district']}" + (f"　电话：{d['office_phone']}" if d.get("office_phone") else ""))


def _filed(d: dict) -> str:
    at = d["filed_at"]
    return beijing_time(at.isoformat() if isinstance(at, dt.datetime) else str(at))


def receipt_pdf(d: dict) -> bytes:
    """受理回执: who, what, when, by whom; the materials received and missing; the next step and
    its deadline; how to follow the case."""
    pdf = _pdf("受理回执")
    _head(pdf, d)
    _line(pdf, f"受理时间：{_filed(d)}（北京时间）　受理人：{d['staff']}")
    sc = d["screening"]
    amount = "金额待定（需要信息）" if sc.get("amount") is None else f"{sc['amount']:,.2f} {sc.get('unit') or '元'}"
    _line(pdf, f"受理时按 {sc['as_of']} 的政策筛查：{sc['status_label']}；{amount}")
    _line(pdf, "已收材料：", size=12, gap=0.5)
    for i, m in enumerate(d["received"], 1):
        _line(pdf, f"  {i}. {m}", gap=0.5)
    if not d["received"]:
        _line(pdf, "  （无）", gap=0.5)
    if d.get("not_applicable"):
        _line(pdf, f"经核对不适用、无需提供：{'、'.join(d['not_applicable'])}", gap=0.5)
    pdf.ln(2)
    if d["missing"]:
        _line(pdf, f"尚缺材料 {len(d['missing'])} 项，详见同时出具的《一次性告知书》：", size=12, gap=0.5)
        for i, m in enumerate(d["missing"], 1):
            _line(pdf, f"  {i}. {m}", gap=0.5)
    else:
        _line(pdf, "材料齐全。")
    pdf.ln(2)
    nxt = f"下一步：{d['state']}" + (f"（由{d['acting']}办理）" if d.get("acting") else "")
    dl = d.get("deadline")
    if dl:
        nxt += f"；办理期限：{dl['limit_days']}，{dl['text']}" if dl.get("limit_days") else f"；{dl['text']}"
    _line(pdf, nxt)
    _line(pdf, "查询进度：登录兴安盟就业网站「我的申请」（在窗口核验过身份的账号可见），或凭回执编号向受理机构查询。")
    _foot(pdf, d)
    return bytes(pdf.output())


def notice_pdf(d: dict) -> bytes:
    """一次性告知书: exactly the materials still missing, once, with where to bring them."""
    if not d["missing"]:
        raise ValueError("材料齐全，无需出具一次性告知书")
    pdf = _pdf("一次性告知书")
    _head(pdf, d)
    _line(pdf, f"{d['applicant']['name']}：")
    _line(pdf, f"您于 {_filed(d)} 申请的「{d['procedure']}」，经核对，尚缺下列 {len(d['missing'])} 项材料。"
               "现一次性告知如下，请补齐后送交上述受理机构：")
    for i, m in enumerate(d["missing"], 1):
        _line(pdf, f"  {i}. {m}", size=12, gap=0.5)
    pdf.ln(2)
    _line(pdf, "以上为需要补齐的全部材料。补齐后按流程继续办理，不再要求提供上述清单以外的材料。")
    _line(pdf, f"已收材料：{'、'.join(d['received']) if d['received'] else '无'}。")
    if d.get("not_applicable"):
        _line(pdf, f"经核对不适用于您的材料（无需提供）：{'、'.join(d['not_applicable'])}。")
    _line(pdf, f"告知人：{d['staff']}　　告知时间：{_filed(d)}（北京时间）")
    _foot(pdf, d)
    return bytes(pdf.output())


def _foot(pdf, d: dict) -> None:
    pdf.ln(4)
    for src in d.get("sources") or []:
        _line(pdf, f"材料清单与流程依据：{src}", size=8, gap=0.5)
    _line(pdf, "本文书由兴安盟就业服务系统在本机生成。政策以经办机构最新规定为准；全国人社服务热线 12333。", size=8)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["FONT_CANDIDATES", "NoFont", "font_path", "notice_pdf", "receipt_pdf", "sha256"]

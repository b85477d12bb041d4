"""Chinese names for the codes people would otherwise see (data/web/labels.yaml), and the documents'
titles: used by the web pages, the command line and the screening reasons alike (web and cases
import it from here; ``jiuye.web.labels`` re-exports it).

Validated on load: every section is present and every name contains Chinese characters. A code
with no name is shown as 「未命名：code」 rather than bare, and tests/test_console_labels.py checks
that every code the program can produce has a name.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from jiuye.config import data_dir

CJK = re.compile(r"[\u4e00-\u9fff]")
# 000号资料, 003号文件, or a bare 000 / 003 citing a section (000 五(一)14); not 1,000 or 2003
_DOC_CODE = re.compile(r"(?<![\d,.])(000|003)(?:号资料|号文件|号)?(?![\d,.%])")
_POLICY_ID = re.compile(r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?![\w])")


@lru_cache(maxsize=1)
def _policy_names() -> dict[str, str]:
    from jiuye.knowledge.loader import get_knowledge

    return {pid: p.name for pid, p in get_knowledge().policies.items()}


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    screening_status: dict[str, str]
    channel: dict[str, str]
    roster_subject: dict[str, str]
    roster_state: dict[str, str]
    severity: dict[str, str]
    audit_kind: dict[str, str]
    rejection: dict[str, str]
    rejection_field: dict[str, str]
    document_short: dict[str, str]
    synth_error: dict[str, str]

    @field_validator("*")
    @classmethod
    def _chinese(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("这一节是空的")
        for code, name in v.items():
            if not isinstance(name, str) or not CJK.search(name):
                raise ValueError(f"「{code}」的名称「{name}」不含汉字")
        return v

    @field_validator("rejection_field")
    @classmethod
    def _template(cls, v: dict[str, str]) -> dict[str, str]:
        for code, name in v.items():
            if "{field}" not in name:
                raise ValueError(f"「{code}」的名称「{name}」应含 {{field}}（该列的中文名）")
        return v

    def of(self, section: str, code: str | None) -> str:
        """The name of `code` in `section` ('' for no code)."""
        if code is None or code == "":
            return ""
        return getattr(self, section).get(code) or f"未命名：{code}"

    def document_title(self, code: str | None) -> str:
        """《兴安盟现行就业政策百问百答》（2021）: a document's own title and date, for a citizen."""
        from jiuye.knowledge.models import DOCUMENTS

        doc = DOCUMENTS.get(code or "")
        if doc is None:
            return self.document_short.get(code or "", "资料")
        y, _, m = doc["date"].partition("-")
        return f"《{doc['title']}》（{y}年{int(m)}月）" if m else f"《{doc['title']}》（{y}年）"

    def source_name(self, code: str | None, section: str | None = None) -> str:
        """《百问百答》三、失业保险政策 › (一)失业保险金政策 › 1: a document's short title and the section."""
        short = self.document_short.get(code or "", "资料")
        return f"{short}{section.strip()}" if section and section.strip() else short

    def name_document_codes(self, text: str | None) -> str:
        """000号资料 / 003 in a text by the documents' short titles (《百问百答》, 《政策手册》)."""
        return _DOC_CODE.sub(lambda m: self.document_short.get(m.group(1), m.group(0)), text or "")

    def name_documents(self, text: str | None) -> str:
        """A data text as a citizen reads it: 000号资料 / 003号资料 / 000 五(一)14 with the documents'
        short titles, and a policy's id (job_fair) by the policy's name."""
        if not text:
            return text or ""
        text = _DOC_CODE.sub(lambda m: self.document_short.get(m.group(1), m.group(0)), text)
        names = _policy_names()
        if "_" in text or any(pid in text for pid in names):
            text = _POLICY_ID.sub(lambda m: f"「{names[m.group(0)]}」" if m.group(0) in names else m.group(0), text)
        return text

    def rejection_label(self, kind: str, field_titles: dict[str, str] | None = None) -> str:
        """A roster rejection kind: 'sex_mismatch', or 'invalid:birth_date' (a kind about one column)."""
        if kind in self.rejection:
            return self.rejection[kind]
        prefix, _, fname = kind.partition(":")
        if fname and prefix in self.rejection_field:
            return self.rejection_field[prefix].format(field=(field_titles or {}).get(fname, "某一列"))
        return f"未命名：{kind}"


@lru_cache(maxsize=1)
def labels() -> Labels:
    path = data_dir() / "web" / "labels.yaml"
    try:
        return Labels.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except Exception as exc:  # a broken labels file stops the app at start, naming the file
        raise ValueError(f"{path}：{exc}") from exc


_ASCII_PARENS = re.compile(r"\s*\(([^()]*)\)")


def chinese_part(text: str | None) -> str:
    """The Chinese of a data text that carries an English gloss for developers: drops half-width
    '(English …)' and '; English …' parts with no Chinese in them; keeps everything else
    (full-width （…） notes, codes inside Chinese sentences such as 'LPR')."""
    if not text:
        return ""
    if not CJK.search(text):
        return text
    out = _ASCII_PARENS.sub(lambda m: m.group(0) if CJK.search(m.group(1)) else "", text)
    parts = re.split(r"(;\s*|\s+›\s+)", out)
    kept: list[str] = []
    for i in range(0, len(parts), 2):
        seg = parts[i]
        english = not CJK.search(seg.strip()[:12])  # an English sentence, perhaps quoting a Chinese name
        if seg.strip() and not english:
            kept.append((parts[i - 1] if kept else "") + seg)
    return "".join(kept).strip() or text

"""Attachments for a case's materials: size and type limits, stored on disk with a sha256.

Files live under `jiuye.config.attachments_dir()` ($JIUYE_ATTACHMENTS_DIR, default var/attachments)
at `<sha256[:2]>/<sha256>`: the same content is stored once, and a file's name on disk is its
checksum. The type is decided by the file's first bytes, not by the name or the declared type.
Limits: $JIUYE_ATTACHMENT_MAX_BYTES (default 10 MiB) per file, 30 files per case.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import Attachment, User
from jiuye.cases.procedures import get_procedures, materials_of
from jiuye.cases.access import require_attach
from jiuye.cases.access import load_case, valid_row_id
from jiuye.cases.errors import Invalid, NotFound
from jiuye.cases.service import _record_event
from jiuye.config import attachments_dir

OTHER = "其他材料"
MAX_PER_CASE = 30
# type -> (magic bytes at offset 0, extensions)
TYPES = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
}


def max_bytes() -> int:
    return int(os.environ.get("JIUYE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))


def sniff(data: bytes) -> str | None:
    for ctype, (magic, _) in TYPES.items():
        if data.startswith(magic):
            return ctype
    return None


def _clean_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip() or "file"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def store_bytes(data: bytes, root: Path | None = None) -> tuple[str, str]:
    """Write `data` (atomically) and return (sha256, path relative to the attachments folder)."""
    root = root or attachments_dir()
    digest = hashlib.sha256(data).hexdigest()
    rel = f"{digest[:2]}/{digest}"
    target = root / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return digest, rel


def add_attachment(s: Session, actor: User, case_id: int, material: str, filename: str, data: bytes,
                   declared_type: str | None = None) -> Attachment:
    """Attach a file to a material of the checklist (or 其他材料). Only whoever may act at the case's
    current step (the applicant while it waits for them) can upload, while the case is open
    (`jiuye.cases.access.may_attach`)."""
    try:
        case = load_case(s, actor, case_id)
        proc = get_procedures()[case.procedure]
        require_attach(actor, case)
        checklist = materials_of(proc)
        if material not in checklist and material != OTHER:
            raise Invalid(f"「{material}」不在「{proc.name}」的材料清单中；可选：{'、'.join(checklist + [OTHER])}",
                          field="material", materials=checklist + [OTHER])
        limit = max_bytes()
        if len(data) == 0:
            raise Invalid("文件是空的", field="file")
        if len(data) > limit:
            raise Invalid(f"文件 {len(data) / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限", field="file")
        ctype = sniff(data)
        if ctype is None:
            raise Invalid("只接受 PDF、JPEG、PNG 文件（按文件内容判断）", field="file")
        if declared_type and declared_type not in (ctype, "application/octet-stream") and declared_type in TYPES:
            raise Invalid(f"文件内容是 {ctype}，与声明的类型 {declared_type} 不符", field="file")
        count = s.scalar(select(func.count()).select_from(Attachment).where(Attachment.case_id == case.id))
        if count >= MAX_PER_CASE:
            raise Invalid(f"每个案件最多 {MAX_PER_CASE} 个附件", field="file")
        digest, rel = store_bytes(data)
        att = Attachment(case_id=case.id, material=material, filename=_clean_name(filename), content_type=ctype,
                         size=len(data), sha256=digest, storage_path=rel, uploaded_by_id=actor.id)
        s.add(att)
        s.flush()
        _record_event(s, case, actor, "attachment", None, None, f"上传材料：{material}",
                      {"attachment_id": att.id, "filename": att.filename, "sha256": digest, "size": len(data)})
        s.commit()
        return att
    except BaseException:
        s.rollback()
        raise


def read_attachment(s: Session, actor: User, case_id: int, attachment_id: int) -> tuple[Attachment, bytes]:
    """The file, checked against its stored sha256 (a changed or missing file is an error, not data)."""
    case = load_case(s, actor, case_id)
    att = s.scalar(select(Attachment).where(Attachment.id == attachment_id, Attachment.case_id == case.id)
                   ) if valid_row_id(attachment_id) else None
    if att is None:
        raise NotFound(f"案件 {case_id} 没有编号为 {attachment_id} 的附件")
    path = attachments_dir() / att.storage_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"附件 {attachment_id} 的文件不在存储目录中（{att.storage_path}）") from None
    if hashlib.sha256(data).hexdigest() != att.sha256:
        raise Invalid(f"附件 {attachment_id} 的文件校验和不符，文件可能已损坏或被改动")
    return att, data

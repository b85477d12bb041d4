"""Load and validate every data file once; the rest of Jiuye reads the KnowledgeBase.

A file that fails validation raises DataError naming the file, the entry and the field, so that
start-up stops with a message a data editor can act on.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from jiuye.config import data_dir
from jiuye.knowledge.models import (
    DOCUMENTS, Contacts, DagongExpress, District, Entry, Finding, Policy,
)
from jiuye.knowledge.text import normalise

M = TypeVar("M", bound=BaseModel)


# libyaml's C loader when PyYAML was built with it (the PyPI wheels are): ~5x faster start-up
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(Exception):
    """A data file is missing, unreadable or invalid."""


def parse_yaml(text: str) -> Any:
    """YAML with libyaml's safe loader where available (every data file of the project)."""
    return yaml.load(text, Loader=_YAML_LOADER)


def validation_problems(exc: ValidationError) -> str:
    """A pydantic error as one line naming each field: "field 'steps.0.days': …; …"."""
    return "; ".join(f"field '{'.'.join(str(p) for p in err['loc']) or '(root)'}': {err['msg']}" for err in exc.errors())


def _read_yaml(path: Path) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: file missing") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from None


def _validate(model: type[M], raw: Any, path: Path, entry: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(f"{path}: entry {entry}: {validation_problems(exc)}") from None


@dataclass
class KnowledgeBase:
    root: Path
    policies: dict[str, Policy]
    entries: list[Entry]
    contacts: Contacts
    districts: list[District]
    incubation: dict[str, Any]
    dagong_express: DagongExpress
    curated_findings: list[Finding]
    source_texts: dict[str, str] = field(repr=False)  # document code -> normalised text

    @functools.cached_property
    def entries_by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @functools.cached_property
    def district_names(self) -> dict[str, str]:
        """Every name or alias of a district -> its key."""
        names: dict[str, str] = {}
        for d in self.districts:
            names[d.key] = d.key
            for a in d.aliases:
                names[a] = d.key
        return names

    def quote_in_source(self, document: str, quote: str) -> bool:
        return normalise(quote) in self.source_texts[document]

    @functools.cached_property
    def _section_index(self) -> list[tuple[str, str, str, frozenset[str]]]:
        return [(e.doc_code, normalise(f"{e.question}\n{e.answer}"), e.section, frozenset(e.policies)) for e in self.entries]

    def sections_of(self, document: str, quote: str, policy: str | None = None) -> list[str]:
        """The sections of a document (its entries in data/qa/) that hold a quoted text, in the
        document's order; those whose entry concerns ``policy`` first."""
        text = normalise(quote)
        found = [(pol, section) for doc, body, section, pol in self._section_index if doc == document and text in body]
        ordered = [s for pol, s in found if policy in pol] + [s for pol, s in found if policy not in pol]
        return list(dict.fromkeys(ordered))


def _load_policies(root: Path) -> dict[str, Policy]:
    policies: dict[str, Policy] = {}
    folder = root / "policies"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataError(f"{folder}: no policy files")
    for path in files:
        raw = _read_yaml(path)
        entry = raw.get("id", path.stem) if isinstance(raw, dict) else path.stem
        policy = _validate(Policy, raw, path, str(entry))
        if policy.id != path.stem:
            raise DataError(f"{path}: entry {policy.id}: field 'id': must equal the file name '{path.stem}'")
        policies[policy.id] = policy
    return policies


def _load_entries(root: Path) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    for path in sorted((root / "qa").glob("*.yaml")):
        raw = _read_yaml(path) or []
        for i, item in enumerate(raw):
            label = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            e = _validate(Entry, item, path, str(label))
            if e.id in seen:
                raise DataError(f"{path}: entry {e.id}: field 'id': duplicate id")
            seen.add(e.id)
            entries.append(e)
    return entries


def _check_references(kb: KnowledgeBase) -> None:
    """Cross-file checks: every id, topic and district named somewhere exists."""
    ids = set(kb.policies)
    for e in kb.entries:
        for pid in e.policies:
            if pid not in ids:
                raise DataError(f"{kb.root / 'qa'}: entry {e.id}: field 'policies': unknown policy id '{pid}'")
    topics = set(kb.contacts.topics)
    for p in kb.policies.values():
        if p.contact_topic not in topics:
            raise DataError(
                f"{kb.root / 'policies' / (p.id + '.yaml')}: entry {p.id}: field 'contact_topic': "
                f"unknown topic '{p.contact_topic}' (known: {', '.join(sorted(topics))})"
            )
    for key, topic in kb.contacts.topics.items():
        for pid in topic.policies:
            if pid not in ids:
                raise DataError(f"{kb.root / 'contacts.yaml'}: entry topics.{key}: field 'policies': unknown policy id '{pid}'")
    districts = kb.district_names
    for t in kb.contacts.tables:
        for r in t.rows:
            if r.district not in districts and not r.not_in_league:
                raise DataError(
                    f"{kb.root / 'contacts.yaml'}: entry {t.id}: field 'rows.district': unknown district "
                    f"'{r.district}' (mark it not_in_league: true if the document names a place outside the league)"
                )
    dagong, path = kb.dagong_express, kb.root / "dagong_express.yaml"
    if dagong.policy not in ids:
        raise DataError(f"{path}: entry (file): field 'policy': unknown policy id '{dagong.policy}'")
    if dagong.contact_topic not in topics:
        raise DataError(f"{path}: entry (file): field 'contact_topic': unknown topic '{dagong.contact_topic}'")
    tables = {t.id for t in kb.contacts.tables}
    for tid in dagong.contact_tables:
        if tid not in tables:
            raise DataError(f"{path}: entry (file): field 'contact_tables': unknown table id '{tid}'")
    for f in kb.curated_findings:
        for pid in f.policies:
            if pid not in ids:
                raise DataError(f"{kb.root / 'audit' / 'findings.yaml'}: entry {f.id}: field 'policies': unknown policy id '{pid}'")


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    root = Path(root) if root else data_dir()
    sources = {}
    for code, meta in DOCUMENTS.items():
        path = root / "sources" / meta["file"]
        if not path.exists():
            raise DataError(f"{path}: source document missing")
        sources[code] = normalise(path.read_text(encoding="utf-8"))

    raw_contacts = _read_yaml(root / "contacts.yaml")
    contacts = _validate(Contacts, raw_contacts, root / "contacts.yaml", "(file)")
    raw_districts = _read_yaml(root / "districts.yaml") or {}
    districts = [
        _validate(District, d, root / "districts.yaml", str(d.get("key", i)))
        for i, d in enumerate(raw_districts.get("districts", []))
    ]
    findings_path = root / "audit" / "findings.yaml"
    raw_findings = _read_yaml(findings_path) or []
    if isinstance(raw_findings, dict):
        raw_findings = raw_findings.get("findings", [])
    findings = [
        _validate(Finding, f, findings_path, str(f.get("id", i))) for i, f in enumerate(raw_findings)
    ]
    kb = KnowledgeBase(
        root=root,
        policies=_load_policies(root),
        entries=_load_entries(root),
        contacts=contacts,
        districts=districts,
        incubation=_read_yaml(root / "incubation_bases.yaml") or {},
        dagong_express=_validate(DagongExpress, _read_yaml(root / "dagong_express.yaml"), root / "dagong_express.yaml",
                                 "(file)"),
        curated_findings=findings,
        source_texts=sources,
    )
    _check_references(kb)
    return kb


@functools.lru_cache(maxsize=4)
def get_knowledge(root: str | None = None) -> KnowledgeBase:
    """The process-wide knowledge base, loaded once."""
    return load_knowledge(Path(root) if root else None)

"""A sentence of one of the two source documents, as the domain packages' settings files quote it
(document 000 or 003, its section, the words): validated on load, cited on the pages."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


class QuotedSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: str
    section: str
    quote: str

    @field_validator("document")
    @classmethod
    def _doc(cls, v):
        if v not in ("000", "003"):
            raise ValueError("document 应为 000 或 003")
        return v

    def cite(self) -> str:
        """“…”（《百问百答》二、公益性岗位政策 › 4）: the document by its short title, never its code (000)."""
        from jiuye.knowledge.labels import labels

        return f"“{self.quote}”（{labels().source_name(self.document, self.section)}）"

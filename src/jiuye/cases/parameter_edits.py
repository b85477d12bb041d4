"""The record of parameter changes (``parameter_edits``: its highest id is the parameters' version stamp), where the
parameter files are, and reloading them into this process's rules: what the console's changes
(`jiuye.cases.parameters`) and the check across processes (`jiuye.cases.parameter_sync`) share."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jiuye.cases.models import Base, utcnow
from jiuye.config import data_dir


class ParameterEdit(Base):
    """One change of a rules parameter made in the console (append-only by convention)."""

    __tablename__ = "parameter_edits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    parameter: Mapped[str] = mapped_column(String(200), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)  # the value in force on `start` before
    replaced: Mapped[Any] = mapped_column(JSON, nullable=True)  # the entry that was at exactly `start`, if any
    new_value: Mapped[Any] = mapped_column(JSON, nullable=False)
    source: Mapped[str] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(50))
    user_role: Mapped[str] = mapped_column(String(20))
    file: Mapped[str] = mapped_column(String(300))  # relative to the parameters directory
    sha256_before: Mapped[str] = mapped_column(String(64))
    sha256_after: Mapped[str] = mapped_column(String(64))


def parameters_dir() -> Path:
    """Where the rules parameters are read and written: $JIUYE_DATA_DIR/parameters (data/parameters)."""
    return data_dir() / "parameters"


def reload_rules(directory: Path | None = None) -> bool:
    """Reload the rules' parameters in this process (in place: the screener, the batch runner and
    the OpenFisca Web API share the one tax-benefit system). False when the rules were not built
    yet (they will read the files when they are)."""
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    from jiuye.rules import build_system

    if build_system.cache_info().currsize == 0:
        return False
    tbs = build_system()
    tbs.load_parameters(str(directory or parameters_dir()))
    TaxBenefitSystem.get_parameters_at_instant.cache_clear()
    from jiuye.batch import plan

    plan.reform_system.cache_clear()
    plan.build_plan.cache_clear()
    return True

"""Screening a whole roster (免申即享 at scale): ``jiuye batch`` and ``jiuye synth``.

Modules: :mod:`~jiuye.batch.io` (CSV/XLSX/Parquet readers and writers, chunks; :mod:`~jiuye.batch.safe_cells`:
no written cell runs as a spreadsheet formula),
:mod:`~jiuye.batch.columns` (headers → profile fields, cell values), :mod:`~jiuye.batch.ids`
(身份证号 and 统一社会信用代码 over whole columns), :mod:`~jiuye.batch.validate` (rows accepted or
rejected with every reason), :mod:`~jiuye.batch.plan` (policies and labels from the screening;
what-if reforms), :mod:`~jiuye.batch.compute` (one chunk: one vectorised OpenFisca simulation),
:mod:`~jiuye.batch.runner` (the driver: engines, resume, outputs, summary, chart),
:mod:`~jiuye.batch.synth` (synthetic rosters).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jiuye.batch.runner import BatchError, Options, Outcome, run

__all__ = ["BatchError", "Options", "Outcome", "run"]


def __getattr__(name: str) -> Any:
    """The driver is imported on first use, so that light modules (``jiuye.batch.safe_cells``, used by
    the case export) do not pull in the rules."""
    if name in __all__:
        from jiuye.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'jiuye.batch' has no attribute {name!r}")

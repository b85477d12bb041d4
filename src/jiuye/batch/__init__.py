"""Screening a whole roster (免申即享 at scale): ``jiuye batch`` and ``jiuye synth``.

Modules: :mod:`~jiuye.batch.io` (CSV/XLSX/Parquet readers and writers, chunks),
:mod:`~jiuye.batch.columns` (headers → profile fields, cell values), :mod:`~jiuye.batch.ids`
(身份证号 and 统一社会信用代码 over whole columns), :mod:`~jiuye.batch.validate` (rows accepted or
rejected with every reason), :mod:`~jiuye.batch.plan` (policies and labels from the screening;
what-if reforms), :mod:`~jiuye.batch.compute` (one chunk: one vectorised OpenFisca simulation),
:mod:`~jiuye.batch.runner` (the driver: engines, resume, outputs, summary, chart),
:mod:`~jiuye.batch.synth` (synthetic rosters).
"""
from jiuye.batch.runner import BatchError, Options, Outcome, run

__all__ = ["BatchError", "Options", "Outcome", "run"]

"""What every roster reader shares (:mod:`jiuye.batch.readers` for XLSX, Parquet and the choice of reader,
:mod:`jiuye.batch.csvread` for CSV): the formats, the chunk of records, the reader's interface, the input error."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
SAMPLE_BYTES = 1 << 20
EMPTY_ROWS_STOP = 10_000  # this many empty sheet rows in a row end the data (styled empty rows below it)
ZIP_MAX_RATIO = 200  # a part of an .xlsx unpacking to more than 200× its packed size (and over 8 MiB) is a bomb
ZIP_RATIO_FROM = 8 << 20


class BatchInputError(ValueError):
    """The input cannot be read at all (Chinese message for the user)."""


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".xls":
        raise BatchInputError(f"「{Path(path).name}」是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再试")
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise BatchInputError(f"不支持的文件类型「{suffix or Path(path).name}」：可用 .csv（UTF-8 或 GBK）、.xlsx、.parquet")
    return fmt


@dataclass
class RawChunk:
    index: int
    table: pa.Table  # all columns strings (null or "" = empty cell)
    rows: np.ndarray  # int64 record numbers of the table's rows
    malformed: list[tuple] = field(default_factory=list)  # (record number, raw text, why, line)
    ids: object = None  # the checked key column, when the driver already built it (local engine only)
    lines: np.ndarray | None = None  # int64 lines (Excel rows) of the table's rows; None: record + 1

    @property
    def count(self) -> int:
        return self.table.num_rows + len(self.malformed)

    @property
    def first_row(self) -> int:
        candidates = ([int(self.rows[0])] if len(self.rows) else []) + [m[0] for m in self.malformed]
        return min(candidates) if candidates else 0

    def line_numbers(self) -> np.ndarray:
        return self.lines if self.lines is not None else self.rows + 1


def _dedupe(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        h = (h or "").strip().lstrip("\ufeff") or f"第{i + 1}列"
        if h in seen:
            seen[h] += 1
            h = f"{h}#{seen[h]}"
        else:
            seen[h] = 1
        out.append(h)
    return out


def empty_table(headers: list[str]) -> pa.Table:
    return pa.table({h: pa.array([], pa.string()) for h in headers})


class Reader:
    format = ""
    encoding: str | None = None
    headers: list[str]
    estimated_rows: int | None = None

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:  # pragma: no cover - interface
        raise NotImplementedError

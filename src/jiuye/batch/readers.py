"""Reading rosters in chunks: CSV (UTF-8 or GBK, found by looking; see :mod:`jiuye.batch.csvread`),
XLSX, Parquet.

Every reader gives the same thing: the original headers, and chunks of ``chunk_size`` records (the
last one shorter) as Arrow tables whose columns are all strings. Each record has its number (1 = the
first data record; the header, blank lines and rows with every cell empty are not records) and its
line: where staff find it in the file opened in Excel (the CSV's own line, the sheet's row number;
the header is line 1). Lines that cannot be read as a record are not dropped: they come with the
chunk as ``malformed`` records, so that every input record is either accepted or rejected.

Limits (settings in :mod:`jiuye.config`): records per roster, and for XLSX the file size, the bytes
its parts unpack to and their compression ratio (checked before parsing: a zip bomb is refused),
rows per sheet; a run of empty rows at the end of a sheet is not read to the end.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jiuye import config
from jiuye.batch.reader_base import (EMPTY_ROWS_STOP, FORMATS, SAMPLE_BYTES, ZIP_MAX_RATIO, ZIP_RATIO_FROM,  # noqa: F401
                                     BatchInputError, RawChunk, Reader, _dedupe, empty_table, format_of)


def open_reader(path: str | Path) -> Reader:
    path = Path(path)
    fmt = format_of(path)
    if not path.exists():
        raise BatchInputError(f"找不到输入文件「{path}」")
    if path.is_dir():
        raise BatchInputError(f"「{path}」是目录，不是文件")
    if path.stat().st_size == 0:
        raise BatchInputError(f"输入文件「{path.name}」是空的（0 字节）：没有表头，也没有数据")
    if fmt == "csv":
        from jiuye.batch.csvread import CsvReader

        return CsvReader(path)
    return {"xlsx": XlsxReader, "parquet": ParquetReader}[fmt](path)


def _too_many(limit: int, setting: str) -> BatchInputError:
    return BatchInputError(f"名册超过 {limit:,} 条记录的上限，请分成几份再上传（上限由 {setting} 设定）")


# ---------------------------------------------------------------------------------------------
# XLSX


def _mib(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def check_xlsx(path: Path) -> None:
    """Refuse, before any parsing, an .xlsx over the size limit or whose parts would unpack to too
    much (by the sizes the zip declares; the reader then never reads past a declared size)."""
    import zipfile

    size = path.stat().st_size
    limit = config.roster_xlsx_max_bytes()
    if size > limit:
        raise BatchInputError(f"「{path.name}」有 {_mib(size)}，超过 .xlsx 名册 {_mib(limit)} 的上限："
                              "请另存为 CSV（可大得多）或分成几份（上限由 JIUYE_ROSTER_XLSX_MAX_BYTES 设定）")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BatchInputError(f"「{path.name}」不是有效的 Excel（.xlsx）文件：{exc}") from None
    unzipped = config.roster_xlsx_max_unzipped()
    total = sum(i.file_size for i in infos)
    if total > unzipped:
        raise BatchInputError(f"「{path.name}」解压后有 {_mib(total)}，超过 {_mib(unzipped)} 的上限（可能是「压缩炸弹」或"
                              "大量带格式的空行）：请另存为 CSV 再试（上限由 JIUYE_ROSTER_XLSX_MAX_UNZIPPED 设定）")
    for i in infos:
        if i.file_size > ZIP_RATIO_FROM and i.file_size > ZIP_MAX_RATIO * max(i.compress_size, 1):
            raise BatchInputError(f"「{path.name}」中的「{i.filename}」压缩比超过 {ZIP_MAX_RATIO}:1（{_mib(i.compress_size)} "
                                  f"解压为 {_mib(i.file_size)}），不像正常的表格（可能是「压缩炸弹」）：请另存为 CSV 再试")


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def _is_empty(values) -> bool:
    return not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


class XlsxReader(Reader):
    format = "xlsx"

    def __init__(self, path: Path) -> None:
        import zipfile

        import openpyxl

        self.path = path
        check_xlsx(path)
        try:
            self.wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise BatchInputError(f"「{path.name}」不是有效的 Excel（.xlsx）文件：{exc}") from None
        self.ws = self.wb.worksheets[0]
        self.max_rows = config.roster_xlsx_max_rows()
        self._rows = self.ws.iter_rows(min_row=1, values_only=True)  # missing rows come as empty ones
        self._line = 0  # the sheet row of the last row read
        header = None
        empty = 0
        for values in self._rows:
            self._line += 1
            if not _is_empty(values):
                header = values
                break
            empty += 1
            if empty >= EMPTY_ROWS_STOP:
                break
        if header is None:
            raise BatchInputError(f"「{path.name}」的第一个工作表是空的：没有表头，也没有数据")
        while header and header[-1] in (None, ""):
            header = header[:-1]
        self.headers = _dedupe([_cell_text(h) for h in header])
        max_row = self.ws.max_row
        self.estimated_rows = min(max(max_row - self._line, 0), self.max_rows) if max_row else None

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:
        n = len(self.headers)
        cols: list[list[str]] = [[] for _ in range(n)]
        rows: list[int] = []
        lines: list[int] = []
        count = 0
        index = 0
        empty = 0
        line = self._line

        def chunk() -> RawChunk:
            return RawChunk(index, pa.table({h: pa.array(c, pa.string()) for h, c in zip(self.headers, cols)}),
                            np.array(rows, dtype=np.int64), lines=np.array(lines, dtype=np.int64))

        try:
            for values in self._rows:
                line += 1
                if _is_empty(values):
                    empty += 1
                    if empty >= EMPTY_ROWS_STOP:
                        break  # styled empty rows to the bottom of the sheet: the data has ended
                    continue
                empty = 0
                count += 1
                if count > self.max_rows:
                    raise _too_many(self.max_rows, "JIUYE_ROSTER_XLSX_MAX_ROWS")
                rows.append(count)
                lines.append(line)
                for j in range(n):
                    cols[j].append(_cell_text(values[j]) if j < len(values) else "")
                if len(rows) == chunk_size:
                    yield chunk()
                    index += 1
                    cols = [[] for _ in range(n)]
                    rows, lines = [], []
            if rows:
                yield chunk()
        finally:
            self.wb.close()


# ---------------------------------------------------------------------------------------------
# Parquet


class ParquetReader(Reader):
    format = "parquet"

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        try:
            self.file = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise BatchInputError(f"「{path.name}」不是有效的 Parquet 文件：{exc}") from None
        self.headers = list(self.file.schema_arrow.names)
        self.estimated_rows = self.file.metadata.num_rows
        limit = config.roster_max_rows()
        if self.estimated_rows > limit:
            raise _too_many(limit, "JIUYE_ROSTER_MAX_ROWS")

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:
        start = 0
        for index, batch in enumerate(self.file.iter_batches(batch_size=chunk_size)):
            table = pa.Table.from_batches([batch])
            table = pa.table([_as_text(c) for c in table.columns], names=self.headers)
            rows = np.arange(start + 1, start + table.num_rows + 1, dtype=np.int64)
            start += table.num_rows
            yield RawChunk(index, table, rows)


def _as_text(col) -> pa.ChunkedArray:
    t = col.type
    if pa.types.is_dictionary(t):
        col = col.cast(t.value_type)
        t = t.value_type
    if pa.types.is_string(t):
        return col
    if pa.types.is_large_string(t):
        return col.cast(pa.string())
    if pa.types.is_timestamp(t):
        return col.cast(pa.date32()).cast(pa.string())
    if pa.types.is_boolean(t):
        return pc.if_else(col, "是", "否")
    if pa.types.is_floating(t):
        return pa.chunked_array([pa.array([_cell_text(v) for v in col.to_pylist()], pa.string())])
    try:
        return col.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.chunked_array([pa.array([None if v is None else str(v) for v in col.to_pylist()], pa.string())])

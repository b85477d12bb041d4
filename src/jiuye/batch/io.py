"""Reading rosters in chunks and writing results: CSV (UTF-8 or GBK, found by looking), XLSX, Parquet.

Every reader gives the same thing: the original headers, and chunks of exactly ``chunk_size``
records (the last one shorter) as Arrow tables whose columns are all strings, each record with its
number (1 = the first data record; header and blank lines are not records). Lines of a CSV that
cannot be split into the header's number of columns are not dropped: they come with the chunk as
``malformed`` records, so that every input record is either accepted or rejected.

Writers write to a temporary name beside the target; :meth:`TableWriter.commit` renames it into
place, :meth:`TableWriter.abort` removes it (Ctrl-C leaves no half-written file).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
SAMPLE_BYTES = 1 << 20
XLSX_MAX_ROWS = 1_048_576


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
    malformed: list[tuple[int, str, str]] = field(default_factory=list)  # (record number, raw text, why)
    ids: object = None  # the checked key column, when the driver already built it (local engine only)

    @property
    def count(self) -> int:
        return self.table.num_rows + len(self.malformed)

    @property
    def first_row(self) -> int:
        candidates = ([int(self.rows[0])] if len(self.rows) else []) + [m[0] for m in self.malformed]
        return min(candidates) if candidates else 0


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


class Reader:
    format = ""
    encoding: str | None = None
    headers: list[str]
    estimated_rows: int | None = None

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:  # pragma: no cover - interface
        raise NotImplementedError


def open_reader(path: str | Path) -> Reader:
    path = Path(path)
    fmt = format_of(path)
    if not path.exists():
        raise BatchInputError(f"找不到输入文件「{path}」")
    if path.is_dir():
        raise BatchInputError(f"「{path}」是目录，不是文件")
    if path.stat().st_size == 0:
        raise BatchInputError(f"输入文件「{path.name}」是空的（0 字节）：没有表头，也没有数据")
    return {"csv": CsvReader, "xlsx": XlsxReader, "parquet": ParquetReader}[fmt](path)


# ---------------------------------------------------------------------------------------------
# CSV


def _replace_codec(name: str, base: str) -> None:
    """Register ``name``: the ``base`` codec that replaces undecodable bytes with U+FFFD."""
    info = codecs.lookup(base)

    class Decoder(info.incrementaldecoder):  # type: ignore[misc, valid-type]
        def __init__(self, errors="strict"):
            super().__init__("replace")

    def search(n):
        if n == name:
            return codecs.CodecInfo(info.encode, info.decode, incrementalencoder=info.incrementalencoder,
                                    incrementaldecoder=Decoder, streamreader=info.streamreader,
                                    streamwriter=info.streamwriter, name=name)
        return None

    codecs.register(search)


_replace_codec("jiuye_gb18030_replace", "gb18030")


def detect_encoding(sample: bytes, final: bool) -> str:
    """'utf-8' or 'gbk' (read as GB 18030, its superset), from the first bytes; else BatchInputError."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BatchInputError("文件是 UTF-16 编码：请另存为 UTF-8 或 GBK 编码的 CSV（Excel：另存为「CSV UTF-8」）")
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=final)
    bad = text.count("\ufffd")
    if bad == 0:
        return "utf-8"
    high = int((np.frombuffer(sample, dtype=np.uint8) >= 0x80).sum())
    if bad / max(high, 1) < 0.02:  # UTF-8 with a few stray bytes: those rows are rejected, the rest read
        return "utf-8"
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=final)
        return "gbk"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("utf-8")
        first_bad = 0
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    raise BatchInputError(f"无法识别文件编码：既不是 UTF-8 也不是 GBK（第 {first_bad + 1} 字节起无法解码）。"
                          "请在 Excel 中另存为「CSV UTF-8」后再试")


class CsvReader(Reader):
    format = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        with open(path, "rb") as f:
            sample = f.read(SAMPLE_BYTES)
        self.encoding = detect_encoding(sample, final=len(sample) < SAMPLE_BYTES)
        text = sample.decode("utf-8-sig" if self.encoding == "utf-8" else "gb18030", errors="replace")
        if not text.strip("\ufeff \r\n\t"):
            raise BatchInputError(f"输入文件「{path.name}」是空的：没有表头，也没有数据")
        first_line = text.lstrip("\ufeff").splitlines()[0] if text.lstrip("\ufeff").splitlines() else ""
        counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
        self.delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        try:
            header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=self.delimiter))
        except StopIteration:
            header = []
        except csv.Error as exc:
            raise BatchInputError(f"表头无法读取：{exc}") from None
        if not any(h.strip() for h in header):
            raise BatchInputError(f"输入文件「{path.name}」的第一行是空的：第一行应为表头")
        self.headers = _dedupe(header)
        lines = text.count("\n")
        if len(sample) >= SAMPLE_BYTES and lines > 1:
            self.estimated_rows = int(self.size / (len(sample) / lines))
        else:
            self.estimated_rows = max(lines - 1, 0) + (0 if text.endswith("\n") else 1) - (0 if lines else 1)

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:
        import pyarrow.csv as pacsv

        malformed: list[tuple[int, str, str]] = []

        def on_invalid(row) -> str:
            number = (row.number - 1) if row.number is not None else -1
            malformed.append((number, row.text, f"这一行有 {row.actual_columns} 列，表头有 {row.expected_columns} 列"
                              "（逗号、引号或换行可能有误）"))
            return "skip"

        read_options = pacsv.ReadOptions(column_names=self.headers, skip_rows=1, block_size=8 << 20, use_threads=False,
                                         encoding="utf8" if self.encoding == "utf-8" else "jiuye_gb18030_replace")
        parse_options = pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True, invalid_row_handler=on_invalid)
        convert_options = pacsv.ConvertOptions(column_types={h: pa.string() for h in self.headers}, strings_can_be_null=False,
                                               quoted_strings_can_be_null=False, check_utf8=False)
        try:
            reader = pacsv.open_csv(self.path, read_options=read_options, parse_options=parse_options,
                                    convert_options=convert_options)
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" in str(exc):
                return
            raise BatchInputError(f"CSV 无法读取：{exc}") from None
        good = 0  # good records handed out so far
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        index = 0
        handed: set[int] = set()  # positions in ``malformed`` already given to a chunk

        def emit(table: pa.Table, final: bool = False) -> RawChunk:
            nonlocal good, index
            n = table.num_rows
            # a malformed record's number comes from its line number; good records fill the numbers around them
            bad = np.array(sorted(m[0] for m in malformed if m[0] >= 0), dtype=np.int64)
            g = np.arange(good + 1, good + n + 1, dtype=np.int64)
            if len(bad):
                before = bad - np.arange(len(bad))  # for each bad record: good records before it + 1
                rows = g + np.searchsorted(before, g, side="right")
            else:
                rows = g
            last = int(rows[-1]) if n else 0
            mine = [i for i, m in enumerate(malformed) if i not in handed and (final or m[0] < 0 or m[0] <= last)]
            handed.update(mine)
            good += n
            chunk = RawChunk(index, _fix_strings(table), rows, [malformed[i] for i in mine])
            index += 1
            return chunk

        try:
            for batch in reader:
                pending.append(batch)
                pending_rows += batch.num_rows
                while pending_rows >= chunk_size:
                    table = pa.Table.from_batches(pending)
                    head, tail = table.slice(0, chunk_size), table.slice(chunk_size)
                    yield emit(head)
                    pending = tail.to_batches() if tail.num_rows else []
                    pending_rows = tail.num_rows
        except pa.ArrowInvalid as exc:
            raise BatchInputError(f"CSV 第 {good + pending_rows + 1} 条记录附近无法读取：{exc}") from None
        if pending_rows or len(handed) < len(malformed):
            table = pa.Table.from_batches(pending) if pending else _empty(self.headers)
            yield emit(table, final=True)


def _empty(headers: list[str]) -> pa.Table:
    return pa.table({h: pa.array([], pa.string()) for h in headers})


def _fix_strings(table: pa.Table) -> pa.Table:
    """Columns read without UTF-8 checking: bytes that are not UTF-8 become U+FFFD (the row is rejected later)."""
    columns = []
    for col in table.columns:
        try:
            col.validate(full=True)
            columns.append(col)
        except pa.ArrowInvalid:
            raw = col.cast(pa.binary()).to_pylist()
            columns.append(pa.chunked_array([pa.array([None if b is None else b.decode("utf-8", "replace") for b in raw],
                                                      pa.string())]))
    return pa.table(columns, names=table.column_names)


# ---------------------------------------------------------------------------------------------
# XLSX


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


class XlsxReader(Reader):
    format = "xlsx"

    def __init__(self, path: Path) -> None:
        import zipfile

        import openpyxl

        self.path = path
        try:
            self.wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise BatchInputError(f"「{path.name}」不是有效的 Excel（.xlsx）文件：{exc}") from None
        self.ws = self.wb.worksheets[0]
        self._rows = self.ws.iter_rows(values_only=True)
        header = None
        for values in self._rows:
            if values and any(v not in (None, "") for v in values):
                header = values
                break
        if header is None:
            raise BatchInputError(f"「{path.name}」的第一个工作表是空的：没有表头，也没有数据")
        while header and header[-1] in (None, ""):
            header = header[:-1]
        self.headers = _dedupe([_cell_text(h) for h in header])
        max_row = self.ws.max_row
        self.estimated_rows = max(max_row - 1, 0) if max_row else None

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:
        n = len(self.headers)
        cols: list[list[str]] = [[] for _ in range(n)]
        rows: list[int] = []
        count = 0
        index = 0
        for values in self._rows:
            if not values or all(v in (None, "") for v in values):
                continue
            count += 1
            rows.append(count)
            for j in range(n):
                cols[j].append(_cell_text(values[j]) if j < len(values) else "")
            if len(rows) == chunk_size:
                yield RawChunk(index, pa.table({h: pa.array(c, pa.string()) for h, c in zip(self.headers, cols)}),
                               np.array(rows, dtype=np.int64))
                index += 1
                cols = [[] for _ in range(n)]
                rows = []
        if rows:
            yield RawChunk(index, pa.table({h: pa.array(c, pa.string()) for h, c in zip(self.headers, cols)}),
                           np.array(rows, dtype=np.int64))
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


# ---------------------------------------------------------------------------------------------
# Writers


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns decoded (for CSV and XLSX)."""
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(cols, names=table.column_names)


class TableWriter:
    """Writes tables of one schema to ``path`` through a temporary file."""

    def __init__(self, path: str | Path, schema: pa.Schema, encoding: str = "utf-8-sig") -> None:
        self.path = Path(path)
        self.format = format_of(self.path)
        self.schema = schema
        self.encoding = encoding
        self.tmp = self.path.with_name(f".{self.path.name}.part-{os.getpid()}")
        self.rows = 0
        self._open()

    def _open(self) -> None:
        if self.format == "parquet":
            import pyarrow.parquet as pq

            self._w = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        elif self.format == "csv":
            import pyarrow.csv as pacsv

            self._f = open(self.tmp, "wb")  # noqa: SIM115 - closed in commit/abort
            plain = _plain(self.schema.empty_table()).schema
            if self.encoding in ("utf-8-sig", "utf-8"):
                if self.encoding == "utf-8-sig":
                    self._f.write(codecs.BOM_UTF8)
                self._w = pacsv.CSVWriter(self._f, plain)
            else:
                self._w = None
                buf = io.BytesIO()
                pacsv.write_csv(plain.empty_table(), buf)
                self._f.write(buf.getvalue().decode("utf-8").encode(self.encoding, errors="replace"))
        else:
            import openpyxl

            self._wb = openpyxl.Workbook(write_only=True)
            self._sheet_rows = 0
            self._new_sheet()

    def _new_sheet(self) -> None:
        n = len(self._wb.worksheets)
        self._ws = self._wb.create_sheet(title="结果" if n == 0 else f"结果{n + 1}")
        self._ws.append(list(self.schema.names))
        self._sheet_rows = 1

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        table = table.select(self.schema.names)
        self.rows += table.num_rows
        if self.format == "parquet":
            self._w.write_table(table.cast(self.schema))
        elif self.format == "csv":
            plain = _plain(table)
            if self._w is not None:
                self._w.write_table(plain)
            else:
                import pyarrow.csv as pacsv

                buf = io.BytesIO()
                pacsv.write_csv(plain, buf, pacsv.WriteOptions(include_header=False))
                self._f.write(buf.getvalue().decode("utf-8").encode(self.encoding, errors="replace"))
        else:
            columns = [c.to_pylist() for c in _plain(table).columns]
            for values in zip(*columns):
                if self._sheet_rows >= XLSX_MAX_ROWS:
                    self._new_sheet()
                self._ws.append(list(values))
                self._sheet_rows += 1

    def _close(self) -> None:
        if self.format == "parquet":
            self._w.close()
        elif self.format == "csv":
            if self._w is not None:
                self._w.close()
            self._f.close()
        else:
            self._wb.save(self.tmp)

    def finish(self) -> None:
        """Close the temporary file (everything written); :meth:`commit` then renames it."""
        if not getattr(self, "_closed", False):
            self._close()
            self._closed = True

    def commit(self) -> Path:
        self.finish()
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        try:
            self.finish()
        except Exception:  # noqa: BLE001 - we are throwing the file away
            pass
        try:
            self.tmp.unlink()
        except FileNotFoundError:
            pass


def write_table(path: str | Path, table: pa.Table, encoding: str = "utf-8-sig") -> Path:
    """One table to a file (format by extension), through a temporary name."""
    w = TableWriter(path, table.schema, encoding=encoding)
    try:
        w.write(table)
    except BaseException:
        w.abort()
        raise
    return w.commit()

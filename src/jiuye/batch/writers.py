"""Writing results: CSV (UTF-8 with BOM, or another encoding), XLSX, Parquet, through a temporary file.

:meth:`TableWriter.commit` renames the temporary file into place, :meth:`TableWriter.abort` removes
it (Ctrl-C leaves no half-written file). Text cells of CSV and XLSX files (headers included) go
through :mod:`jiuye.batch.safe_cells`, so that no cell runs as a spreadsheet formula; Parquet is
data, written as it is.
"""
from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pyarrow as pa

from jiuye.batch.readers import format_of
from jiuye.batch.safe_cells import neutralise, neutralise_row, neutralise_table

XLSX_MAX_ROWS = 1_048_576


def _plain(table: pa.Table) -> pa.Table:
    """For CSV and XLSX: text cells neutralised (dictionaries first: cheaper), dictionary columns
    decoded, and the headers neutralised too (a roster's own headers come back in the rejected file)."""
    table = neutralise_table(table)
    cols = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(cols, names=[neutralise(n) for n in table.column_names])


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
        self._ws.append(neutralise_row(self.schema.names))
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

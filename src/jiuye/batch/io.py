"""Reading rosters and writing results, one import for the rest of the batch.

The code lives in :mod:`jiuye.batch.readers` (XLSX, Parquet, the chunk and the limits),
:mod:`jiuye.batch.csvread` (CSV: pyarrow on clean blocks, line by line otherwise),
:mod:`jiuye.batch.writers` (CSV, XLSX, Parquet through a temporary file) and
:mod:`jiuye.batch.safe_cells` (no cell written runs as a spreadsheet formula).
"""
from __future__ import annotations

from jiuye.batch.csvread import CsvReader, detect_encoding
from jiuye.batch.readers import (
    FORMATS,
    SAMPLE_BYTES,
    BatchInputError,
    ParquetReader,
    RawChunk,
    Reader,
    XlsxReader,
    check_xlsx,
    format_of,
    open_reader,
)
from jiuye.batch.safe_cells import neutralise, neutralise_array, neutralise_row, neutralise_table
from jiuye.batch.writers import XLSX_MAX_ROWS, TableWriter, write_table

__all__ = ["FORMATS", "SAMPLE_BYTES", "XLSX_MAX_ROWS", "BatchInputError", "CsvReader", "ParquetReader", "RawChunk",
           "Reader", "TableWriter", "XlsxReader", "check_xlsx", "detect_encoding", "format_of", "neutralise",
           "neutralise_array", "neutralise_row", "neutralise_table", "open_reader", "write_table"]

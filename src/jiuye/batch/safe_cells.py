"""Cells a spreadsheet would run as a formula, made inert (OWASP "CSV injection").

Every CSV and XLSX the system writes (batch results and rejected rows, the case export) passes its
text cells through here: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading single quote, so Excel, WPS and LibreOffice show it as text instead of running
it (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3+cmd|'/C calc'!A0``). Numbers are left alone: cells of
numeric columns are not text, and a text cell that is a plain number (``-500``, ``+3``, ``-1.5e3``)
cannot run anything, so negative amounts and the like read back unchanged.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_NUMBER = re.compile(_NUMBER_RE)


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text that would run as a formula gets a leading
    ``'``; anything else (numbers, dates, None, harmless text) is returned as it is."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    """A list of cells, each through :func:`neutralise`."""
    return [neutralise(v) for v in values]


def _neutralise_strings(arr: pa.Array) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(arr) == 0:
        return arr
    risky = pc.is_in(pc.utf8_slice_codeunits(arr, 0, 1), value_set=pa.array(TRIGGERS))  # cheaper than a regex
    if not pc.any(risky).as_py():
        return arr
    risky = pc.and_(risky, pc.invert(pc.match_substring_regex(arr, _NUMBER_RE))).fill_null(False)
    return pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)


def neutralise_array(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A column with its text cells neutralised (vectorised; dictionary columns: the dictionary only).
    Columns that are not text are returned unchanged."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        return pa.chunked_array([neutralise_array(c) for c in arr.chunks], type=arr.type)
    t = arr.type
    if pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)):
        dictionary = _neutralise_strings(arr.dictionary)
        return arr if dictionary is arr.dictionary else pa.DictionaryArray.from_arrays(arr.indices, dictionary)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _neutralise_strings(arr)
    return arr


def neutralise_table(table: pa.Table) -> pa.Table:
    """Every text column of ``table`` through :func:`neutralise_array`."""
    import pyarrow as pa

    return pa.table([neutralise_array(c) for c in table.columns], names=table.column_names)

"""Reading a CSV roster: pyarrow on clean blocks, line by line where a block is not clean.

The file is cut into blocks of whole lines (8 MiB). A block is *clean* when it decodes strictly in
the file's encoding, has no NUL byte, and pyarrow reads exactly one record per line (no blank line,
no quoted value running over a line end); then its records are the lines, numbered as the file's
own lines (the header is line 1, as in Excel). That is the fast path, and the only one a normal
roster takes. Any other block is read line by line in Python:

- a blank line (or one with nothing but separators) is not a record;
- a line with a NUL byte is rejected;
- each line is decoded by itself: in the file's encoding, else in the other one (a GBK line pasted
  into a UTF-8 file is read as GBK when it is plain GB 2312 text), else rejected naming the byte;
- a quote that is opened and not closed on its line is rejected (a stray quote must not swallow
  the lines after it); a cell cannot span lines;
- a line with the wrong number of columns is rejected, as before.

Every rejected line carries its line number and the reason; the rest of the file is read.
"""
from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from jiuye.batch.reader_base import SAMPLE_BYTES, BatchInputError, RawChunk, Reader, _dedupe, empty_table
from jiuye.config import roster_max_rows

BLOCK_BYTES = 8 << 20
MAX_LINE_BYTES = 64 << 20  # a "line" longer than this is not a roster: refused, memory stays bounded
PY_CODEC = {"utf-8": "utf-8", "gbk": "gb18030"}
ENCODING_NAME = {"utf-8": "UTF-8", "gbk": "GBK"}


def _line_errors(line: bytes, codec: str) -> int | None:
    """The 0-based position of the first byte of ``line`` that ``codec`` cannot decode, or None."""
    try:
        line.decode(codec)
        return None
    except UnicodeDecodeError as exc:
        return exc.start


def detect_encoding(sample: bytes, final: bool) -> str:
    """'utf-8' or 'gbk' (read as GB 18030, its superset), decided by the lines of the first bytes: the
    encoding in which more lines decode (a few bad lines are rejected later, one by one); else
    BatchInputError naming the first bad line and byte."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BatchInputError("文件是 UTF-16 编码：请另存为 UTF-8 或 GBK 编码的 CSV（Excel：另存为「CSV UTF-8」）")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    lines = sample.split(b"\n")
    if not final and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle of a character
    high = [(i, ln) for i, ln in enumerate(lines) if not ln.isascii()]
    if not high:
        return "utf-8"
    bad = {enc: [(i, pos) for i, ln in high if (pos := _line_errors(ln, PY_CODEC[enc])) is not None] for enc in PY_CODEC}
    best = min(PY_CODEC, key=lambda e: (len(bad[e]), e != "utf-8"))
    if len(bad[best]) <= max(1, len(high) // 2) and len(bad[best]) < len(high):
        return best
    i, pos = bad["utf-8"][0]
    offset = sum(len(ln) + 1 for ln in lines[:i]) + pos
    raise BatchInputError(f"无法识别文件编码：既不是 UTF-8 也不是 GBK（第 {i + 1} 行第 {pos + 1} 字节、即全文第 {offset + 1} 字节"
                          f"（0x{lines[i][pos]:02X}）起无法解码）。请在 Excel 中另存为「CSV UTF-8」后再试")


def _blocks(path: Path, start: int) -> Iterator[tuple[bytes, bool]]:
    """Blocks of whole lines from byte ``start`` on; (block, is it the last)."""
    with open(path, "rb") as f:
        f.seek(start)
        rest = b""
        while True:
            data = f.read(BLOCK_BYTES)
            if not data:
                if rest:
                    yield rest, True
                return
            data = rest + data
            cut = data.rfind(b"\n")
            if cut < 0:
                cut = data.rfind(b"\r")
            if cut < 0:
                if len(data) > MAX_LINE_BYTES:
                    raise BatchInputError(f"「{path.name}」中有一行超过 {MAX_LINE_BYTES >> 20} MB 还没有换行：不像名册（CSV 每行一条记录）")
                rest = data
                continue
            rest = data[cut + 1:]
            yield data[:cut + 1], False


def _split_lines(block: bytes) -> list[bytes]:
    """The lines of a block (as its line count: by LF, or by CR in a file that has no LF)."""
    sep = b"\n" if b"\n" in block else b"\r"
    lines = block.split(sep)
    if lines and lines[-1] == b"":
        lines.pop()
    return [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]


class CsvReader(Reader):
    format = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        with open(path, "rb") as f:
            sample = f.read(SAMPLE_BYTES)
        self.encoding = detect_encoding(sample, final=len(sample) < SAMPLE_BYTES)
        self.codec = PY_CODEC[self.encoding]
        self.other = "gbk" if self.encoding == "utf-8" else "utf-8"
        bom = len(codecs.BOM_UTF8) if sample.startswith(codecs.BOM_UTF8) else 0
        text = sample[bom:].decode(self.codec, errors="replace")
        if not text.strip("\ufeff \r\n\t"):
            raise BatchInputError(f"输入文件「{path.name}」是空的：没有表头，也没有数据")
        first_line = text.splitlines()[0] if text.splitlines() else ""
        counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
        self.delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        try:
            header = next(csv.reader([first_line], delimiter=self.delimiter))
        except StopIteration:
            header = []
        except csv.Error as exc:
            raise BatchInputError(f"表头无法读取：{exc}") from None
        if not any(h.strip() for h in header):
            raise BatchInputError(f"输入文件「{path.name}」的第一行是空的：第一行应为表头")
        self.headers = _dedupe(header)
        # data starts after the first line end (LF, CRLF or a lone CR)
        raw = sample[bom:]
        ends = [p for p in (raw.find(b"\n"), raw.find(b"\r")) if p >= 0]
        if not ends:
            self.data_start = self.size
        else:
            end = min(ends)
            if raw[end:end + 2] == b"\r\n":
                end += 1
            self.data_start = bom + end + 1
        lines = text.count("\n")
        if len(sample) >= SAMPLE_BYTES and lines > 1:
            self.estimated_rows = int(self.size / (len(sample) / lines))
        else:
            self.estimated_rows = max(lines - 1, 0) + (0 if text.endswith("\n") else 1) - (0 if lines else 1)
        self.max_rows = roster_max_rows()
        self.slow_blocks = 0  # blocks read line by line (for tests and the curious)

    # --- one block ------------------------------------------------------------------------------

    def _fast(self, block: bytes, n_lines: int, first_line: int):
        """(table, lines, malformed) by pyarrow, or None when the block is not clean."""
        import pyarrow.csv as pacsv

        if b"\x00" in block:
            return None
        if self.encoding == "utf-8":
            data = block  # pyarrow checks the UTF-8 (check_utf8): a bad byte sends the block line by line
        else:
            try:
                data = block.decode(self.codec).encode("utf-8")
            except UnicodeDecodeError:
                return None
        invalid: list[tuple[int, str, int]] = []

        def on_invalid(row) -> str:
            invalid.append((row.number if row.number is not None else -1, row.text, row.actual_columns))
            return "skip"

        try:
            table = pacsv.read_csv(
                pa.BufferReader(data),
                read_options=pacsv.ReadOptions(column_names=self.headers, use_threads=False, block_size=BLOCK_BYTES + 1024),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=False,
                                                 invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in self.headers},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                     check_utf8=True))
        except pa.ArrowInvalid:
            return None
        if table.num_rows + len(invalid) != n_lines or any(n < 1 for n, _t, _c in invalid):
            return None  # a blank line, or a quote running over a line end: line by line
        all_lines = np.arange(first_line, first_line + n_lines, dtype=np.int64)
        if invalid:
            bad_lines = np.array([first_line + n - 1 for n, _t, _c in invalid], dtype=np.int64)
            lines = np.setdiff1d(all_lines, bad_lines, assume_unique=True)
        else:
            lines = all_lines
        malformed = [(first_line + n - 1, t, self._columns_reason(c)) for n, t, c in invalid]
        return table, lines, malformed

    def _columns_reason(self, actual: int) -> str:
        return f"这一行有 {actual} 列，表头有 {len(self.headers)} 列（逗号、引号或换行可能有误）"

    def _decode(self, line: bytes) -> tuple[str | None, str]:
        """(text, "") or (None, why)."""
        pos = _line_errors(line, self.codec)
        if pos is None:
            return line.decode(self.codec), ""
        if self.other == "gbk":
            try:
                text = line.decode("gb18030")
                text.encode("gb2312")  # plain GB 2312 text: a row from a GBK file; else mojibake, rejected
                return text, ""
            except UnicodeError:
                pass
        elif _line_errors(line, "utf-8") is None:
            return line.decode("utf-8"), ""
        return None, (f"第 {pos + 1} 个字节（0x{line[pos]:02X}）无法按 {ENCODING_NAME[self.encoding]} 解码，"
                      f"按 {ENCODING_NAME[self.other]} 也不行：这一行的编码有误（夹杂了其他编码或文件已损坏）")

    def _slow(self, block: bytes, first_line: int):
        """(table, lines, malformed) line by line."""
        self.slow_blocks += 1
        n = len(self.headers)
        cols: list[list[str]] = [[] for _ in range(n)]
        lines: list[int] = []
        malformed: list[tuple[int, str, str]] = []
        for i, raw in enumerate(_split_lines(block)):
            number = first_line + i
            if not raw.strip(b" \t"):
                continue
            if b"\x00" in raw:
                shown = raw.replace(b"\x00", b"").decode(self.codec, errors="replace")
                malformed.append((number, shown, "含空字符（NUL，0x00）：文件可能已损坏或不是文本文件"))
                continue
            text, why = self._decode(raw)
            if text is None:
                malformed.append((number, raw.decode(self.codec, errors="replace"), why))
                continue
            try:
                fields = next(csv.reader([text], delimiter=self.delimiter, strict=True))
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    malformed.append((number, text, "引号不成对：一个单元格不能跨行，多余的引号请删去"
                                                    "（单元格内的引号写成两个 \"\"）"))
                    continue
                try:
                    fields = next(csv.reader([text], delimiter=self.delimiter))
                except csv.Error as exc2:  # e.g. a lone carriage return inside a cell
                    malformed.append((number, text, f"这一行无法按 CSV 读取：{exc2}"))
                    continue
            if not any(f.strip() for f in fields):
                continue  # nothing but separators: not a record
            if len(fields) != n:
                malformed.append((number, text, self._columns_reason(len(fields))))
                continue
            lines.append(number)
            for j, v in enumerate(fields):
                cols[j].append(v)
        table = pa.table({h: pa.array(c, pa.string()) for h, c in zip(self.headers, cols)})
        return table, np.array(lines, dtype=np.int64), malformed

    # --- chunks ---------------------------------------------------------------------------------

    def chunks(self, chunk_size: int) -> Iterator[RawChunk]:
        record = 0  # records numbered so far (good and malformed, in file order)
        index = 0
        line = 2  # the first data line (the header is line 1)
        pending: list[pa.Table] = []
        p_rows: list[np.ndarray] = []
        p_lines: list[np.ndarray] = []
        p_bad: list[tuple[int, str, str, int]] = []  # (record, raw text, why, line)
        pending_n = 0

        def emit(final: bool) -> Iterator[RawChunk]:
            """Chunks of ``chunk_size`` good records (each with the malformed lines met up to its last
            record); at the end, whatever is left."""
            nonlocal pending, p_rows, p_lines, p_bad, pending_n, index
            table = pa.concat_tables(pending) if pending else empty_table(self.headers)
            rows = np.concatenate(p_rows) if p_rows else np.zeros(0, np.int64)
            lines = np.concatenate(p_lines) if p_lines else np.zeros(0, np.int64)
            while table.num_rows >= chunk_size or (final and (table.num_rows or p_bad)):
                k = min(chunk_size, table.num_rows)
                if final and k == table.num_rows:
                    mine, p_bad = p_bad, []
                else:
                    last = int(rows[k - 1])
                    mine, p_bad = [m for m in p_bad if m[0] <= last], [m for m in p_bad if m[0] > last]
                yield RawChunk(index, table.slice(0, k), rows[:k], mine, lines=lines[:k])
                index += 1
                table, rows, lines = table.slice(k), rows[k:], lines[k:]
            pending = [table] if table.num_rows else []
            p_rows, p_lines, pending_n = [rows], [lines], table.num_rows

        for block, last_block in _blocks(self.path, self.data_start):
            n_lines = block.count(b"\n") if b"\n" in block else block.count(b"\r")
            if last_block and not block.endswith((b"\n", b"\r")):
                n_lines += 1
            got = self._fast(block, n_lines, line)
            if got is None:
                got = self._slow(block, line)
            table, good_lines, malformed = got
            if table.num_rows:
                table, good_lines = _drop_empty(table, good_lines)
            # records in line order: good rows and malformed lines together
            bad_lines = np.array([m[0] for m in malformed], dtype=np.int64)
            if len(bad_lines):
                order = np.sort(np.concatenate([good_lines, bad_lines]))
                rows = record + 1 + np.searchsorted(order, good_lines)
                bad_rows = record + 1 + np.searchsorted(order, bad_lines)
                p_bad.extend((int(r), t, why, int(ln)) for r, (ln, t, why) in zip(bad_rows, malformed))
            else:
                rows = np.arange(record + 1, record + 1 + len(good_lines), dtype=np.int64)
            record += len(good_lines) + len(bad_lines)
            if record > self.max_rows:
                raise BatchInputError(f"名册超过 {self.max_rows:,} 条记录的上限（到第 {line + n_lines - 1:,} 行时已有 {record:,} 条），"
                                      "请分成几份再上传（上限由 JIUYE_ROSTER_MAX_ROWS 设定）")
            pending.append(table)
            p_rows.append(rows)
            p_lines.append(good_lines)
            pending_n += table.num_rows
            line += n_lines
            if pending_n >= chunk_size:
                yield from emit(final=False)
        yield from emit(final=True)


def _drop_empty(table: pa.Table, lines: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """Records whose every cell is empty (``,,,,`` lines, as Excel writes below the data) dropped."""
    import pyarrow.compute as pc

    empty = pc.fill_null(pc.equal(table.column(0), ""), True)  # the first column rules most rows out cheaply
    if not pc.any(empty).as_py():
        return table, lines
    for col in table.columns[1:]:
        empty = pc.and_(empty, pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True))
    keep = pc.invert(empty)
    if pc.all(keep).as_py():
        return table, lines
    mask = keep.to_numpy() if isinstance(keep, pa.ChunkedArray) else keep.to_numpy(zero_copy_only=False)
    return table.filter(keep), lines[mask]

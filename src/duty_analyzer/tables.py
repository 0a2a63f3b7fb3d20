"""Reading and writing row tables for batch commands (classify, hotline, ledger): CSV, XLSX, JSON lines.

Input goes through the parse stage's readers (encodings, title rows above the header, streaming XLSX);
output is written row by row so that large batches never sit in memory.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .parse.errors import ParseError
from .parse.sources import TABLE_FORMATS, detect_format, open_table

FORMULA_START = ("=", "+", "-", "@")
# a cell can need a quote only if it starts with one of these (a formula sign, a quote, or the blanks
# that `_needs_quote` skips): one set lookup per cell instead of two strips and a startswith
_RISKY_FIRST = frozenset("=+-@'\t\r\n ")


@dataclass
class InputTable:
    header: list[str]
    rows: Iterator[list[str]]


def read_rows(path: Path, required: str) -> InputTable:
    """Rows of a CSV/XLSX whose header (within the first rows) contains the column `required`."""
    fmt = detect_format(path)
    if fmt not in TABLE_FORMATS:
        raise ParseError(str(path), f"需要 .csv 或 .xlsx 表格，这是 .{fmt} 文件")
    try:
        table = open_table(path, fmt, lambda cells: required in cells, fill_merged=False)
    except ParseError as exc:
        if "表头" in exc.message:
            raise ParseError(str(path), f"找不到名为“{required}”的列（请用 --text-column 指定文本所在的列）{existing_columns(path, fmt)}") from None
        raise
    width = len(table.header)

    def rows() -> Iterator[list[str]]:
        for _, cells in table.rows:
            if any(cells):
                yield (cells + [""] * width)[:width]

    return InputTable(table.header, rows())


def existing_columns(path: Path, fmt: str) -> str:
    """'；表中的列有：…' from the first row with two or more cells (titles sit above headers), for messages."""
    try:
        table = open_table(path, fmt, lambda cells: sum(map(bool, cells)) >= 2, fill_merged=False)
    except ParseError:
        return ""
    table.rows.close()
    return "；表中的列有：" + "、".join(c for c in table.header if c)


def count_rows(path: Path) -> int | None:
    """A cheap row count for progress bars (CSV lines, XLSX sheet dimension; None when unknown)."""
    if path.suffix.lower() == ".xlsx":
        return xlsx_rows(path)
    if path.suffix.lower() != ".csv":
        return None
    with path.open("rb") as fh:
        return max(0, sum(1 for _ in fh) - 1)


def xlsx_rows(path: Path) -> int | None:
    """Rows of the first sheet from its stored dimension (no cell is read); None when it has none."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            rows = book.worksheets[0].max_row
        finally:
            book.close()
    except Exception:  # a count is a nicety: any problem with the file is reported by the reader
        return None
    return max(0, rows - 1) if rows else None


def neutralise(value: object) -> object:
    """Text starting with = + - @ (or a tab/CR before one) would run as a formula in Excel/WPS: prefix it
    with a quote. Applied to every cell written, headers included. Text that already starts with a quote
    before one of them gets another, so that `unneutralise` gives back exactly what was written."""
    if isinstance(value, str) and value[:1] in _RISKY_FIRST and _needs_quote(value):
        return "'" + value
    return value


def _needs_quote(text: str) -> bool:
    return text.lstrip("'").lstrip("\t\r\n ").startswith(FORMULA_START)


def unneutralise(value: object) -> object:
    """Undo `neutralise` on text read back from a file we wrote (review import), so that a comment
    starting with - = @ + does not gain one more quote on every export/import round."""
    if isinstance(value, str) and value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


def neutral_row(row: Sequence[object]) -> list[object]:
    """`neutralise` on every cell, inlined: the batch writers call it for every cell of every row."""
    risky, needs = _RISKY_FIRST, _needs_quote
    return ["'" + v if isinstance(v, str) and v[:1] in risky and needs(v) else v for v in row]


@dataclass(frozen=True)
class Renderer:
    """Rows → the text `RowWriter.write` would have written for them, for .csv and .jsonl (neutralised cells)."""

    kind: str
    header: tuple[str, ...]

    def __call__(self, rows: Sequence[Sequence[object]]) -> str:
        if self.kind == "jsonl":
            return "".join(json.dumps(dict(zip(self.header, row)), ensure_ascii=False) + "\n" for row in rows)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(map(neutral_row, rows))
        return buffer.getvalue()


class RowWriter:
    """Write rows to .csv (UTF-8 with BOM, opens cleanly in Excel/WPS), .xlsx or .jsonl.

    A CSV is written as plain UTF-8 after a BOM written once (the utf-8-sig codec is Python code called on
    every write; UTF-8 is encoded in C), and `write_many` formats a batch into memory first and hands the
    file one string."""

    def __init__(self, path: Path, header: Sequence[str], as_json: bool = False):
        self.path, self.header = path, list(header)
        self.kind = "jsonl" if as_json or path.suffix.lower() in (".jsonl", ".json") else path.suffix.lower().lstrip(".")
        if self.kind not in ("csv", "xlsx", "jsonl"):
            raise ParseError(str(path), "输出文件须为 .csv、.xlsx 或 .jsonl")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = path.with_name(path.name + ".tmp")
        if self.kind == "xlsx":
            import openpyxl

            self.wb = openpyxl.Workbook(write_only=True)
            self.ws = self.wb.create_sheet("结果")
            self.ws.append(neutral_row(self.header))
        else:
            self.fh = self.tmp.open("w", encoding="utf-8", newline="", buffering=1 << 20)
            self.render = Renderer(self.kind, tuple(self.header))
            if self.kind == "csv":
                self.fh.write("\ufeff")
                self.csv = csv.writer(self.fh)
                self.csv.writerow(neutral_row(self.header))

    def write(self, row: Sequence[object]) -> None:
        if self.kind == "csv":
            self.csv.writerow(neutral_row(row))
        elif self.kind == "jsonl":
            self.fh.write(self.render([row]))
        else:
            self.ws.append(neutral_row(row))

    def write_many(self, rows: Sequence[Sequence[object]]) -> None:
        if self.kind == "xlsx":
            for row in rows:
                self.write(row)
        else:
            self.fh.write(self.render(rows))

    def renderer(self) -> "Renderer | None":
        """What formats a batch of rows as this file's text (`write_text` writes it), or None for .xlsx. Hotline
        workers format their own rows with it: the parent then writes one string a batch instead of formatting
        a million rows itself while the workers wait for it."""
        return None if self.kind == "xlsx" else self.render

    def write_text(self, text: str) -> None:
        self.fh.write(text)

    def close(self) -> None:
        """Finish and move into place: a run killed half-way leaves any earlier output intact."""
        if self.kind == "xlsx":
            self.wb.save(str(self.tmp))
        else:
            self.fh.close()
        self.tmp.replace(self.path)

    def abort(self) -> None:
        if self.kind != "xlsx":
            self.fh.close()
        self.tmp.unlink(missing_ok=True)


@contextmanager
def row_writer(path: Path, header: Sequence[str], as_json: bool = False):
    writer = RowWriter(path, header, as_json)
    try:
        yield writer
    except BaseException:
        writer.abort()
        raise
    writer.close()


def remove_stale_temporaries(path: Path) -> None:
    """Temporaries of `path` left by a killed process (`NAME.<pid>.tmp` whose process is gone)."""
    for tmp in path.parent.glob(glob.escape(path.name) + ".*.tmp"):
        pid = tmp.name[len(path.name) + 1:].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_target(path: Path):
    """A temporary path beside `path`, moved over it when the block succeeds (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)

"""Resource limits for every reader, checked before the bytes are inflated.

A 5 KB spreadsheet can describe a million merged cells, a 3 MB .docx can inflate to gigabytes and a
single cell can hold a whole file: each limit below turns such a file into one clear message (which
limit, how to split or re-save the file) while the rest of the batch goes on.

Defaults are sized for real government files (figures in docs/benchmarks.md, "Issue 13 — limits"):
a city's 权责清单 runs to tens of thousands of rows, a year of 12345 exports to millions (CSV and
read-only XLSX are streamed, so their size limits only stop what cannot be a real export). Every
limit is a setting: an argument (`Limits(cell_chars=...)`) or an environment variable
`DUTY_ANALYZER_LIMIT_<NAME>` (e.g. `DUTY_ANALYZER_LIMIT_TEXT_BYTES=200000000`).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import ParseError

MiB = 1024 * 1024
GiB = 1024 * MiB
ENV_PREFIX = "DUTY_ANALYZER_LIMIT_"


@dataclass(frozen=True)
class Limits:
    # .txt documents are read whole: the longest real 三定 or interview note is well under 1 MB.
    text_bytes: int = 64 * MiB
    # .pdf: a 三定 with a text layer is a few MB; a scanned 400-page one ~100 MB (it has no text anyway).
    pdf_bytes: int = 256 * MiB
    # .csv tables stream row by row: a 1,000,000-row 12345 export weighs about 0.5 GB.
    csv_bytes: int = 8 * GiB
    # .docx/.xlsx: everything inside the archive, uncompressed (a 1M-row hotline .xlsx ≈ 0.9 GB).
    archive_bytes: int = 6 * GiB
    # one member of the archive, uncompressed; worksheets stream, so this is generous.
    member_bytes: int = 4 * GiB
    # every XML part of a .docx is parsed whole: a real 三定's document.xml is under 5 MB; 128 MB took
    # 55 s and 0.8 GB.
    docx_xml_bytes: int = 64 * MiB
    # a worksheet read whole (清单, to expand merged cells): a 50,000-row 清单 is ~39 MB of XML and
    # peaks at 0.27 GB; 192 MB (~250,000 such rows) stays near 1.3 GB.
    whole_sheet_bytes: int = 192 * MiB
    # the xlsx shared-strings table is read whole: ~2,000,000 distinct 150-character requests.
    shared_strings_bytes: int = 1 * GiB
    # HTML / Excel 2003 XML tables saved as .xls (streamed).
    markup_bytes: int = 2 * GiB
    # deflate ratio of one member: real sheets and documents stay far below; zip bombs reach 1000.
    ratio: float = 200.0
    # members smaller than this may have any ratio (a blank styles.xml compresses 500:1, harmlessly).
    ratio_floor: int = 32 * MiB
    # cells covered by merged ranges (expanded into memory when a 清单 is read): a whole
    # 50,000-row × 20-column 清单 merged is 1,000,000; one whole-column merge already exceeds it.
    merged_cells: int = 1_000_000
    # rows × columns actually present in a sheet read whole (清单): 200,000 rows × 50 columns.
    sheet_cells: int = 10_000_000
    # columns of a streamed sheet: 12345 exports have under 100, 清单 under 50; a sheet has 16,384.
    columns: int = 1000
    # characters in one cell: Excel stops at 32,767; csv's own default (131,072) rejects long requests.
    cell_chars: int = 1_000_000

    @classmethod
    def from_env(cls, **overrides) -> "Limits":
        """Defaults, then DUTY_ANALYZER_LIMIT_* variables, then explicit arguments."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw:
                try:
                    values[f.name] = float(raw) if f.type in ("float", float) else int(float(raw))
                except ValueError:
                    pass
        return replace(cls(), **{**values, **overrides})


def current() -> Limits:
    return Limits.from_env()


class LimitError(ParseError):
    """A file over one of the limits; the message names the limit and what to do."""


def size_text(n: float) -> str:
    for unit, scale in (("GB", GiB), ("MB", MiB), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} 字节"


def _setting(name: str) -> str:
    return f"上限可用环境变量 {ENV_PREFIX}{name.upper()} 调整"


# ---------------------------------------------------------------- plain files

def check_file_size(path: Path, fmt: str, limits: Limits | None = None) -> None:
    """Text read whole and CSV streamed each have their own size limit."""
    limits = limits or current()
    name = {"csv": "csv_bytes", "pdf": "pdf_bytes"}.get(fmt, "text_bytes")
    limit = getattr(limits, name)
    size = path.stat().st_size
    if size > limit:
        advice = "请按时间段拆分成几个文件" if fmt == "csv" else "请把文件拆分成几个较小的文件"
        raise LimitError(str(path), f"文件大小 {size_text(size)} 超过上限 {size_text(limit)}：{advice}后重试（{_setting(name)}）")


# ---------------------------------------------------------------- Office archives

_WHOLE_MEMBERS = {"word/document.xml": "docx_xml_bytes", "xl/sharedStrings.xml": "shared_strings_bytes"}
_RESAVE = "请在 Excel/WPS/Word 中打开后另存为新文件，或拆分成几个较小的文件"


def check_archive(path: Path, fmt: str, limits: Limits | None = None) -> None:
    """Uncompressed sizes and compression ratios from the zip directory, before anything is inflated."""
    limits = limits or current()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the format readers report a broken archive in their own words
    total = sum(i.file_size for i in infos)
    if total > limits.archive_bytes:
        raise LimitError(str(path), f"解压后共 {size_text(total)}，超过上限 {size_text(limits.archive_bytes)}：{_RESAVE}（{_setting('archive_bytes')}）")
    for info in infos:
        name = _WHOLE_MEMBERS.get(info.filename, "docx_xml_bytes" if fmt == "docx" else "member_bytes")
        limit = getattr(limits, name)
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > limits.ratio_floor and ratio > limits.ratio:
            raise LimitError(
                str(path),
                f"其中的 {info.filename} 压缩比 {ratio:.0f}:1（解压后 {size_text(info.file_size)}），超过上限 {limits.ratio:.0f}:1，"
                f"像是“压缩炸弹”：{_RESAVE}（{_setting('ratio')}）",
            )
        if info.file_size > limit:
            raise LimitError(str(path), f"其中的 {info.filename} 解压后 {size_text(info.file_size)}，超过上限 {size_text(limit)}：{_RESAVE}（{_setting(name)}）")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + ord(ch) - 64
    return n


def merged_areas(data_chunks) -> tuple[int, str]:
    """(cells covered by merged ranges, the largest range) from a worksheet's XML, streamed in chunks."""
    total, largest, largest_area, tail = 0, "", 0, b""
    for chunk in data_chunks:
        buf = tail + chunk
        end = 0
        for m in _MERGE.finditer(buf):
            c1, r1, c2, r2 = m.group(1), int(m.group(2)), m.group(3) or m.group(1), int(m.group(4) or m.group(2))
            area = (abs(r2 - r1) + 1) * (abs(column_number(c2) - column_number(c1)) + 1)
            total += area
            if area > largest_area:
                largest_area, largest = area, (m.group(0).split(b'ref="')[1].rstrip(b'"')).decode("ascii", "replace")
            end = m.end()
        tail = buf[max(end, len(buf) - 256):]
    return total, largest


def _inflate(zf: zipfile.ZipFile, name: str, size: int = 4 * MiB):
    with zf.open(name) as fh:
        while chunk := fh.read(size):
            yield chunk


def check_merged(path: Path, limits: Limits | None = None) -> None:
    """For a workbook read whole: each worksheet's size, and its merged ranges read from the XML before
    openpyxl expands them into cells."""
    limits = limits or current()
    try:
        with zipfile.ZipFile(path) as zf:
            sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            for info in sheets:
                if info.file_size > limits.whole_sheet_bytes:
                    raise LimitError(
                        str(path),
                        f"工作表 {info.filename} 解压后 {size_text(info.file_size)}，超过整表读取的上限 {size_text(limits.whole_sheet_bytes)}"
                        f"（清单需要整表读取以展开合并单元格）：请按部门拆分成几个文件（{_setting('whole_sheet_bytes')}）",
                    )
            for name in (i.filename for i in sheets):
                total, largest = merged_areas(_inflate(zf, name))
                if total > limits.merged_cells:
                    raise LimitError(
                        str(path),
                        f"合并单元格共覆盖 {total:,} 个单元格（最大的一处为 {largest}），超过上限 {limits.merged_cells:,}："
                        f"请取消不必要的合并（例如整列合并）后另存，或拆分成几个文件（{_setting('merged_cells')}）",
                    )
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError):
        return


def check_sheet_extent(path: Path, rows: int, columns: int, limits: Limits | None = None) -> None:
    """Rows × columns of a sheet read whole (from the cells present, never the declared dimension)."""
    limits = limits or current()
    if rows * columns > limits.sheet_cells:
        raise LimitError(
            str(path),
            f"工作表的数据范围为 {rows:,} 行 × {columns:,} 列，超过上限 {limits.sheet_cells:,} 个单元格"
            f"（常见原因：远处的某个单元格误填了内容或格式）：请删除多余的行列后另存，或拆分成几个文件（{_setting('sheet_cells')}）",
        )


def check_cell(path: Path, row: int, length: int, limits: Limits | None = None) -> None:
    """`length` past the limit by one means "longer than the limit" (csv stops reading there)."""
    limits = limits or current()
    if length > limits.cell_chars:
        size = f"超过 {limits.cell_chars:,} 个字符" if length == limits.cell_chars + 1 else f"长 {length:,} 个字符，超过上限 {limits.cell_chars:,}"
        raise LimitError(
            str(path),
            f"第 {row} 行有一个单元格{size}："
            f"请检查是否误粘贴了大量内容，或把内容拆到多行（{_setting('cell_chars')}）",
        )


def check_row_width(path: Path, row: int, values: tuple | list, limits: Limits | None = None) -> tuple | list:
    """The row cut to the column limit; a message when something is written beyond it."""
    limits = limits or current()
    if len(values) <= limits.columns:
        return values
    far = next((i for i in range(len(values) - 1, limits.columns - 1, -1) if values[i] not in (None, "")), None)
    if far is not None:
        raise LimitError(
            str(path),
            f"第 {row} 行第 {far + 1:,} 列有内容，超过列数上限 {limits.columns:,}（常见原因：远处的某个单元格误填了内容）："
            f"请删除多余的列后另存（{_setting('columns')}）",
        )
    return values[: limits.columns]

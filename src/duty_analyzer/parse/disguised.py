"""Spreadsheets that are not what their .xls extension says: HTML tables, SpreadsheetML 2003, plain text.

Many government systems export "Excel" files that are really an HTML page or Excel 2003 XML; staff
cannot tell them apart from a real .xls. They are read row by row (streamed, entities never resolved).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import ParseError
from .limits import check_cell, current as current_limits, size_text

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOTES = {
    "html": "扩展名是 .xls，实际是网页（HTML）表格，已按网页表格读取",
    "spreadsheetml": "扩展名是 .xls，实际是 Excel 2003 XML 表格，已按 XML 表格读取",
}


def disguise_of(path: Path) -> str | None:
    """None for a real (OLE) .xls; "html", "spreadsheetml" or "text" otherwise; a message when it is none."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(_OLE):
        return None
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in low and (low.startswith(b"<?xml") or b"<workbook" in low):
        return "spreadsheetml"
    if low.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<?xml")) and (b"<table" in low or b"<html" in low):
        return "html"
    if b"\x00" not in head[:1024] and (b"\t" in head or b"," in head):
        return "text"
    raise ParseError(str(path), "扩展名是 .xls，但内容不是 Excel 表格（也不是网页表格、Excel 2003 XML 或文本表格）：请在 Excel/WPS 中打开后另存为 .xlsx")


def _check_size(path: Path) -> None:
    limit = current_limits().markup_bytes
    size = path.stat().st_size
    if size > limit:
        from .limits import LimitError

        raise LimitError(str(path), f"文件大小 {size_text(size)} 超过上限 {size_text(limit)}：请在 Excel/WPS 中另存为 .xlsx 或拆分后重试")


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _html_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from lxml import etree

    limit = current_limits().cell_chars
    number = 0
    try:
        for _, tr in etree.iterparse(str(path), events=("end",), tag="tr", html=True, no_network=True, huge_tree=False):
            number += 1
            cells = [_text("".join(td.itertext())) for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
            tr.clear()
            for c in cells:
                if len(c) > limit:
                    check_cell(path, number, len(c))
            yield number, cells
    except etree.Error as exc:
        raise ParseError(str(path), f"网页表格无法解析（{type(exc).__name__}）") from None


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _spreadsheetml_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first worksheet; `ss:Index` skips are honoured, ranges merged across are not expanded."""
    import xml.etree.ElementTree as ET

    limit = current_limits().cell_chars
    number, sheets = 0, 0
    try:
        for event, el in ET.iterparse(str(path), events=("start", "end")):
            if event == "start" and el.tag == f"{_SS}Worksheet":
                sheets += 1
            if event != "end" or sheets > 1:
                continue
            if el.tag == f"{_SS}Row":
                index = el.get(f"{_SS}Index")
                number = int(index) if index and index.isdigit() else number + 1
                cells: list[str] = []
                for cell in el.findall(f"{_SS}Cell"):
                    at = cell.get(f"{_SS}Index")
                    if at and at.isdigit() and int(at) - 1 > len(cells):
                        cells.extend([""] * min(int(at) - 1 - len(cells), 16384))
                    data = cell.find(f"{_SS}Data")
                    value = _text("".join(data.itertext())) if data is not None else ""
                    if len(value) > limit:
                        check_cell(path, number, len(value))
                    cells.append(value)
                el.clear()
                yield number, cells
    except ET.ParseError as exc:
        raise ParseError(str(path), f"Excel 2003 XML 表格无法解析（{exc}）") from None


def read_disguised(path: Path, kind: str) -> tuple[Iterator[tuple[int, list[str]]], list[str], str | None]:
    _check_size(path)
    rows = _html_rows(path) if kind == "html" else _spreadsheetml_rows(path)
    return rows, [_NOTES[kind]], None

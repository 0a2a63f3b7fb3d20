"""Low-level readers: bytes on disk → lines of text or rows of a table, with locations.

Everything format-specific (magic bytes, encodings, PDF line breaks, merged cells) lives here so that
the kind parsers (三定, 清单, hotline, interview) only see `Line`s and `Table`s.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Location
from ..text import clean, is_traditional, to_simplified
from .errors import ParseError
from .disguised import disguise_of, read_disguised
from .limits import check_archive, check_cell, check_row_width, check_file_size, check_merged, check_sheet_extent, current as current_limits

TRADITIONAL_NOTE = "检测到繁体中文，已转换为简体"
SAMPLE_BYTES = 64 * 1024


@dataclass
class Line:
    text: str
    location: Location


@dataclass
class TextDocument:
    """`lines` are cleaned, one per paragraph as the file has them; `raw` keeps the same text before
    cleaning (indentation, runs of spaces), which the 三定 layout recovery needs (empty for PDF: reflowed)."""

    path: str
    lines: list[Line]
    notes: list[str] = field(default_factory=list)
    raw: list[Line] = field(default_factory=list)


@dataclass
class Table:
    """A table with its header found; `rows` is a lazy iterator so large exports stream."""

    path: str
    header: list[str]
    header_row: int
    title_lines: list[str]
    rows: Iterator[tuple[int, list[str]]]
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- format detection

TEXT_FORMATS = {"txt", "docx", "pdf"}
TABLE_FORMATS = {"csv", "xlsx", "xls"}
_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".docx": "docx", ".pdf": "pdf",
    ".csv": "csv", ".tsv": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
    ".doc": "doc", ".wps": "doc", ".et": "xls",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(path: Path) -> str:
    """The file's real format from its first bytes, falling back to the extension for plain text."""
    ext = _EXTENSIONS.get(path.suffix.lower())
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ParseError(str(path), f"无法打开文件（{exc.strerror or exc}）") from None
    if not head:
        raise ParseError(str(path), "文件为空")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            raise ParseError(str(path), "压缩包结构损坏，无法作为 Office 文档读取") from None
        if "word/document.xml" in names:
            check_archive(path, "docx")
            return "docx"
        if "xl/workbook.xml" in names:
            check_archive(path, "xlsx")
            return "xlsx"
        raise ParseError(str(path), "是压缩文件，但不是 .docx 或 .xlsx 文档")
    if head.startswith(_OLE):
        if ext == "xls":
            return "xls"
        if ext in {"xlsx", "docx"}:
            raise ParseError(str(path), "文件已加密（设置了打开密码），请去除密码后重试")
        raise ParseError(str(path), "是旧版 Word/WPS 二进制格式，请另存为 .docx 后重试")
    if ext in {"docx", "xlsx", "pdf"}:
        raise ParseError(str(path), f"扩展名是 .{ext}，但内容不是有效的 {ext.upper()} 文件（可能已损坏或改了扩展名）")
    if ext == "doc":
        raise ParseError(str(path), "是旧版 Word/WPS 格式，请另存为 .docx 后重试")
    if ext == "xls":
        disguise_of(path)  # HTML, SpreadsheetML 2003 or plain text saved as .xls: read by _xls_rows
        return "xls"
    if ext in {"txt", "csv"}:
        return ext
    raise ParseError(str(path), f"不支持的文件格式（{path.suffix or '无扩展名'}）：支持 .docx .pdf .txt .xlsx .xls .csv")


# ---------------------------------------------------------------- plain text and encodings

_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CANDIDATES = ["utf-8", "gb18030", "big5"]
_ENCODING_LABELS = {"gb18030": "GBK/GB18030", "big5": "Big5", "utf-16": "UTF-16"}


def encoding_note(encoding: str) -> list[str]:
    return [] if encoding.startswith("utf-8") else [f"文件编码为 {_ENCODING_LABELS.get(encoding, encoding)}"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def detect_encoding(path: Path, sample: bytes) -> str:
    """UTF-8 when it decodes; otherwise GB18030 (a superset of GBK) or Big5, told apart by charset-normalizer.

    Big5 bytes usually also decode as GB18030 (into nonsense), so decoding alone cannot decide.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    decodable = []
    for name in _CANDIDATES:
        try:
            text = codecs.getincrementaldecoder(name)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) <= max(2, len(text) // 200):
            decodable.append(name)
    if decodable[:1] == ["utf-8"] or len(decodable) == 1:
        return decodable[0]
    if decodable:
        import charset_normalizer

        best = charset_normalizer.from_bytes(sample, cp_isolation=decodable).best()
        return best.encoding if best is not None and best.encoding in decodable else decodable[0]
    raise ParseError(str(path), "无法识别文件编码（不是 UTF-8、GBK/GB18030 或 Big5 文本），或不是文本文件")


def _maybe_simplify(texts: list[str], notes: list[str]) -> Callable[[str], str]:
    if is_traditional("".join(texts)[:20000]):
        notes.append(TRADITIONAL_NOTE)
        return to_simplified
    return lambda s: s


def read_txt(path: Path) -> TextDocument:
    check_file_size(path, "txt")
    raw = path.read_bytes()
    encoding = detect_encoding(path, raw[:SAMPLE_BYTES])
    text = raw.decode(encoding, errors="replace")
    notes = encoding_note(encoding)
    if "\ufffd" in text:
        notes.append("部分字符无法按识别出的编码解码，已用 � 代替")
    return _document(path, text.splitlines(), "line", notes)


def _document(path: Path, texts: list[str], numbered_by: str, notes: list[str]) -> TextDocument:
    """Numbered, non-empty, Simplified lines; `numbered_by` is the Location field (line or paragraph)."""
    convert = _maybe_simplify(texts, notes)
    raw = [
        Line(convert(t), Location(file=str(path), **{numbered_by: i}))
        for i, t in enumerate(texts, start=1)
        if t.strip()
    ]
    lines = [Line(clean(l.text), l.location) for l in raw]
    return TextDocument(str(path), lines, notes, raw)


# ---------------------------------------------------------------- Word

def read_docx(path: Path) -> TextDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ParseError(str(path), f"不是有效的 .docx 文件，或文件已损坏（{type(exc).__name__}）") from None
    return _document(path, docx_texts(document), "paragraph", [])


_ORDINAL = re.compile(r"^[(（]?[\d一二三四五六七八九十]+[)）.．、]?$")
_TABLE_HEADER = re.compile(r"^(?:机构|名称|处室|科室|内设机构|单位|部门|职责|主要职责|职能|工作职责|序号)")


def docx_texts(document) -> list[str]:
    """Paragraph texts in document order, tables where they stand. A two-column row "unit | duties"
    (a 内设机构 table) becomes one paragraph "unit：duties"; other rows give one paragraph per cell."""
    texts: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            texts.extend(table_texts(block))
        else:
            texts.append(block.text)
    return texts


def table_texts(table) -> list[str]:
    out: list[str] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is repeated once per grid column
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        texts = ["".join(p.text.strip() for p in c.paragraphs) for c in cells]
        if len(texts) > 1 and all(_TABLE_HEADER.match(t) and len(t) <= 12 for t in texts if t):
            continue  # a header row ("序号 | 机构名称 | 主要职责"): its words would read as section headings
        label = ""
        if len(texts) == 3 and _ORDINAL.match(texts[0]):
            label, texts = texts[0], texts[1:]
        if len(texts) == 2 and texts[0] and texts[1] and len(texts[0]) <= 24 and not re.search(r"[。；，]", texts[0]):
            if label and not label.startswith(("(", "（")):
                label = f"（{label.rstrip('.．、')}）"
            out.append(f"{label}{texts[0]}：{texts[1]}")
            continue
        for c in cells:
            out.extend(p.text for p in c.paragraphs)
    return out


# ---------------------------------------------------------------- PDF

BLOCK_START = re.compile(
    r"^(第[一二三四五六七八九十百]+条|[一二三四五六七八九十]+、|（[一二三四五六七八九十百]+）|\([一二三四五六七八九十\d]+\)"
    r"|（\d+）|\d+[\.．、](?!\d)|问[:：]|答[:：])"
)
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(第\s*)?\d+\s*(页)?[-—–－\s]*$|^第\s*\d+\s*页\s*(共\s*\d+\s*页)?$")
# A wrapped line runs to the right margin; within this many character widths counts as "to the margin".
MARGIN_CHARS = 1.5


@dataclass
class PdfLine:
    text: str
    x0: float
    x1: float
    location: Location


def reflow(page: list[PdfLine], margin: float, char: float) -> list[Line]:
    """Join a PDF's wrapped lines back into paragraphs.

    A line continues the previous one when the previous line ran to the right margin (the document's
    rightmost text edge), the line starts at the left margin (a first-line indent or a centred
    heading opens a paragraph) and it does not open a new numbered block.
    """
    left = min(l.x0 for l in page) if page else 0.0
    out: list[Line] = []
    prev_full = False
    for l in page:
        text = clean(l.text)
        at_left = l.x0 <= left + MARGIN_CHARS * char
        if out and prev_full and at_left and not BLOCK_START.match(text):
            out[-1].text += text
        else:
            out.append(Line(text, l.location))
        prev_full = l.x1 >= margin - MARGIN_CHARS * char
    return out


def _page_lines(page, number: int, path: Path) -> list[PdfLine]:
    return [
        PdfLine(d["text"], d["x0"], d["x1"], Location(file=str(path), page=number, line=i))
        for i, d in enumerate(page.extract_text_lines(), start=1)
    ]


def running_heads(pages: list[list[PdfLine]]) -> set[str]:
    """Lines printed at the top or bottom of most pages (document title, 印发机关): not body text.
    A two-page document needs the line on both pages."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        edge = {clean(l.text) for l in page[:2] + page[-2:] if clean(l.text)}
        for text in edge:
            counts[text] = counts.get(text, 0) + 1
    return {t for t, n in counts.items() if n >= max(2, 0.6 * len(pages))}


def read_pdf(path: Path) -> TextDocument:
    import pdfplumber

    check_file_size(path, "pdf")

    pages: list[list[PdfLine]] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append(_page_lines(page, number, path))
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        # pdfplumber wraps pdfminer's error (e.g. PDFPasswordIncorrect) in its args.
        detail = " ".join([type(exc).__name__, str(exc)] + [type(a).__name__ for a in exc.args]).lower()
        if "password" in detail or "encrypt" in detail:
            raise ParseError(str(path), "PDF 已加密，无法读取文本，请提供未加密的文件") from None
        raise ParseError(str(path), f"PDF 文件损坏或无法解析（{type(exc).__name__}）") from None
    if not any(l.text.strip() for page in pages for l in page):
        raise ParseError(str(path), f"PDF 共 {len(pages)} 页但没有文本层（可能是扫描件），需要先做 OCR 文字识别")
    notes: list[str] = []
    convert = _maybe_simplify([l.text for page in pages for l in page], notes)
    running = running_heads(pages)
    pages = [[l for l in page if clean(l.text) and not _PAGE_NUMBER.match(clean(l.text)) and clean(l.text) not in running] for page in pages]
    every = [l for page in pages for l in page]
    margin = max(l.x1 for l in every)
    char = sorted((l.x1 - l.x0) / max(1, len(l.text)) for l in every)[len(every) // 2]
    for l in every:
        l.text = convert(l.text)
    # One pass over all pages: a paragraph broken by a page break re-joins like any wrapped line.
    return TextDocument(str(path), reflow(every, margin, char), notes)


TEXT_READERS: dict[str, Callable[[Path], TextDocument]] = {"txt": read_txt, "docx": read_docx, "pdf": read_pdf}


def read_text_document(path: Path, fmt: str) -> TextDocument:
    doc = TEXT_READERS[fmt](path)
    if not doc.lines:
        raise ParseError(str(path), "文件没有文字内容")
    return doc


# ---------------------------------------------------------------- tables

HEADER_SCAN_ROWS = 20


_ODD_SPACE = re.compile(r"[\t\u3000\xa0]| {2}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value)
    return clean(value) if _ODD_SPACE.search(value) else value.strip()


def text_cells(row: list[str]) -> list[str]:
    """`_cell` of every cell of a CSV row (all text already): one search over the whole row finds the
    usual row without tabs, full-width or double spaces, whose cells only need a strip."""
    if _ODD_SPACE.search("\x00".join(row)):
        return [clean(c) if _ODD_SPACE.search(c) else c.strip() for c in row]
    return [c.strip() for c in row]


CSV_DELIMITERS = ",\t;|"


def sniff_delimiter(head: str) -> str:
    """The delimiter under which the rows form the widest consistent table, reading quotes as csv does.

    csv.Sniffer looks at physical lines, which a title row or line breaks inside quoted cells mislead.
    With the right delimiter no quote character is left inside a cell; among those, the score is the
    share of rows at the most common width (>1) times that width."""
    best, best_score = ",", (False, 0.0)
    body = head[: head.rfind("\n") + 1] or head  # the sample may end mid-row
    for d in CSV_DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(body), delimiter=d) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        multi = [len(r) for r in rows if len(r) > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        clean_quotes = not any('"' in c for r in rows for c in r)
        score = (clean_quotes, multi.count(mode) / len(rows) * mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], list[str]]:
    check_file_size(path, "csv")
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    encoding = detect_encoding(path, sample)
    notes = encoding_note(encoding)
    head = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    delimiter = sniff_delimiter(head)

    def rows() -> Iterator[tuple[int, list[str]]]:
        limit = current_limits().cell_chars
        csv.field_size_limit(max(limit + 1, csv.field_size_limit()))
        with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
            number = 0
            try:
                for number, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
                    yield number, checked_cells(path, number, text_cells(row), limit)
            except csv.Error as exc:
                if "field limit" in str(exc):
                    check_cell(path, number + 1, limit + 1)
                raise ParseError(str(path), f"第 {number + 1} 行附近的 CSV 格式有误（{exc}）：请在 Excel/WPS 中打开后另存为 CSV") from None

    return rows(), notes


def _xlsx_rows(path: Path, fill_merged: bool) -> tuple[Iterator[tuple[int, list[str]]], list[str], str]:
    import openpyxl

    if fill_merged:
        check_merged(path)  # openpyxl expands every merged range into cells while loading
    try:
        # Merged ranges are only visible outside read-only mode; big hotline exports stream read-only.
        wb = openpyxl.load_workbook(str(path), read_only=not fill_merged, data_only=True)
    except Exception as exc:
        raise ParseError(str(path), f"Excel 文件损坏或无法读取（{type(exc).__name__}）") from None
    ws = _first_nonempty_sheet(wb)
    if fill_merged:
        check_sheet_extent(path, ws.max_row or 0, ws.max_column or 0)
    else:
        ws.reset_dimensions()  # the declared <dimension> is not trusted: rows are as wide as their cells
    settings = current_limits()
    limit = settings.cell_chars
    merged: dict[tuple[int, int], object] = {}
    if fill_merged:
        for rng in ws.merged_cells.ranges:
            value = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = value
    notes = ["已展开合并单元格"] if merged else []

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
                values = check_row_width(path, r, values, settings)
                cells = [
                    _cell(merged.get((r, c), v) if v is None else v) for c, v in enumerate(values, start=1)
                ]
                yield r, checked_cells(path, r, cells, limit)
        except ParseError:
            raise
        except Exception as exc:  # a sheet broken half-way (truncated download, bad XML)
            raise ParseError(str(path), f"Excel 文件损坏或无法读取（{type(exc).__name__}）") from None
        if not fill_merged:
            wb.close()

    return rows(), notes, ws.title


def _first_nonempty_sheet(wb):
    for ws in wb.worksheets:
        if ws.max_row and ws.max_row > 1:
            return ws
    return wb.worksheets[0]


def checked_cells(path: Path, row: int, cells: list[str], limit: int) -> list[str]:
    """The row, unless one cell is longer than the cell limit (then a message naming the row)."""
    if cells and max(map(len, cells)) > limit:
        check_cell(path, row, max(map(len, cells)))
    return cells


def _xls_rows(path: Path) -> tuple[Iterator[tuple[int, list[str]]], list[str], str]:
    import xlrd

    disguise = disguise_of(path)
    if disguise == "text":  # tab-separated text saved as .xls by older systems
        rows, notes = _csv_rows(path)
        return rows, notes + ["扩展名是 .xls，实际是制表符分隔的文本，已按文本表格读取"], None
    if disguise is not None:
        return read_disguised(path, disguise)
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:
        raise ParseError(str(path), f".xls 文件损坏或无法读取（{type(exc).__name__}）") from None
    sheet = next((s for s in book.sheets() if s.nrows > 1), book.sheet_by_index(0))
    merged: dict[tuple[int, int], object] = {}
    for rlo, rhi, clo, chi in sheet.merged_cells:
        value = sheet.cell_value(rlo, clo)
        for r in range(rlo, rhi):
            for c in range(clo, chi):
                merged[(r, c)] = value

    def rows() -> Iterator[tuple[int, list[str]]]:
        for r in range(sheet.nrows):
            yield r + 1, [_cell(merged.get((r, c), v) if v in ("", None) else v) for c, v in enumerate(sheet.row_values(r))]

    return rows(), (["已展开合并单元格"] if merged else []), sheet.name


def open_table(path: Path, fmt: str, is_header: Callable[[list[str]], bool], fill_merged: bool = True) -> Table:
    """Open a spreadsheet and find its header row among the first rows (titles often sit above it)."""
    sheet = None
    if fmt == "csv":
        rows, notes = _csv_rows(path)
    elif fmt == "xlsx":
        rows, notes, sheet = _xlsx_rows(path, fill_merged)
    elif fmt == "xls":
        rows, notes, sheet = _xls_rows(path)
    else:
        raise ParseError(str(path), f"不是表格文件（{fmt}）")
    head: list[tuple[int, list[str]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    if not any(any(c for c in cells) for _, cells in head):
        raise ParseError(str(path), "表格为空")
    convert = _maybe_simplify(["".join(c) for _, c in head], notes)
    head = [(n, [convert(c) for c in cells]) for n, cells in head]
    for index, (number, cells) in enumerate(head):
        if is_header(cells):
            titles = ["".join(c for c in cells if c) for _, cells in head[:index] if any(cells)]
            rest = head[index + 1:]

            def body(rest=rest) -> Iterator[tuple[int, list[str]]]:
                yield from rest
                for n, cells in rows:
                    yield n, [convert(c) for c in cells]

            return Table(str(path), cells, number, titles, body(), sheet, notes)
    raise ParseError(str(path), f"前 {HEADER_SCAN_ROWS} 行中找不到可识别的表头（例如 事项名称、职权类型、诉求内容、工单编号）")


def peek_text(doc: TextDocument, chars: int = 4000) -> str:
    out = io.StringIO()
    for line in doc.lines:
        if out.tell() > chars:
            break
        out.write(line.text + "\n")
    return out.getvalue()

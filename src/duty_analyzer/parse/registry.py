"""Which parser reads which file: the kind is sniffed from content (title, headings, table header), not the name.

`KINDS` is the registry: adding a document kind means one entry here and one parser module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import Corpus, FileError, ParsedFile
from ..names import DepartmentIndex
from ..outputs import output_folders, written_by_tool
from .errors import ParseError
from .convert import OFD_MESSAGE, needs_conversion, parse_converted
from .filenames import NOTE as NAME_NOTE, display_name, name_encoding, relabel
from .columns import HOTLINE_COLUMNS, LIST_COLUMNS, map_columns
from .hotline import is_hotline_header, parse_hotline
from .interview import looks_like_interview, parse_interview
from .lists import is_list_header, parse_list
from .sanding import ARTICLE, MAIN, department_from_body, department_from_title, parse_sanding
from .staffing import STAFFING_COLUMNS, is_staffing_header, parse_staffing
from .sources import TABLE_FORMATS, TEXT_FORMATS, Table, TextDocument, detect_format, open_table, peek_text, read_text_document


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # Chinese name for messages
    formats: frozenset[str]
    parse: Callable[[TextDocument | Table], ParsedFile]
    header: Callable[[list[str]], bool] | None = None
    fill_merged: bool = False


KINDS: dict[str, Kind] = {
    "sanding": Kind("sanding", "三定规定", frozenset(TEXT_FORMATS), parse_sanding),
    "interview": Kind("interview", "访谈记录", frozenset(TEXT_FORMATS), parse_interview),
    "list": Kind("list", "权责清单/责任清单", frozenset(TABLE_FORMATS), parse_list, is_list_header, fill_merged=True),
    "hotline": Kind("hotline", "12345热线工单", frozenset(TABLE_FORMATS), parse_hotline, is_hotline_header),
    "staffing": Kind("staffing", "机构编制实名制数据", frozenset(TABLE_FORMATS), parse_staffing, is_staffing_header, fill_merged=True),
}

_SANDING_WORDS = ("主要职责", "内设机构", "人员编制", "领导职数", "职责分工")
_SKIPPED = re.compile(r"^(~\$|\.)|^(Thumbs\.db|desktop\.ini)$", re.I)


_OPENING = re.compile(r"制定本规定|职能配置|机构改革|内设机构")
_OLD_SECTIONS = re.compile(r"^[一二三四五六]、\s*(?:职责调整|主要职责|内设机构|人员编制|其他事项)", re.M)


def looks_like_sanding_body(doc: TextDocument, head: str) -> bool:
    """A copy that starts at 第一条 with no title: articles, an opening about 制定本规定 / 机构改革, and a
    department named in 第二条 ("XX是…工作部门") or a 主要职责 lead-in."""
    if len(_OLD_SECTIONS.findall(head)) >= 2:  # the 2008–2013 layout: 一、职责调整 / 二、主要职责 …
        return True
    articles = sum(1 for l in doc.lines[:40] if ARTICLE.match(l.text)) + len(re.findall(r"(?:^|\s)第[一二三四五六七八九十]+[条條]", head))
    return articles >= 2 and bool(_OPENING.search(head)) and (
        department_from_body(doc.lines) is not None or "主要职责" in head
    )


def sniff_text_kind(doc: TextDocument) -> str | None:
    head = peek_text(doc)
    if department_from_title(doc.lines):
        return "sanding"
    if looks_like_interview(head, doc.path):
        return "interview"
    if sum(word in head for word in _SANDING_WORDS) >= 3 or looks_like_sanding_body(doc, head):
        return "sanding"
    return None


def sniff_table_kind(path: Path, fmt: str) -> str | None:
    def either(cells: list[str]) -> bool:
        return is_list_header(cells) or is_hotline_header(cells) or is_staffing_header(cells)

    table = open_table(path, fmt, either, fill_merged=False)
    table.rows.close()
    scores = {
        "list": len(map_columns(table.header, LIST_COLUMNS)) if is_list_header(table.header) else 0,
        "hotline": len(map_columns(table.header, HOTLINE_COLUMNS)) if is_hotline_header(table.header) else 0,
        "staffing": len(map_columns(table.header, STAFFING_COLUMNS)) if is_staffing_header(table.header) else 0,
    }
    return max(("hotline", "list", "staffing"), key=lambda k: scores[k])


def sniff_kind(path: Path) -> str:
    """The document kind of a file; raises ParseError when it is none of the four."""
    fmt = detect_format(path)
    if fmt in TEXT_FORMATS:
        kind = sniff_text_kind(read_text_document(path, fmt))
    else:
        kind = sniff_table_kind(path, fmt)
    if kind is None:
        raise ParseError(str(path), "无法识别文档类型：既不像三定规定，也不像访谈记录、权责清单或热线工单")
    return kind


def parse_file(path: Path | str, kind: str | None = None) -> ParsedFile:
    path = Path(path)
    if path.suffix.lower() == ".ofd":
        raise ParseError(str(path), OFD_MESSAGE)
    if needs_conversion(path):  # .doc / .wps / .et through LibreOffice
        return parse_converted(path, kind, parse_file)
    fmt = detect_format(path)
    if fmt in TEXT_FORMATS:
        doc = read_text_document(path, fmt)
        kind = kind or sniff_text_kind(doc)
        if kind is None:
            raise ParseError(str(path), "无法识别文档类型：既不像三定规定，也不像访谈记录")
        spec = _spec(path, kind, fmt)
        return spec.parse(doc)
    kind = kind or sniff_table_kind(path, fmt)
    spec = _spec(path, kind, fmt)
    table = open_table(path, fmt, spec.header, fill_merged=spec.fill_merged)
    return spec.parse(table)


def _spec(path: Path, kind: str, fmt: str) -> Kind:
    if kind not in KINDS:
        raise ParseError(str(path), f"未知的文档类型 {kind}（可选：{'、'.join(KINDS)}）")
    spec = KINDS[kind]
    if fmt not in spec.formats:
        raise ParseError(str(path), f"{spec.label}不能是 .{fmt} 格式")
    return spec


def iter_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files under the given paths in a stable order, without hidden files and Office lock files."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            outputs = output_folders(p)  # the tool's own output folders are never input
            found.extend(f for f in sorted(p.rglob("*")) if f.is_file() and not _hidden(f, p) and not written_by_tool(f, outputs))
        else:
            found.append(p)
    return found


def _hidden(f: Path, root: Path) -> bool:
    """Hidden files, Office lock files, and the tool's own JSON outputs (parsed.json, truth.json)."""
    return f.suffix.lower() == ".json" or any(_SKIPPED.search(part) for part in f.relative_to(root).parts)


def parse_paths(paths: Iterable[Path | str], kind: str | None = None) -> Corpus:
    """Parse every file; a bad file becomes a FileError and the batch goes on."""
    corpus = Corpus()
    for path in iter_files(paths):
        if not path.exists():
            corpus.errors.append(FileError(display_name(path), "文件不存在"))
            continue
        try:
            parsed = shown_names(parse_file(path, kind), path)
            corpus.files.append(parsed)
            empty = empty_result(parsed)
            if empty:
                corpus.errors.append(FileError(display_name(path), empty, severity="warning"))
        except ParseError as exc:
            corpus.errors.append(FileError(exc.path, exc.message))
        except Exception as exc:  # a parser bug must not cost the user the rest of the batch
            corpus.errors.append(FileError(display_name(path), f"解析时发生意外错误（{type(exc).__name__}: {display_name(str(exc))}）"))
    resolve_names(corpus)
    return corpus


def empty_result(parsed: ParsedFile) -> str | None:
    """Why a file that parsed gives nothing the analysis can use (a warning for the user), or None."""
    if parsed.kind == "sanding" and not any(d.section == MAIN for d in parsed.duties):
        return "按三定规定解析，但没有识别出任何主要职责条目，该部门未参与职责交叉比对（可检查文件是否完整、条目编号是否为（一）1.等形式）"
    if parsed.kind == "list" and not parsed.list_items:
        return "按权责清单/责任清单解析，但表头之后没有可用的数据行（每行需有事项名称）"
    if parsed.kind == "hotline" and not parsed.hotline:
        return "按12345热线工单解析，但没有读到任何工单记录"
    if parsed.kind == "interview" and not parsed.statements:
        return "按访谈记录解析，但没有读到任何陈述"
    return None


def shown_names(parsed: ParsedFile, path: Path) -> ParsedFile:
    """A file named in GBK (or any non-UTF-8 bytes) is reported under its decoded name, with a note."""
    shown = display_name(path)
    if shown != str(path):
        relabel(parsed, str(path), shown)
        parsed.notes.append(NAME_NOTE.format(name_encoding(path)))
    return parsed


def resolve_names(corpus: Corpus) -> None:
    """Write full department names where files used short ones (清单 titles, 职责分工 counterparts)."""
    index = DepartmentIndex([d.name for d in corpus.departments])
    for item in corpus.list_items:
        item.department = index.resolve(item.department) or item.department
    for clause in corpus.divisions:
        clause.counterparts = [index.resolve(c) or c for c in clause.counterparts]
    for record in corpus.staffing_records:
        record.department = index.resolve(record.department) or record.department

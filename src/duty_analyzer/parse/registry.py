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
from .errors import ParseError
from .filenames import NOTE as NAME_NOTE, display_name, name_encoding, relabel
from .columns import HOTLINE_COLUMNS, LIST_COLUMNS, map_columns
from .hotline import is_hotline_header, parse_hotline
from .interview import looks_like_interview, parse_interview
from .lists import is_list_header, parse_list
from .sanding import department_from_title, parse_sanding
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
}

_SANDING_WORDS = ("主要职责", "内设机构", "人员编制", "领导职数", "职责分工")
_SKIPPED = re.compile(r"^(~\$|\.)|^(Thumbs\.db|desktop\.ini)$", re.I)


def sniff_text_kind(doc: TextDocument) -> str | None:
    head = peek_text(doc)
    if department_from_title(doc.lines):
        return "sanding"
    if looks_like_interview(head, doc.path):
        return "interview"
    if sum(word in head for word in _SANDING_WORDS) >= 3:
        return "sanding"
    return None


def sniff_table_kind(path: Path, fmt: str) -> str | None:
    def either(cells: list[str]) -> bool:
        return is_list_header(cells) or is_hotline_header(cells)

    table = open_table(path, fmt, either, fill_merged=False)
    table.rows.close()
    as_list = map_columns(table.header, LIST_COLUMNS) if is_list_header(table.header) else {}
    as_hotline = map_columns(table.header, HOTLINE_COLUMNS) if is_hotline_header(table.header) else {}
    return "hotline" if len(as_hotline) > len(as_list) else "list"


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
            found.extend(f for f in sorted(p.rglob("*")) if f.is_file() and not _hidden(f, p))
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
            corpus.files.append(shown_names(parse_file(path, kind), path))
        except ParseError as exc:
            corpus.errors.append(FileError(exc.path, exc.message))
        except Exception as exc:  # a parser bug must not cost the user the rest of the batch
            corpus.errors.append(FileError(display_name(path), f"解析时发生意外错误（{type(exc).__name__}: {display_name(str(exc))}）"))
    resolve_names(corpus)
    return corpus


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

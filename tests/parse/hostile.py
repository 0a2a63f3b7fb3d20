"""Generators for hostile files: each is small on disk and would cost gigabytes or hours if read naively."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

LIST_HEADER = ["序号", "部门", "事项名称", "职权类型", "设定依据"]
HOTLINE_HEADER = ["工单编号", "受理时间", "诉求内容", "退单部门", "退单理由"]


def xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def rewrite_member(path: Path, name: str, edit) -> Path:
    """Rewrite one member of a zip archive through `edit(bytes) -> bytes`."""
    buf = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, edit(data) if info.filename == name else data)
    return path


def list_rows(n: int) -> list[list[str]]:
    return [LIST_HEADER] + [[str(i), "云溪市测试局", f"对违反规定行为的第{i}项处罚", "行政处罚", "《某条例》第十条"] for i in range(1, n + 1)]


def far_cell_xlsx(path: Path) -> Path:
    """A hotline export whose one extra cell sits at XFD1048576 and whose dimension claims the whole sheet."""
    xlsx(path, [HOTLINE_HEADER, ["G1", "2026-01-02", "小区门口占道经营", "市城管局", "不属于本单位职责"]])

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
        return xml.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>')

    return rewrite_member(path, "xl/worksheets/sheet1.xml", edit)


def merged_column_xlsx(path: Path) -> Path:
    """A 清单 with one whole column merged (5 KB on disk, a million cells once expanded)."""
    xlsx(path, list_rows(3))
    return rewrite_member(
        path, "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="B2:B1048576"/></mergeCells>'),
    )


def _bomb_member(zf: zipfile.ZipFile, name: str, head: bytes, unit: bytes, tail: bytes, size: int) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as fh:
        fh.write(head)
        block = unit * (4 * 1024 * 1024 // len(unit))
        for _ in range(size // len(block)):
            fh.write(block)
        fh.write(tail)


def docx_bomb(path: Path, size: int = 64 * 1024 * 1024) -> Path:
    """A .docx whose document.xml inflates to `size` bytes of one repeated paragraph."""
    import docx

    docx.Document().save(str(path))
    buf = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                _bomb_member(dst, info.filename, b"<w:document " + ns + b"><w:body>",
                             b"<w:p><w:r><w:t>AAAA</w:t></w:r></w:p>", b"</w:body></w:document>", size)
            else:
                dst.writestr(info, src.read(info.filename))
    return path


def xlsx_bomb(path: Path, size: int = 64 * 1024 * 1024) -> Path:
    """A hotline .xlsx whose sheet inflates to `size` bytes of identical rows."""
    xlsx(path, [HOTLINE_HEADER])
    buf = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = src.read(info.filename)
                head = xml.split(b"</sheetData>")[0]
                _bomb_member(dst, info.filename, head, b'<row><c t="inlineStr"><is><t>A</t></is></c></row>',
                             b"</sheetData></worksheet>", size)
            else:
                dst.writestr(info, src.read(info.filename))
    return path


def sparse_text(path: Path, size: int = 200 * 1024 * 1024) -> Path:
    """A text file of `size` bytes that takes no disk space (a sparse file)."""
    with path.open("wb") as fh:
        fh.write("三定规定\n".encode("utf-8"))
        fh.truncate(size)
    return path


def csv_with_cell(path: Path, chars: int) -> Path:
    text = "占道经营" * (chars // 4)
    path.write_text(",".join(HOTLINE_HEADER) + "\n" + f'G1,2026-01-02,"{text}",市城管局,不属于本单位职责\n'
                    + "G2,2026-01-03,小区噪声扰民,市生态环境局,不属于本单位职责\n", encoding="utf-8")
    return path

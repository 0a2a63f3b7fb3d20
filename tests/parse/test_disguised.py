"""Files saved as .xls that are really HTML, Excel 2003 XML or tab-separated text are read; others are named."""

import pytest

from duty_analyzer.parse import parse_file
from duty_analyzer.parse.errors import ParseError

HEADER = ["序号", "部门", "事项名称", "职权类型"]
ROWS = [["1", "云溪市测试局", "对占道经营的处罚", "行政处罚"], ["2", "云溪市测试局", "户外广告设置审批", "行政许可"]]


def html(rows):
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<html><head><meta charset="utf-8"></head><body><table>{body}</table></body></html>'


def spreadsheetml(rows):
    cells = lambda r: "".join(f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in r)  # noqa: E731
    body = "".join(f"<Row>{cells(r)}</Row>" for r in rows)
    return ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            f'<Worksheet ss:Name="Sheet1"><Table>{body}</Table></Worksheet></Workbook>')


@pytest.mark.parametrize("content,note", [
    (html([HEADER] + ROWS), "网页"),
    (spreadsheetml([HEADER] + ROWS), "Excel 2003 XML"),
    ("\n".join("\t".join(r) for r in [HEADER] + ROWS) + "\n", "制表符"),
], ids=["html", "spreadsheetml", "tsv"])
def test_a_disguised_xls_is_read_and_said_so(tmp_path, content, note):
    path = tmp_path / "清单.xls"
    path.write_text(content, encoding="utf-8")
    parsed = parse_file(path)
    assert [i.matter for i in parsed.list_items] == ["对占道经营的处罚", "户外广告设置审批"]
    assert any(note in n for n in parsed.notes)


def test_an_xls_that_is_something_else_is_named(tmp_path):
    path = tmp_path / "清单.xls"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(ParseError, match="内容不是 Excel 表格"):
        parse_file(path)


def test_spreadsheetml_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    doc = spreadsheetml([HEADER] + ROWS).replace(
        '<?mso-application progid="Excel.Sheet"?>', f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
    ).replace("对占道经营的处罚", "&e;")
    path = tmp_path / "清单.xls"
    path.write_text(doc, encoding="utf-8")
    try:
        parsed = parse_file(path)
    except ParseError:
        return
    assert all("机密" not in i.matter for i in parsed.list_items)

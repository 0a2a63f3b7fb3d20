"""Format detection, encodings and PDF line re-joining."""

import pytest

from duty_analyzer.model import Location
from duty_analyzer.parse.errors import ParseError
from duty_analyzer.parse.sources import PdfLine, detect_encoding, detect_format, reflow


def _pdf_lines(rows):
    return [PdfLine(t, x0, x1, Location("x.pdf", page=1, line=i)) for i, (t, x0, x1) in enumerate(rows, 1)]


def test_reflow_joins_wrapped_lines_but_not_numbered_or_indented_ones():
    lines = _pdf_lines([
        ("（一）负责全市停车设施的规划建设和", 96.0, 520.0),
        ("管理工作。", 72.0, 140.0),
        ("（二）负责本部门安全生产工作，落实", 96.0, 520.0),
        ("（三）完成交办的其他任务，以及市委、市", 96.0, 520.0),
        ("人员编制", 96.0, 144.0),
        ("市测试局机关行政编制20名。", 96.0, 300.0),
    ])
    out = reflow(lines, margin=520.0, char=12.0)
    assert [l.text for l in out] == [
        "（一）负责全市停车设施的规划建设和管理工作。",
        "（二）负责本部门安全生产工作，落实",
        "（三）完成交办的其他任务，以及市委、市",
        "人员编制",
        "市测试局机关行政编制20名。",
    ]
    assert out[0].location.line == 1


@pytest.mark.parametrize(
    "data, expected",
    [
        ("职责分工".encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + "职责分工".encode("utf-8"), "utf-8-sig"),
        ("职责分工与退单".encode("gbk"), "gb18030"),
        ("職責分工".encode("big5"), "big5"),
    ],
)
def test_detect_encoding(tmp_path, data, expected):
    assert detect_encoding(tmp_path / "x.txt", data) == expected


def test_binary_is_not_text(tmp_path):
    with pytest.raises(ParseError, match="编码"):
        detect_encoding(tmp_path / "x.txt", b"\x80\x80abc\xff\x80" * 10)


def test_format_comes_from_content_not_extension(tmp_path, write):
    pdf_named_txt = tmp_path / "文件.txt"
    pdf_named_txt.write_bytes(b"%PDF-1.4\n")
    assert detect_format(pdf_named_txt) == "pdf"
    fake_xlsx = write(tmp_path / "清单.xlsx", "序号,事项名称\n")
    with pytest.raises(ParseError, match="不是有效的 XLSX"):
        detect_format(fake_xlsx)


def test_running_heads_repeated_on_most_pages_are_dropped():
    from duty_analyzer.parse.sources import running_heads

    def page(n, body):
        return _pdf_lines([("云溪市某局职能配置、内设机构和人员编制规定", 96.0, 400.0), (body, 72.0, 520.0), (f"— {n} —", 250.0, 300.0)])

    pages = [page(1, "第一条 根据有关规定制定本规定。"), page(2, "（一）负责停车管理。"), page(3, "（二）负责渣土管理。")]
    assert running_heads(pages) == {"云溪市某局职能配置、内设机构和人员编制规定"}


def test_running_head_of_a_two_page_pdf_is_dropped_but_one_page_keeps_its_title():
    from duty_analyzer.parse.sources import running_heads

    def page(n, body):
        return _pdf_lines([("溪南县机构编制委员会文件", 96.0, 400.0), (body, 72.0, 520.0), (f"— {n} —", 250.0, 300.0)])

    assert running_heads([page(1, "第一条 制定本规定。"), page(2, "（一）负责测绘。")]) == {"溪南县机构编制委员会文件"}
    assert running_heads([page(1, "第一条 制定本规定。")]) == set()

"""Hostile spreadsheets and documents: each is refused with a message naming the limit, in bounded time."""

import time

import pytest

from duty_analyzer.parse import parse_file
from duty_analyzer.parse.errors import ParseError
from duty_analyzer.parse.limits import Limits, LimitError, check_archive, merged_areas

from tests.parse import hostile


def refused(path) -> str:
    start = time.monotonic()
    with pytest.raises(LimitError) as info:
        parse_file(path)
    assert time.monotonic() - start < 30
    assert info.value.path == str(path)
    return info.value.message


def test_a_whole_column_merge_is_refused_before_it_is_expanded(tmp_path):
    message = refused(hostile.merged_column_xlsx(tmp_path / "清单.xlsx"))
    assert "合并单元格" in message and "B2:B1048576" in message and "MERGED_CELLS" in message


def test_ordinary_merged_cells_are_still_filled(tmp_path):
    path = hostile.xlsx(tmp_path / "清单.xlsx", hostile.list_rows(4))
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B2:B5")
    wb.save(path)
    parsed = parse_file(path)
    assert [i.department for i in parsed.list_items] == ["云溪市测试局"] * 4


def test_a_cell_at_the_far_corner_of_the_sheet_is_refused_quickly(tmp_path):
    message = refused(hostile.far_cell_xlsx(tmp_path / "工单.xlsx"))
    assert "16,384 列" in message and "COLUMNS" in message


def test_a_lying_dimension_is_not_trusted(tmp_path):
    path = hostile.xlsx(tmp_path / "工单.xlsx", [hostile.HOTLINE_HEADER, ["G1", "2026-01-02", "占道经营", "市城管局", "不属于本单位职责"]])
    hostile.rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>'))
    start = time.monotonic()
    parsed = parse_file(path)
    assert time.monotonic() - start < 10
    assert [r.request for r in parsed.hotline] == ["占道经营"]


@pytest.mark.parametrize("make", [hostile.docx_bomb, hostile.xlsx_bomb], ids=["docx", "xlsx"])
def test_zip_bombs_are_refused_from_the_zip_directory(tmp_path, make):
    path = make(tmp_path / ("炸弹.docx" if make is hostile.docx_bomb else "炸弹.xlsx"))
    assert path.stat().st_size < 2 * 1024 * 1024
    message = refused(path)
    assert "压缩比" in message and "压缩炸弹" in message


def test_archive_size_limits_are_settings(tmp_path, monkeypatch):
    path = hostile.xlsx(tmp_path / "小.xlsx", hostile.list_rows(50))
    check_archive(path, "xlsx")  # defaults: fine
    with pytest.raises(LimitError, match="超过上限"):
        check_archive(path, "xlsx", Limits(member_bytes=1000))
    monkeypatch.setenv("DUTY_ANALYZER_LIMIT_ARCHIVE_BYTES", "2000")
    with pytest.raises(LimitError, match="ARCHIVE_BYTES"):
        parse_file(path)


def test_a_huge_text_file_is_refused_without_reading_it(tmp_path):
    message = refused(hostile.sparse_text(tmp_path / "三定.txt"))
    assert "200.0 MB" in message and "拆分" in message


def test_a_cell_over_the_limit_names_the_row(tmp_path):
    message = refused(hostile.csv_with_cell(tmp_path / "工单.csv", 1_200_000))
    assert "第 2 行" in message and "CELL_CHARS" in message


def test_a_cell_over_csvs_own_128_kb_limit_is_read(tmp_path):
    parsed = parse_file(hostile.csv_with_cell(tmp_path / "工单.csv", 200_000))
    assert len(parsed.hotline) == 2 and len(parsed.hotline[0].request) >= 200_000


def test_a_cell_limit_applies_to_xlsx(tmp_path, monkeypatch):
    monkeypatch.setenv("DUTY_ANALYZER_LIMIT_CELL_CHARS", "100")
    path = hostile.xlsx(tmp_path / "工单.xlsx", [hostile.HOTLINE_HEADER, ["G1", "2026-01-02", "吵" * 500, "市城管局", "不属于"]])
    assert "第 2 行" in refused(path)


def test_a_sheet_broken_half_way_is_a_message(tmp_path):
    path = hostile.xlsx(tmp_path / "工单.xlsx", [hostile.HOTLINE_HEADER] + [["G1", "2026-01-02", "占道经营", "市城管局", "不属于"]] * 30)
    hostile.rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: x[: len(x) * 2 // 3])
    with pytest.raises(ParseError, match="损坏"):
        parse_file(path)


def test_merged_areas_reads_ranges_split_across_chunks():
    xml = b'<mergeCells><mergeCell ref="A1:B2"/><mergeCell ref="C3"/><mergeCell ref="A10:A19"/></mergeCells>'
    chunks = [xml[i:i + 7] for i in range(0, len(xml), 7)]
    assert merged_areas(chunks) == (4 + 1 + 10, "A10:A19")


def test_a_list_sheet_too_big_to_read_whole_is_refused(tmp_path, monkeypatch):
    path = hostile.xlsx(tmp_path / "清单.xlsx", hostile.list_rows(200))
    monkeypatch.setenv("DUTY_ANALYZER_LIMIT_WHOLE_SHEET_BYTES", "10000")
    message = refused(path)
    assert "整表读取" in message and "拆分" in message


def test_a_huge_pdf_is_refused_unread(tmp_path):
    path = hostile.sparse_text(tmp_path / "三定.pdf", size=300 * 1024 * 1024)
    with path.open("r+b") as fh:
        fh.write(b"%PDF-1.4\n")
    assert "300.0 MB" in refused(path)

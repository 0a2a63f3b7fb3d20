"""The staffing-export reader: title rows, two-row merged headers, departments carried to their units."""

import openpyxl

from duty_analyzer.parse import parse_file, sniff_kind


def _export(path, rows, title="某县机构编制使用情况表"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for r in rows:
        ws.append(r)
    return wb, ws


def test_two_row_header_with_merged_groups(tmp_path):
    group = ["单位名称", "机构层级", "编制类型", "核定编制", "实有人数", "副职领导职数", "副职领导职数", "借调出", "编外人员", "在编不在岗"]
    sub = [None, None, None, None, None, "核定", "实配", None, None, None]
    wb, ws = _export(tmp_path / "x.xlsx", [group, sub,
                                          ["某县林业局", "机关", "行政", 12, 11, 2, 3, "1人", 2, 0],
                                          ["资源保护股", "内设机构", "行政", None, 4, None, None, None, None, None],
                                          ["某县林业站", "事业单位", "事业", 8, 8, None, None, 0, 1, 0]])
    ws.merge_cells("F2:G2")
    for col in "ABCDEHIJ":
        ws.merge_cells(f"{col}2:{col}3")
    wb.save(tmp_path / "编制.xlsx")
    assert sniff_kind(tmp_path / "编制.xlsx") == "staffing"
    parsed = parse_file(tmp_path / "编制.xlsx")
    first, unit, institution = parsed.staffing_records
    assert (first.unit, first.staff_type, first.approved, first.actual) == ("某县林业局", "行政编制", 12, 11)
    assert first.leaders["副职"] == [2, 3]
    assert first.seconded_out == 1 and first.contract_staff == 2 and first.absent == 0
    assert (unit.department, unit.unit_level, unit.approved, unit.actual) == ("某县林业局", "内设机构", None, 4)
    assert institution.department == "某县林业局" and institution.staff_type == "事业编制"
    assert first.location.row == 4 and "副职领导职数核定" in first.columns


def test_gbk_csv_with_own_department_column_and_months(tmp_path, write):
    text = ("序号,部门名称,主管部门,编制类型,核定编制数,实有人数,空编时长\n"
            "1,某县档案馆,某县委办公室,事业,10,6,1年2个月\n"
            "合计,,,,10,6,\n")
    parsed = parse_file(write(tmp_path / "台账.csv", text, "gbk"))
    (record,) = parsed.staffing_records
    assert record.department == "某县委办公室" and record.vacant_months == 14


def test_rows_without_figures_are_reported_not_dropped(tmp_path, write):
    parsed = parse_file(write(tmp_path / "台账.csv", "单位名称,核定编制数,实有人数\n某县水务局,,\n某县商务局,9,9\n"))
    assert [r.unit for r in parsed.staffing_records] == ["某县商务局"]
    assert parsed.unrecognized and "核定编制或实有人数" in parsed.unrecognized[0].reason

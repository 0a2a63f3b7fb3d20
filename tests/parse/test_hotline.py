"""12345 dispute exports: aliases, bounce chains, dates, empty and duplicated ids."""

import pytest

from duty_analyzer.parse import parse_file
from duty_analyzer.parse.hotline import bounces, normalize_time


def test_bounce_chain_pairs_units_with_reasons():
    chain = bounces("市城管局；住建局", "不属于我局职责，建议转住建部门；停车场建设不归我局")
    assert [(b.unit, b.reason) for b in chain] == [
        ("市城管局", "不属于我局职责，建议转住建部门"),
        ("住建局", "停车场建设不归我局"),
    ]
    assert bounces("", "") == []


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2026-03-15 09:12:33", "2026-03-15 09:12:33"),
        ("2026/3/15 9:12", "2026-03-15 09:12:00"),
        ("2026年3月15日", "2026-03-15 00:00:00"),
        ("昨天下午", "昨天下午"),
    ],
)
def test_normalize_time(raw, iso):
    assert normalize_time(raw) == iso


def test_csv_with_header_aliases_keeps_extra_columns_and_warns(tmp_path, write):
    text = (
        "工单号,来电时间,来电内容,派发单位,退回单位,退回原因,办理单位,所属区域\n"
        "A1,2026/5/1 8:00,小区门口停车场乱收费,市城管局,市城管局,不属于我局,市发展改革委,云城区\n"
        ",2026/5/2 8:00,农贸市场占道,市场监管局,,,市城管局,溪口区\n"
        "A1,2026/5/3 8:00,重复编号,商务局,,,商务局,青山区\n"
    )
    parsed = parse_file(write(tmp_path / "export.csv", text, "gbk"))
    assert parsed.kind == "hotline"
    first = parsed.hotline[0]
    assert (first.record_id, first.time, first.first_unit, first.final_unit) == (
        "A1", "2026-05-01 08:00:00", "市城管局", "市发展改革委",
    )
    assert first.bounces[0].reason == "不属于我局"
    assert first.extra == {"所属区域": "云城区"}
    assert len(parsed.hotline) == 3
    assert any("为空" in n for n in parsed.notes) and any("重复" in n for n in parsed.notes)


def test_xlsx_export_streams_with_title_row(tmp_path):
    import openpyxl

    path = tmp_path / "工单导出.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年3月 12345 退单争议工单导出"])
    ws.append(["工单编号", "受理时间", "诉求内容", "首派单位", "退单单位", "退单原因"])
    ws.append(["YX1", "2026年3月1日", "渣土车撒漏", "市城管局", "市城管局；市交通运输局", "应由交通部门处理；不属于我局"])
    wb.save(path)
    (record,) = parse_file(path).hotline
    assert record.time == "2026-03-01 00:00:00"
    assert [b.unit for b in record.bounces] == ["市城管局", "市交通运输局"]
    assert record.location.row == 3

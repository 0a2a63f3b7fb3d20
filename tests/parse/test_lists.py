"""权责清单 / 责任清单: aliases, header below a title, merged cells, GBK."""

import openpyxl

from duty_analyzer.parse import parse_file


def test_xlsx_title_row_and_merged_cells(tmp_path):
    path = tmp_path / "某局权责清单.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["云溪市城市管理局权责清单"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "事项名称", "子项名称", "职权类型", "承办机构"])
    ws.append([1, "户外广告设施设置审批", "新设", "行政许可", "市容景观科"])
    ws.append([None, None, "延续", None, "市容景观科"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("D3:D4")
    ws.append([2, "对占道经营的处罚", None, "行政处罚", "执法支队"])
    wb.save(path)
    parsed = parse_file(path)
    assert parsed.kind == "list"
    assert [(i.matter, i.sub_item, i.power_type) for i in parsed.list_items] == [
        ("户外广告设施设置审批", "新设", "行政许可"),
        ("户外广告设施设置审批", "延续", "行政许可"),
        ("对占道经营的处罚", "", "行政处罚"),
    ]
    assert parsed.list_items[0].department == "云溪市城市管理局"
    assert parsed.list_items[1].location.row == 4
    assert parsed.list_items[0].columns["承办机构"] == "市容景观科"


def test_gbk_csv_with_aliases_and_blank_fill_down(tmp_path, write):
    text = (
        "编号,职权名称,权力类型,设定依据,责任事项内容,责任处室\n"
        "1,食品经营许可,行政许可,《食品安全法》第三十五条,受理、审查、决定,食品经营科\n"
        ",,,,送达、事后监管,食品经营科\n"
    )
    parsed = parse_file(write(tmp_path / "市场监管局责任清单.csv", text, "gbk"))
    items = parsed.list_items
    assert [i.matter for i in items] == ["食品经营许可", "食品经营许可"]
    assert items[1].responsibility == "送达、事后监管"
    assert items[0].basis == "《食品安全法》第三十五条" and items[0].handling_unit == "食品经营科"
    assert items[0].department == "市场监管局"
    assert set(items[0].columns) == {"编号", "职权名称", "权力类型", "设定依据", "责任事项内容", "责任处室"}


def test_gb18030_csv_with_title_line_quoted_commas_and_line_breaks(tmp_path):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["溪南县测绘局责任清单（2024年版）"])
    writer.writerow(["序号", "事项名称", "职权类型", "设定依据", "责任事项"])
    for i in range(3):
        writer.writerow([i + 1, f"对擅自移动测量标志{i}的处罚", "行政处罚", "《测量标志保护条例》第二条;第三条, 第五条",
                         "1.立案责任:发现线索,\r\n依法立案;\r\n2.调查责任:调查取证;询问当事人。"])
    path = tmp_path / "责任清单.csv"
    path.write_bytes(buf.getvalue().encode("gb18030"))
    parsed = parse_file(path)
    assert parsed.kind == "list" and len(parsed.list_items) == 3
    item = parsed.list_items[0]
    assert item.department == "溪南县测绘局"
    assert item.basis == "《测量标志保护条例》第二条;第三条, 第五条"
    assert "\n依法立案" in item.responsibility


def test_national_list_title_names_its_ministry(tmp_path, write):
    path = write(tmp_path / "清单.csv", "测绘保障部权责清单\n事项名称,职权类型,设定依据\n测绘资质审批,行政许可,《测绘法》\n")
    assert parse_file(path).list_items[0].department == "测绘保障部"

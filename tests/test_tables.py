import csv

import openpyxl
import pytest

from duty_analyzer.parse.errors import ParseError
from duty_analyzer.tables import read_rows, row_writer


def test_read_rows_finds_the_named_column_below_a_title(tmp_path, write):
    path = write(tmp_path / "in.csv", "2026年问题清单\n编号,问题描述\n1,停车难\n2,渣土乱倒\n", "gbk")
    table = read_rows(path, "问题描述")
    assert table.header == ["编号", "问题描述"]
    assert [r[1] for r in table.rows] == ["停车难", "渣土乱倒"]


def test_missing_column_is_named(tmp_path, write):
    path = write(tmp_path / "in.csv", "编号,内容\n1,停车难\n")
    with pytest.raises(ParseError, match="问题描述"):
        read_rows(path, "问题描述")


def test_writers_neutralise_formulas(tmp_path):
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        with row_writer(out, ["a", "b"]) as w:
            w.write(["=cmd|' /C calc'!A0", "正常"])
        if suffix == ".csv":
            rows = list(csv.reader(out.open(encoding="utf-8-sig")))
        else:
            rows = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows()]
        assert rows[1][0].startswith("'=") and rows[1][1] == "正常"


def test_failed_write_leaves_earlier_output(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("earlier", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with row_writer(out, ["a"]) as w:
            w.write(["x"])
            raise RuntimeError("killed")
    assert out.read_text(encoding="utf-8") == "earlier"

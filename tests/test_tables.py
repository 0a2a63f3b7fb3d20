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


def test_rendered_batches_write_the_same_file_as_rows(tmp_path):
    # Hotline workers format their batches with the writer's renderer; the file must not change for it.
    rows = [["=1+1", "含,逗号", "两\n行", 3, None], ["@SUM(A1)", "引号\"在内", "", 0.25, "正常"]]
    header = ["a", "b", "c", "d", "e"]
    for suffix in (".csv", ".jsonl"):
        one, batch = tmp_path / f"rows{suffix}", tmp_path / f"batch{suffix}"
        with row_writer(one, header) as w:
            for row in rows:
                w.write(row)
        with row_writer(batch, header) as w:
            w.write_text(w.renderer()(rows))
        assert batch.read_bytes() == one.read_bytes()


def test_xlsx_has_no_renderer(tmp_path):
    with row_writer(tmp_path / "out.xlsx", ["a"]) as w:
        assert w.renderer() is None
        w.write_many([["x"]])

"""`analyze` output folders as a user sends them on: no personal data in any file unless --no-mask, which says so."""

import shutil
import sqlite3
import zipfile

import pytest

from duty_analyzer.pipeline import analyze
from duty_analyzer.privacy import NOTICE_FILE, UNMASKED_NOTICE

from tests.conftest import SAMPLE

SECRETS = ["邵家明", "13707551234", "0591-87654321", "350102198506150018", "闽A·7K2Q9", "ljq2024@example.com",
           "wx_shao1985", "南湖苑6栋2单元1103室", "岭头村3组", "甘秋菊", "15980112233", "barbara_li99"]
KEPT = ["GD202405060011", "〔2023〕15号", "地铁2号线", "3800元"]

HOTLINE = (
    "工单编号,受理时间,诉求人,联系电话,诉求内容,首派单位,退单单位,退单理由,最终承办单位\n"
    "GD202405060011,2024-05-06 09:12:00,邵家明,137 0755 1234,"
    "来电人邵家明反映地铁2号线施工围挡占了人行道，按〔2023〕15号文件应当留出通道。他住南湖苑6栋2单元1103室，"
    "座机0591-87654321，身份证350102198506150018，车牌闽A·7K2Q9，邮箱ljq2024@example.com，微信wx_shao1985。,"
    "市城管局,市城管局,不属于我局职责,市住建局\n"
    "GD202405070022,2024-05-07 10:00:00,匿名,,"
    "匿名来电：岭头村3组村民在河道边办的培训班收了3800元不退，市民都很气愤。,市教育局,市教育局,不属于我局职责,市市场监管局\n"
)
NOTES = (
    "某局访谈记录\n"
    "访谈对象：市城管局市容科科长 甘秋菊（手机：15980112233，微信barbara_li99）\n"
    "问：科里的主要问题是什么？\n"
    "答：我是甘秋菊，户外广告审批和内容监管衔接不畅，两个部门互相推诿。\n"
    "答：科里核定编制5名，实际在岗只有3人，长期借调现象突出。\n"
)


def _text_of(path):
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    if path.suffix == ".sqlite":
        conn = sqlite3.connect(path)
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        text = "\n".join(str(v) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"') for v in row)
        conn.close()
        return text
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_bytes().decode("utf-8-sig", "replace")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    for path in list((SAMPLE / "sanding").glob("*.txt"))[:3]:
        shutil.copy(path, root)
    (root / "工单.csv").write_text(HOTLINE, encoding="utf-8")
    (root / "访谈记录.txt").write_text(NOTES, encoding="utf-8")
    return root


def test_nothing_personal_leaves_in_any_output_file(docs, tmp_path):
    out, workspace = tmp_path / "out", tmp_path / "out.workspace.sqlite"
    result = analyze([docs], out, workspace=workspace)
    files = [p for p in out.rglob("*") if p.is_file()] + [workspace]
    assert {p.name for p in files} >= {"parsed.json", "hotline_records.csv", "problems.csv", "findings.xlsx", "report.html"}
    everything = {p.name: _text_of(p) for p in files}
    for name, text in everything.items():
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, f"{name}: {leaked}"
    records = everything["hotline_records.csv"]
    for kept in KEPT:
        assert kept in records
    assert "匿名来电" in records and "市民都很气愤" in records  # 匿名 in the name column is not a name
    assert not (out / NOTICE_FILE).exists() and UNMASKED_NOTICE not in result.notes


def test_no_mask_writes_raw_text_and_says_so(docs, tmp_path):
    out = tmp_path / "out"
    result = analyze([docs], out, workspace=tmp_path / "ws.sqlite", mask=False)
    assert UNMASKED_NOTICE in result.notes
    assert [p.name for p in result.outputs].count(NOTICE_FILE) == 1
    assert UNMASKED_NOTICE in (out / NOTICE_FILE).read_text(encoding="utf-8")
    assert "邵家明" in (out / "parsed.json").read_text(encoding="utf-8")
    analyze([docs], out, workspace=tmp_path / "ws.sqlite")  # a masked re-run takes the notice away with the raw text
    assert not (out / NOTICE_FILE).exists()


class _UnusedForOverlaps:
    """A semantic backend that would change any overlap it were asked about (its meaning says: all alike)."""

    name = "fake-backend"

    def encode(self, texts):
        import numpy as np

        return np.ones((len(texts), 4), dtype=np.float32)


def test_overlaps_are_decided_lexically_whatever_the_backend_and_the_notes_say_so(tmp_path):
    import json

    root = tmp_path / "docs"
    root.mkdir()
    for path in list((SAMPLE / "sanding").glob("*.txt"))[:4]:
        shutil.copy(path, root)
    plain = analyze([root], tmp_path / "a", workspace=tmp_path / "a.sqlite")
    with_backend = analyze([root], tmp_path / "b", workspace=tmp_path / "b.sqlite", encoder=_UnusedForOverlaps())
    found = [json.loads((tmp_path / d / "overlaps.json").read_text(encoding="utf-8"))["overlaps"] for d in "ab"]
    assert found[0] and [o["id"] for o in found[0]] == [o["id"] for o in found[1]]
    assert any("词面" in n and "fake-backend" in n for n in with_backend.notes)
    assert not any("fake-backend" in n for n in plain.notes)

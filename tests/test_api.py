"""The public API as a notebook uses it: str paths, dataclasses, DataFrames, masked by default."""

import warnings
from pathlib import Path

import pytest

import duty_analyzer as da

from tests.conftest import ROOT, SAMPLE


def test_parse_folder_accepts_str_and_masks_hotline_requests(tmp_path):
    export = tmp_path / "工单.csv"
    export.write_text("工单编号,受理时间,诉求内容,首派单位,退单单位,退单理由,最终承办单位\n"
                      "A1,2026-01-02 09:00,来电人反映路灯不亮，电话13912345678,城管局,城管局,不属于,住建局\n", encoding="utf-8")
    docs = da.parse_folder(str(tmp_path))
    frame = docs.to_frame("hotline")
    assert frame.loc[0, "工单编号"] == "A1"
    assert "13912345678" not in frame.loc[0, "诉求内容"]
    with pytest.warns(UserWarning, match="未遮盖"):
        raw = da.parse_folder(tmp_path, mask=False)
    assert "13912345678" in raw.to_frame("hotline").loc[0, "诉求内容"]


def test_overlaps_classify_and_hotline_frames(sample_corpus):
    docs = da.Documents(sample_corpus)
    overlaps = da.find_overlaps(docs)
    frame = overlaps.to_frame()
    assert len(frame) == len(overlaps.overlaps) > 0 and {"编号", "事项", "涉及部门"} <= set(frame.columns)
    assert set(overlaps.evidence_frame()["编号"]) == set(frame["编号"])
    cats = da.classify_texts(["两个部门都说不归自己管，投诉一直没人处理，电话13912345678。"])
    row = cats.to_frame().iloc[0]
    assert row["问题类别"] and "13912345678" not in row["文本"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # masked by default: no warning
        hot = da.analyze_hotline(str(SAMPLE / "hotline"), docs)
    assert len(hot.to_frame()) == len(sample_corpus.hotline)
    assert len(hot.hotspots_frame()) == len(hot.hotspots) > 0


def test_analyze_accepts_str_paths(tmp_path):
    result = da.analyze(str(SAMPLE / "sanding"), str(tmp_path / "out"))
    assert (tmp_path / "out" / "findings.xlsx").is_file() and result.summary.ledger


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        da.no_such_thing  # noqa: B018


def test_notebook_example_runs_offline():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    path = ROOT / "docs" / "example.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert "findings;" in "".join(o.get("text", "") for o in outputs)

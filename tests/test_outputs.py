"""One run's outputs are replaced as a set; a kill at any point leaves the previous or the new set, and
the workspace never shows a finding as 持续 that the user has not seen."""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from duty_analyzer.ledger import read_ledger
from duty_analyzer.outputs import MARKER, OutputError, output_lock, read_marker, recover, staged_outputs, swap

from tests.conftest import ROOT, SAMPLE

FIRST = ["交通运输局", "公安局", "商务局"]
LATER = ["文广旅局", "水利局", "应急管理局", "发展改革委"]


def outputs_complete(out: Path) -> str:
    """The token of the complete set in OUT (every listed file present, no half-written file)."""
    marker = read_marker(out)
    assert marker, f"{out} has no complete output set"
    for name in marker["outputs"]:
        assert (out / name).is_file(), name
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    return marker["token"]


def presence(out: Path) -> dict[str, str]:
    return {r["编号"]: r["变化"] for r in read_ledger(out / "findings.xlsx")}


def run(base: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("DUTY_ANALYZER_KILL_AT", None)
    if kill_at:
        env["DUTY_ANALYZER_KILL_AT"] = kill_at
    return subprocess.run([sys.executable, "-m", "duty_analyzer", "analyze", "docs", "--out", "out"],
                          cwd=base, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def after_first_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("first")
    (base / "docs").mkdir()
    for name in FIRST:
        shutil.copy(SAMPLE / "sanding" / f"{name}三定规定.txt", base / "docs")
    assert run(base).returncode == 0
    (base / "out" / "我的备注.txt").write_text("用户自己的文件", encoding="utf-8")
    for name in LATER:
        shutil.copy(SAMPLE / "sanding" / f"{name}三定规定.txt", base / "docs")
    return base


# Representative points (all 7 hooks pass; each point costs two analyze runs): while staging, after the
# workspace commit but before the swap, between the two renames, after the new set is in.
@pytest.mark.parametrize("point", ["staged-ledger", "committed", "swap-aside", "swap-in"])
def test_a_kill_at_any_point_leaves_one_complete_set_and_new_findings_stay_new(after_first_run, tmp_path, point):
    base = tmp_path / "b"
    shutil.copytree(after_first_run, base)
    first_token = outputs_complete(base / "out")
    first = presence(base / "out")

    killed = run(base, kill_at=point)
    assert killed.returncode == -9, killed.stderr
    out = base / "out"
    if not out.exists():  # killed between the two renames: the previous set sits aside until the next start
        (aside,) = base.glob("out.old-*")
        assert outputs_complete(aside) == first_token
    else:
        token = outputs_complete(out)
        assert token == first_token or point in ("swap-in", "swap-carried")
    shown_new = out.exists() and read_marker(out)["token"] != first_token

    again = run(base)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    outputs_complete(out)
    assert (out / "我的备注.txt").read_text(encoding="utf-8") == "用户自己的文件"
    assert not list(base.glob("out.staging-*")) and not list(base.glob("out.old-*"))
    now = presence(out)
    added = {fid for fid in now if fid not in first}
    assert added, "the later files should bring new findings"
    expected = "持续" if shown_new else "新增"
    assert {now[fid] for fid in added} == {expected}
    assert all(now[fid] in ("持续", "已消失") for fid in first)


def make_set(folder: Path, token: str, names=("findings.xlsx", "report.html")) -> Path:
    folder.mkdir(parents=True)
    for n in names:
        (folder / n).write_text(token, encoding="utf-8")
    (folder / MARKER).write_text(json.dumps({"token": token, "outputs": list(names)}), encoding="utf-8")
    return folder


def test_recover_puts_the_old_set_back_when_out_is_missing(tmp_path):
    make_set(tmp_path / "out.old-123", "A")
    make_set(tmp_path / "out.staging-123", "B")
    recover(tmp_path / "out")
    assert read_marker(tmp_path / "out")["token"] == "A"
    assert not list(tmp_path.glob("out.*-*"))


def test_recover_removes_stale_temporaries_but_not_the_users_files(tmp_path):
    out = make_set(tmp_path / "out", "A")
    (out / "findings.xlsx.tmp").write_text("half", encoding="utf-8")
    (out / "parsed.json.1234.tmp").write_text("half", encoding="utf-8")
    (out / "草稿.tmp").write_text("mine", encoding="utf-8")
    recover(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "findings.xlsx", "report.html", "草稿.tmp"])


def test_swap_carries_the_users_files_and_drops_outputs_no_longer_written(tmp_path):
    out = make_set(tmp_path / "out", "A", names=("findings.xlsx", "problems.csv"))
    (out / "说明.docx").write_text("mine", encoding="utf-8")
    stage = make_set(tmp_path / "out.staging-1", "B", names=("findings.xlsx",))
    swap(out, stage)
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "findings.xlsx", "说明.docx"])
    assert (out / "findings.xlsx").read_text(encoding="utf-8") == "B"


def test_a_failed_run_leaves_the_previous_set(tmp_path):
    out = make_set(tmp_path / "out", "A")
    with pytest.raises(RuntimeError):
        with staged_outputs(out) as stage:
            (stage.dir / "findings.xlsx").write_text("half", encoding="utf-8")
            raise RuntimeError("boom")
    assert (out / "findings.xlsx").read_text(encoding="utf-8") == "A"
    assert not list(tmp_path.glob("out.staging-*"))


def test_a_second_run_on_the_same_output_waits_then_gets_a_message(tmp_path):
    out = tmp_path / "out"
    entered = threading.Event()
    release = threading.Event()

    def first():
        with output_lock(out):
            entered.set()
            release.wait(10)

    t = threading.Thread(target=first)
    t.start()
    entered.wait(5)
    try:
        # flock is per open file: a second open in this process contends like another process would
        with pytest.raises(OutputError, match="另一次 analyze"):
            with output_lock(out, wait=0.5):
                pass
    finally:
        release.set()
        t.join()
    with output_lock(out, wait=0.5):
        pass


def test_an_empty_input_folder_is_a_message_and_earlier_results_stay(tmp_path):
    from typer.testing import CliRunner

    from duty_analyzer.cli import app

    out = make_set(tmp_path / "out", "A")
    (tmp_path / "空文件夹").mkdir()
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "空文件夹"), "--out", str(out)])
    assert result.exit_code == 1
    assert "没有找到可分析的文件" in result.output and "Traceback" not in result.output
    assert read_marker(out)["token"] == "A" and (out / "findings.xlsx").read_text(encoding="utf-8") == "A"

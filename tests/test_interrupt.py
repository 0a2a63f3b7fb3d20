"""Ctrl-C as a terminal sends it (SIGINT to the whole process group, worker pools included): one Chinese
line, exit 130, no traceback from the main process or a worker, no half-written output left behind."""

import csv
import os
import signal
import subprocess
import sys
import time

import pytest

from duty_analyzer.cli_framework import INTERRUPTED

from tests.conftest import ROOT, SAMPLE


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_ctrl_c_during_hotline_stops_cleanly(tmp_path):
    export = tmp_path / "工单.csv"
    with export.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "受理时间", "诉求内容", "首派单位", "退单单位", "退单理由", "最终承办单位"])
        for i in range(80000):  # enough that a fast run is still busy a second after its output opens
            w.writerow([f"T{i}", "2026-03-01 09:00", f"小区门口第{i}号摊位占道经营，油烟很大，多次反映无人处理", "城管局", "城管局", "不属于", "市场监管局"])
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "duty_analyzer", "hotline", str(export), "--sanding", str(SAMPLE / "sanding"), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True, text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not list(out.glob("hotline_records*.tmp")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)  # workers are busy now
        assert process.poll() is None, "finished before it could be interrupted"
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert INTERRUPTED in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not list(out.glob("*.tmp")) and not (out / "hotline_records.csv").exists()

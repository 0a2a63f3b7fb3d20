"""report.html: one offline file whose charts a browser draws."""

import re
import shutil
import subprocess

import pytest

from tests.test_ledger import run  # noqa: F401  (shared analyze run)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_is_self_contained(run):  # noqa: F811
    _, _, out, _ = run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)
    assert page.count("<svg class=\"chart\"") == 5
    assert "职责交叉矩阵" in page and "13975260418" not in page


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (CI installs it: .ci/run)")
def test_headless_chromium_draws_every_chart(run, tmp_path):  # noqa: F811
    _, _, out, _ = run
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path}", "--virtual-time-budget=3000",
         "--dump-dom", (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout
    assert 'data-charts-drawn="5/5"' in dom

"""Staffing screening on the sample city's export against its truth: planted cases found, anything else flagged.

    .venv/bin/python bench/staffing_quality.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from duty_analyzer.parse import parse_paths  # noqa: E402
from duty_analyzer.staffing import load_scorecard, screen  # noqa: E402


def main() -> None:
    sample = ROOT / "corpora" / "sample"
    cases = json.loads((sample / "truth.json").read_text(encoding="utf-8"))["staffing"]["cases"]
    start = time.perf_counter()
    corpus = parse_paths([sample / "sanding", sample / "staffing"])
    issues = screen(corpus, load_scorecard().rules)
    seconds = time.perf_counter() - start
    found = {(i.rule, i.department, i.category) for i in issues}
    planted = {(c["rule"], c["department"], c["category"]) for c in cases}
    print(f"records read: {len(corpus.staffing_records)}; parse + screen {seconds:.1f} s")
    print(f"planted cases found with the right category: {len(planted & found)} / {len(planted)}")
    print(f"flagged but not planted: {len(found - planted)}")
    for rule, dept, cat in sorted(found - planted):
        print(f"  extra: {rule} {dept} {cat}")
    for rule, dept, cat in sorted(planted - found):
        print(f"  missed: {rule} {dept} {cat}")


if __name__ == "__main__":
    main()

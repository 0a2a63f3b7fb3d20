"""Experiment (not shipped): would e5-small alone pick the finding a hotline record belongs to?

    PYTHONPATH=src .venv/bin/python bench/semantic_link_experiment.py [corpus ...]   # needs the `semantic` extra

For each corpus of bench/hotline_quality.py: every cross-department finding's evidence clauses and every record's
request are embedded; a finding's score for a record is its best clause cosine. Printed: topic records whose
top finding covers their topic, and the top finding's z (its cosine against the record's other findings:
minus the median, over the standard deviation) at the 10th/50th/90th percentile for records whose top finding
is right, wrong, or that have no topic (unrelated). docs/benchmarks.md, session 33.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import hotline_quality as hq  # noqa: E402

from duty_analyzer.embed import get_encoder  # noqa: E402
from duty_analyzer.names import DepartmentIndex  # noqa: E402
from duty_analyzer.overlaps import find_overlaps  # noqa: E402
from duty_analyzer.parse import parse_paths  # noqa: E402


def main() -> None:
    enc = get_encoder("e5-small")
    print("| corpus | topic records, top finding right | z of the top finding: right / wrong / unrelated (p10, p50, p90) |")
    print("|---|---|---|")
    for name, (paths, truth) in hq.corpora(sys.argv[1:] or None).items():
        corpus = parse_paths(paths)
        cross = [f for f in find_overlaps(corpus).overlaps if f.kind == "cross"]
        index = DepartmentIndex([d.name for d in corpus.departments])
        topics_of = [hq.covered_topics(f, truth.items, index) for f in cross]
        owner = np.array([k for k, f in enumerate(cross) for _ in f.evidence])
        clauses = enc.encode([e.text[:200] for f in cross for e in f.evidence])
        records = [r for r in corpus.hotline if (str(r.location.row) if truth.by_row else r.record_id) in truth.topic]
        sims = enc.encode([r.request for r in records]) @ clauses.T
        per = np.stack([sims[:, owner == k].max(axis=1) for k in range(len(cross))], axis=1)
        counts, z = Counter(), defaultdict(list)
        for row, r in zip(per, records):
            topic = truth.topic[str(r.location.row) if truth.by_row else r.record_id]
            k = int(row.argmax())
            kind = "unrelated" if topic is None else ("right" if topic in topics_of[k] else "wrong")
            counts["topic"] += topic is not None
            counts["right"] += kind == "right"
            z[kind].append((row[k] - np.median(row)) / max(row.std(), 1e-6))
        spread = " / ".join(str(np.round(np.percentile(z[k], [10, 50, 90]), 2).tolist()) if z[k] else "–"
                            for k in ("right", "wrong", "unrelated"))
        print(f"| {name} | {hq.pct(counts['right'], counts['topic'])} | {spread} |", flush=True)


if __name__ == "__main__":
    main()

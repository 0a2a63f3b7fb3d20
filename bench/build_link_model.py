"""Rebuild src/duty_analyzer/data/hotline_link_model.json (which overlap finding a hotline record belongs to).

    PYTHONPATH=src .venv/bin/python bench/build_link_model.py

Trains links.LinkModel on every candidate of every record of the tuning corpora (the sample city and
../shared/eval-corpora/{luming,wangchuan}, labelled by their hotline truth), with its regularisation and
threshold chosen leave-one-corpus-out among them (bench/hotline_quality.fit_links: C by log-loss, the
threshold as the middle of the smoothed utility's plateau — links.choose_link_settings), and stores the
leave-one-corpus-out figures in the model's metadata. The held-out fixture sets are never trained on.
The records are analysed with no link model at all, so the features do not depend on a previous model.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import hotline_quality as hq  # noqa: E402

from duty_analyzer.hotline import HotlineConfig  # noqa: E402
from duty_analyzer.hotline.links import LINK_MODEL_FILE, LOSS_TOLERANCE, THRESHOLD_WINDOW  # noqa: E402


def main() -> None:
    out = ROOT / "src" / "duty_analyzer" / LINK_MODEL_FILE
    out.unlink(missing_ok=True)  # analysed with no link model (and a stale one may not even load); rewritten below
    links = {}
    for name, (paths, truth) in hq.corpora(list(hq.LINK_TUNE)).items():
        links[name] = []
        hq.score_corpus(name, paths, truth, HotlineConfig(), [], links[name])
    loco = {}
    for held in links:
        m = hq.fit_links(links, [n for n in links if n != held])
        r, w, t, s, u = hq.link_counts(links[held], m, m.threshold)
        loco[held] = f"right {r}/{t}, wrong {w}/{t}, unrelated linked {s}/{u} (C {m.C}, threshold {m.threshold})"
        print(held, loco[held])
    model = hq.fit_links(links, list(links))
    meta = {"what": "hotline record → overlap finding: logistic regression over readable candidate features",
            "trained_on": " + ".join(links), "records": str(sum(len(v) for v in links.values())),
            "threshold_meaning": "probability that the candidate finding is the record's topic; chosen leave-one-corpus-out",
            "choice": f"C: the most regularised whose leave-one-corpus-out log-loss is within {LOSS_TOLERANCE:.0%} of "
                      f"the best; threshold: middle of the plateau of that C's utility averaged over ±{THRESHOLD_WINDOW} "
                      "grid point(s)",
            "loco_log_loss": {str(c): round(v, 5) for c, v in model.meta["log_loss"].items()},
            "loco_utility_at_C": [round(u, 4) for u in model.meta["utility"][model.C]],
            "loco": loco, "built": datetime.date.today().isoformat(), "script": "bench/build_link_model.py"}
    out.write_text(model.to_json(meta), encoding="utf-8")
    print(f"C {model.C}, threshold {model.threshold} → {out}")


if __name__ == "__main__":
    main()

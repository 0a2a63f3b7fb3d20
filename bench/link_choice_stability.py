"""How stable the link model's (C, threshold) choice is: the same choice on a repeated fit, and under small
perturbations of the tuning corpora (one corpus at a time loses a random 10 % of its records).

    PYTHONPATH=src .venv/bin/python bench/link_choice_stability.py [--seeds 10]

Prints, for the rule in use (links.choose_link_settings, via hotline_quality.fit_links) and for the plain argmax
of summed utility it replaced (first grid point wins ties), how often each (C, threshold) was chosen.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import hotline_quality as hq  # noqa: E402

from duty_analyzer.hotline import HotlineConfig  # noqa: E402


def argmax_choice(utility: dict[float, list[float]]) -> tuple[float, float]:
    """The rule before session 29: the grid point of highest summed utility, the first one on ties."""
    best = None
    for C in hq.LINK_C:
        for t, u in zip(hq.THRESHOLDS, utility[C]):
            if best is None or u > best[0] + 1e-9:
                best = (u, C, t)
    return best[1], best[2]


def dropped(links: dict[str, list], name: str, seed: int, share: float = 0.1) -> dict[str, list]:
    rnd = random.Random(seed)
    return {**links, name: [r for r in links[name] if rnd.random() >= share]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    links = {}
    for name, (paths, truth) in hq.corpora(list(hq.LINK_TUNE)).items():
        links[name] = []
        hq.score_corpus(name, paths, truth, HotlineConfig(), [], links[name])
    names = list(links)
    first, again = hq.fit_links(links, names), hq.fit_links(links, names)
    print(f"all tuning corpora: C {first.C}, threshold {first.threshold}; fitted again: C {again.C}, "
          f"threshold {again.threshold}; argmax rule: {argmax_choice(first.meta['utility'])}")
    ours, argmax = Counter(), Counter()
    for name in names:
        for seed in range(args.seeds):
            m = hq.fit_links(dropped(links, name, seed), names)
            ours[m.C, m.threshold] += 1
            argmax[argmax_choice(m.meta["utility"])] += 1
    n = len(names) * args.seeds
    for label, got in (("choose_link_settings", ours), ("argmax of utility", argmax)):
        print(f"{label} over {n} perturbed fits: " + ", ".join(f"C {c} / {t:.2f} × {k}" for (c, t), k in got.most_common()))


if __name__ == "__main__":
    main()

"""Train the pair model on the development corpora, validated leave-one-corpus-out; ship it.

    python -m duty_analyzer.compare.train --twins [--out models/overlaps] [--shared ../shared] [--dry-run]

(the shipped model is trained with --twins: laid-out files read from their clean sanding-src/ twins, so that
labels do not depend on the parser's current handling of web/PDF layouts)

Candidate pairs come from the engine's own neighbour search; a pair is positive when both clauses lie in
items of one planted overlap (different departments; for internal, different units), negative otherwise
(look-alikes included); cross and internal pairs each get their model (`decide.PairModel`) and threshold.
Every corpus is left out in turn: the models and thresholds are chosen on the others and the
engine, with that model, is scored on the one left out (`evaluate.score`); the shipped model is then
fitted on all of them, and metadata.json records both figures."""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..segment import default_segmenter
from .decide import PairModel, default_model_dir
from .engine import Government, OverlapConfig, candidate_pairs, decide_all
from .evaluate import DevCorpus, Truth, dev_corpora, item_of, read_truth, score
from .pairs import CROSS, FEATURE_NAMES, Candidate

ROOT = Path(__file__).resolve().parents[3]
# Probability a pair must reach to be shown: chosen from THRESHOLDS leave-one-corpus-out (`choose_thresholds`),
# low on purpose — the output is a review list ranked by probability, so a planted overlap must appear somewhere
# even when its pair is weak; what share of the kept pairs were planted, on each corpus left out, is recorded in
# metadata.json (loco.*.kept_planted_share). THRESHOLD is the fallback when fewer than two corpora can train.
THRESHOLD = 0.2
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3)
# Internal findings are listed after every cross one and no hotline record is linked to them, so a longer tail of
# them crowds nothing: their grid reaches lower, and ties go to the lower threshold (see `choose_thresholds`).
INTERNAL_THRESHOLDS = (0.05, *THRESHOLDS)


@dataclass
class Prepared:
    corpus_name: str
    corpus: object
    truth: Truth
    govs: list[Government]
    X: np.ndarray
    y: np.ndarray
    digest: str


def label(c: Candidate, truth: Truth) -> int:
    groups = truth.overlaps if c.kind == CROSS else truth.internal
    for g in groups:
        ia = item_of(c.a.text, c.a.department, g.items)
        ib = item_of(c.b.text, c.b.department, g.items)
        if not ia or not ib:
            continue
        if c.kind == CROSS or any(x.unit != y.unit for x in ia for y in ib):
            return 1
    return 0


def prepare(dev: DevCorpus, config: OverlapConfig) -> Prepared:
    from ..parse import parse_paths

    corpus = parse_paths(dev.paths)
    truth = read_truth(dev.truth, dev.name)
    govs = candidate_pairs(corpus, config, default_segmenter())
    cands = [c for g in govs for c in g.candidates]
    X = np.array([c.x for c in cands]) if cands else np.zeros((0, len(FEATURE_NAMES)))
    y = np.array([label(c, truth) for c in cands], dtype=int)
    h = hashlib.sha256()
    for p in sorted(dev.paths):
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file():
                h.update(f.name.encode() + f.read_bytes())
    h.update(dev.truth.read_bytes())
    return Prepared(dev.name, corpus, truth, govs, X, y, h.hexdigest()[:16])


def fit(parts: list[Prepared], threshold: float, C: float = 1.0, internal_threshold: float | None = None) -> PairModel:
    X = np.vstack([p.X for p in parts])
    y = np.concatenate([p.y for p in parts])
    return PairModel(threshold=threshold, internal_threshold=internal_threshold).fit(X, y, C)


def evaluate(model: PairModel, part: Prepared, config: OverlapConfig) -> dict:
    report = decide_all(part.govs, part.corpus, model, replace(config, min_score=None), default_segmenter())
    s = asdict(score(report, part.truth))
    if len(part.y) and part.y.sum():
        from sklearn.metrics import brier_score_loss, roc_auc_score

        p = model.predict_proba(part.X)
        s["pair_auc"] = round(float(roc_auc_score(part.y, p)), 3) if 0 < part.y.sum() < len(part.y) else None
        s["pair_brier"] = round(float(brier_score_loss(part.y, p)), 4)
        s["pairs"], s["positives"] = int(len(part.y)), int(part.y.sum())
        kept = model.kept(part.X)
        # What the threshold means on a corpus the model did not see: the share of kept pairs that are planted.
        s["kept_pairs"], s["kept_planted_share"] = int(kept.sum()), round(float(part.y[kept].mean()), 3) if kept.any() else None
    return s


def utility(s: dict) -> int:
    """What a reviewer gains on a corpus left out from the cross-department findings: planted overlaps in the
    first 20 and anywhere, less look-alikes in the first 20."""
    return s["in_top"] + s["anywhere"] - s["lookalikes_top"]


def internal_utility(s: dict) -> int:
    """From the internal findings: the planted internal overlaps found."""
    return s["internal_found"]


def choose_thresholds(parts: list[Prepared], config: OverlapConfig) -> tuple[float, float]:
    """(cross, internal) thresholds, each with the best summed utility when each of `parts` is left out in turn
    (the others train). Ties go to the lower threshold: findings are listed by probability, so a lower cut only
    appends pairs after the ones a higher cut keeps (look-alikes it brings into the first 20 already cost
    utility), while a new place's pairs score lower than the development corpora's and every planted overlap
    must be somewhere in the output. On the development corpora the utility is flat over a plateau (0.1–0.2
    in session 29); taking its low end keeps the choice from jumping to the high end on a one-pair change."""
    trainable = [p for p in parts if p.y.sum()]
    if len(trainable) < 2:
        return THRESHOLD, THRESHOLD
    grid = sorted(set(THRESHOLDS) | set(INTERNAL_THRESHOLDS))
    cross, internal = dict.fromkeys(grid, 0), dict.fromkeys(grid, 0)
    for p in trainable:
        model = fit([q for q in trainable if q is not p], THRESHOLD)
        for t in grid:
            # the two kinds are decided and grouped apart: one run scores both at t
            s = evaluate(replace(model, threshold=t, internal_threshold=t), p, config)
            cross[t] += utility(s)
            internal[t] += internal_utility(s)
    return (max(THRESHOLDS, key=lambda t: (cross[t], -t)), max(INTERNAL_THRESHOLDS, key=lambda t: (internal[t], -t)))


def loco(parts: list[Prepared], config: OverlapConfig, threshold: float | None = None) -> dict[str, dict]:
    """Each corpus scored by a model fitted on the others; with no `threshold`, the threshold too is chosen on
    those others alone (nested), so the figure is what a new place would get."""
    out = {}
    for i, held in enumerate(parts):
        others = [p for j, p in enumerate(parts) if j != i and p.y.sum()]
        t, ti = choose_thresholds(others, config) if threshold is None else (threshold, threshold)
        out[held.corpus_name] = evaluate(fit(others, t, internal_threshold=ti), held, config) | {"threshold": t, "internal_threshold": ti}
    return out


def versions() -> dict:
    import scipy
    import sklearn

    from .. import __version__

    return {"duty_analyzer": __version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__,
            "scipy": scipy.__version__}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=default_model_dir())
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--twins", action="store_true", help="train on the clean twins of laid-out files")
    ap.add_argument("--threshold", type=float, default=None, help="fixed threshold (default: chosen LOCO)")
    ap.add_argument("--dry-run", action="store_true", help="print the LOCO table, ship nothing")
    args = ap.parse_args(argv)
    config = OverlapConfig()
    parts = [prepare(d, config) for d in dev_corpora(ROOT, args.shared, args.twins)]
    for p in parts:
        print(f"{p.corpus_name}: {len(p.y)} candidate pairs, {int(p.y.sum())} positive")
    held = loco(parts, config, args.threshold)
    threshold, internal_threshold = choose_thresholds(parts, config) if args.threshold is None else (args.threshold,) * 2
    model = fit(parts, threshold, internal_threshold=internal_threshold)
    trained = {p.corpus_name: evaluate(model, p, config) for p in parts}
    print("\nleft out (trained on the others) | trained on all")
    for name in held:
        a, b = held[name], trained[name]
        print(f"{name:<10} t {a['threshold']}/{a['internal_threshold']} top20 {a['in_top']}/{a['planted']} any {a['anywhere']} look {a['lookalikes_top']} "
              f"settled {a['settled_right']}/{a['settled_of']} internal {a['internal_found']}/{a['internal_of']} "
              f"prec {a['precision_top']} auc {a.get('pair_auc')} missed {a['missed']} | top20 {b['in_top']}/{b['planted']} "
              f"any {b['anywhere']} look {b['lookalikes_top']} internal {b['internal_found']}/{b['internal_of']}")
    print(f"\nthresholds chosen on all: cross {threshold}, internal {internal_threshold}")
    print("weights (standardised):", {n: round(w, 2) for n, w in model.weights.items()})
    print("internal weights:", {n: round(w, 2) for n, w in model.internal_weights.items()})
    if args.dry_run:
        return
    model.save(args.out, {
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "threshold_meaning": "a pair is shown when the model gives it at least this probability of being an overlap "
                             "a reviewer would confirm (pairs from the development corpora; see loco); internal_threshold "
                             "is the same for pairs of two units of one department, which their own model scores",
        "training_corpora": {p.corpus_name: {"hash": p.digest, "pairs": int(len(p.y)), "positives": int(p.y.sum())} for p in parts},
        "twins": args.twins,
        "candidate_search": {"min_score": config.candidate_min_score, "top_k": config.top_k},
        "loco": held,
        "trained_on_all": trained,
        "weights": {n: round(w, 4) for n, w in model.weights.items()},
        "internal_weights": {n: round(w, 4) for n, w in model.internal_weights.items()} if model.internal_scorer else None,
        "versions": versions(),
        "command": "python -m duty_analyzer.compare.train" + (" --twins" if args.twins else "")
                   + (f" --threshold {args.threshold}" if args.threshold is not None else ""),
    })
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()

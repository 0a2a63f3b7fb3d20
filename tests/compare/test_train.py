"""How the trainer picks the two thresholds leave-one-corpus-out (the figures themselves are in docs/benchmarks.md)."""

from types import SimpleNamespace

import numpy as np

from duty_analyzer.compare import train


def _parts(n: int) -> list:
    return [SimpleNamespace(corpus_name=f"c{k}", y=np.array([0, 1])) for k in range(n)]


def _scores(cross_at, internal_at):
    """A stand-in for `train.evaluate`: the figures a corpus left out would get at the model's thresholds."""
    def evaluate(model, part, config):
        return {"in_top": cross_at(model.threshold), "anywhere": 0, "lookalikes_top": 0,
                "internal_found": internal_at(model.internal_threshold)}
    return evaluate


def test_cross_ties_go_to_the_higher_threshold_and_internal_ties_to_the_lower(monkeypatch):
    monkeypatch.setattr(train, "fit", lambda parts, threshold, C=1.0, internal_threshold=None: train.PairModel(threshold=threshold))
    monkeypatch.setattr(train, "evaluate", _scores(lambda t: 5, lambda t: 4))
    cross, internal = train.choose_thresholds(_parts(3), None)
    assert cross == max(train.THRESHOLDS) and internal == min(train.INTERNAL_THRESHOLDS)


def test_each_threshold_follows_its_own_figures(monkeypatch):
    monkeypatch.setattr(train, "fit", lambda parts, threshold, C=1.0, internal_threshold=None: train.PairModel(threshold=threshold))
    monkeypatch.setattr(train, "evaluate", _scores(lambda t: 6 if t == 0.15 else 5, lambda t: 4 if 0.1 <= t <= 0.15 else 3))
    assert train.choose_thresholds(_parts(3), None) == (0.15, 0.1)


def test_too_few_corpora_to_leave_one_out_fall_back_to_the_default():
    assert train.choose_thresholds(_parts(1), None) == (train.THRESHOLD, train.THRESHOLD)

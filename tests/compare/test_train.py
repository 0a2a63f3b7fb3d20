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


def test_ties_go_to_the_lower_threshold_so_a_new_places_lower_scores_still_show(monkeypatch):
    monkeypatch.setattr(train, "fit", lambda parts, threshold, C=1.0, internal_threshold=None: train.PairModel(threshold=threshold))
    monkeypatch.setattr(train, "evaluate", _scores(lambda t: 5, lambda t: 4))
    cross, internal = train.choose_thresholds(_parts(3), None)
    assert cross == min(train.THRESHOLDS) and internal == min(train.INTERNAL_THRESHOLDS)


def test_a_plateau_is_entered_at_its_low_end_not_the_grid_minimum(monkeypatch):
    monkeypatch.setattr(train, "fit", lambda parts, threshold, C=1.0, internal_threshold=None: train.PairModel(threshold=threshold))
    monkeypatch.setattr(train, "evaluate", _scores(lambda t: 6 if 0.15 <= t <= 0.25 else 5, lambda t: 4))
    assert train.choose_thresholds(_parts(3), None)[0] == 0.15


def test_each_threshold_follows_its_own_figures(monkeypatch):
    monkeypatch.setattr(train, "fit", lambda parts, threshold, C=1.0, internal_threshold=None: train.PairModel(threshold=threshold))
    monkeypatch.setattr(train, "evaluate", _scores(lambda t: 6 if t == 0.15 else 5, lambda t: 4 if 0.1 <= t <= 0.15 else 3))
    assert train.choose_thresholds(_parts(3), None) == (0.15, 0.1)


def test_too_few_corpora_to_leave_one_out_fall_back_to_the_default():
    assert train.choose_thresholds(_parts(1), None) == (train.THRESHOLD, train.THRESHOLD)

"""The shipped pair model: loads only with its exact allow-list, says what carried a decision, refuses a stale file."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from duty_analyzer.compare import decide
from duty_analyzer.compare.pairs import FEATURE_NAMES


def test_shipped_model_loads_with_metadata_that_records_how_it_was_made():
    model = decide.load(decide.default_model_dir())
    meta = model.metadata
    assert 0 < model.threshold < 1 and meta["threshold_meaning"]
    assert meta["features"] == list(FEATURE_NAMES)
    assert {"sample", "luming", "wangchuan"} <= set(meta["training_corpora"]) <= set(meta["loco"])
    assert all(v["hash"] for v in meta["training_corpora"].values())
    assert "scikit-learn" in meta["versions"]


def test_a_model_file_holding_objects_is_refused_without_running_them(tmp_path):
    # An object array is a pickle: np.load must refuse it rather than build what it names.
    directory = tmp_path / "m"
    shutil.copytree(decide.default_model_dir(), directory)
    n = len(FEATURE_NAMES)
    np.savez(directory / decide.MODEL_FILE, mean=np.array([print] * n, dtype=object), scale=np.ones(n),
             coef=np.ones(n), intercept=np.zeros(1))
    with pytest.raises(decide.PairModelError, match="不是可读的"):
        decide.load(directory)


def test_a_model_file_of_the_wrong_shape_is_refused(tmp_path):
    directory = tmp_path / "m"
    shutil.copytree(decide.default_model_dir(), directory)
    n = len(FEATURE_NAMES)
    np.savez(directory / decide.MODEL_FILE, mean=np.zeros(n - 1), scale=np.ones(n), coef=np.ones(n), intercept=np.zeros(1))
    with pytest.raises(decide.PairModelError, match="形状"):
        decide.load(directory)


def test_loading_the_shipped_model_imports_neither_scikit_learn_nor_skops():
    code = ("import sys; from duty_analyzer.compare import decide; m = decide.load_default(); "
            "print(m.predict_proba(__import__('numpy').zeros((1, len(m.scorer.coef))))[0]); "
            "print(sorted(k for k in ('sklearn', 'skops') if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert 0 < float(out[0]) < 1 and out[1] == "[]"


def test_a_saved_model_predicts_as_the_fitted_pipeline(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.random((80, len(FEATURE_NAMES)))
    y = (X[:, 0] + 0.3 * rng.random(80) > 0.6).astype(int)
    fitted = decide.PairModel(threshold=0.3).fit(X, y)
    fitted.save(tmp_path / "m", {"note": "test"})
    loaded = decide.load(tmp_path / "m")
    reference = decide.build_estimator().fit(X, y).predict_proba(X)[:, 1]
    assert np.allclose(loaded.predict_proba(X), reference) and loaded.threshold == 0.3


def test_a_model_trained_on_other_features_is_refused(tmp_path):
    directory = tmp_path / "m"
    shutil.copytree(decide.default_model_dir(), directory)
    meta = json.loads((directory / decide.METADATA_FILE).read_text(encoding="utf-8"))
    meta["features"] = meta["features"][:-1]
    (directory / decide.METADATA_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(decide.PairModelError, match="重新训练"):
        decide.load(directory)


def test_explanation_names_only_features_present_in_the_pair():
    model = decide.load_default()
    x = np.zeros(len(FEATURE_NAMES))
    x[FEATURE_NAMES.index("lexical")] = 0.9
    x[FEATURE_NAMES.index("own_scope")] = 1.0
    text = model.explain(x, 5)
    assert "本系统" in text and "词典" not in text
    assert model.predict_proba(x[None])[0] < model.predict_proba(np.where(np.arange(len(x)) == FEATURE_NAMES.index("own_scope"), 0, x)[None])[0]


def test_features_that_push_equally_are_explained_in_one_fixed_order():
    # Two features with the same weight and value tie; `why` must not depend on the sort's whim.
    rng = np.random.default_rng(0)
    X = rng.random((60, len(FEATURE_NAMES)))
    X[:, 0] = X[:, 1] = (np.arange(60) % 2).astype(float)
    y = (np.arange(60) % 2).astype(int)
    model = decide.PairModel(threshold=0.5).fit(X, y)
    row = X[1]
    names = [n for n, _ in model.contributions(row)]
    assert names == [n for n, _ in model.contributions(row.copy())]
    first, second = FEATURE_NAMES[0], FEATURE_NAMES[1]
    assert names.index(first) < names.index(second)


def _two_kinds(rng, n=120):
    """Cross rows where feature 0 marks an overlap; internal rows where feature 1 does and feature 0 misleads."""
    X = rng.random((n, len(FEATURE_NAMES)))
    inside = np.arange(n) % 3 == 0
    X[:, decide.INTERNAL_COLUMN] = inside.astype(float)
    y = np.where(inside, X[:, 1] > 0.5, X[:, 0] > 0.5).astype(int)
    X[inside, 0] = 1 - X[inside, 1]
    return X, y, inside


def test_internal_pairs_are_decided_by_their_own_weights_and_survive_saving(tmp_path):
    X, y, inside = _two_kinds(np.random.default_rng(2))
    model = decide.PairModel(threshold=0.5).fit(X, y)
    assert model.internal_scorer is not None
    p = model.predict_proba(X)
    assert ((p[inside] >= 0.5) == y[inside]).mean() > 0.9 and ((p[~inside] >= 0.5) == y[~inside]).mean() > 0.9
    # one model over both kinds cannot serve rows whose evidence points opposite ways
    single = decide.build_estimator().fit(X, y).predict_proba(X)[:, 1]
    assert ((single[inside] >= 0.5) == y[inside]).mean() < 0.8
    model.save(tmp_path / "m", {"note": "test"})
    loaded = decide.load(tmp_path / "m")
    assert np.allclose(loaded.predict_proba(X), p)
    row = X[np.flatnonzero(inside)[0]]
    assert loaded.contributions(row)[0][0] in (FEATURE_NAMES[0], FEATURE_NAMES[1])
    assert dict(loaded.contributions(row)) != dict(loaded.contributions(np.where(np.arange(len(row)) == decide.INTERNAL_COLUMN, 0.0, row)))


def test_without_internal_pairs_of_both_kinds_one_model_serves_every_row(tmp_path):
    X, y, inside = _two_kinds(np.random.default_rng(3))
    y = np.where(inside, 0, y)  # no internal positive to learn from
    model = decide.PairModel(threshold=0.5).fit(X, y)
    assert model.internal_scorer is None
    model.save(tmp_path / "m", {"note": "test"})
    loaded = decide.load(tmp_path / "m")
    assert loaded.internal_scorer is None
    assert np.allclose(loaded.predict_proba(X), decide.build_estimator().fit(X, y).predict_proba(X)[:, 1])


def test_the_shipped_model_has_internal_weights_of_its_own():
    model = decide.load_default()
    assert model.internal_scorer is not None
    assert model.metadata["internal_weights"] and model.metadata["internal_weights"] != model.metadata["weights"]


def test_each_kind_of_pair_is_kept_at_its_own_threshold(tmp_path):
    X, y, inside = _two_kinds(np.random.default_rng(4))
    model = decide.PairModel(threshold=0.6, internal_threshold=0.2).fit(X, y)
    p = model.predict_proba(X)
    assert np.array_equal(model.kept(X), np.where(inside, p >= 0.2, p >= 0.6))
    model.save(tmp_path / "m", {"note": "test"})
    loaded = decide.load(tmp_path / "m")
    assert (loaded.threshold_for("cross"), loaded.threshold_for("internal")) == (0.6, 0.2)
    assert decide.PairModel(threshold=0.6).threshold_for("internal") == 0.6

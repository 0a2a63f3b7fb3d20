"""The shipped pair model: loads only with its exact allow-list, says what carried a decision, refuses a stale file."""

import json
import shutil

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


def test_a_model_file_holding_other_types_is_refused(tmp_path):
    import skops.io as sio
    from collections import OrderedDict

    directory = tmp_path / "m"
    shutil.copytree(decide.default_model_dir(), directory)
    sio.dump({"x": OrderedDict(a=1)}, directory / decide.MODEL_FILE)
    with pytest.raises(decide.PairModelError, match="不允许的类型"):
        decide.load(directory)


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

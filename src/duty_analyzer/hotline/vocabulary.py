"""Learning `ranking.Vocabulary` from real messages: how informative a citizen's word is, and which
administrative words answer it.

Input is pairs of (citizen's message, the government's reply): the reply is written by the department that
handled the matter, in its own vocabulary, so a word that appears in replies to messages containing a citizen's
word far more often than in replies overall is that word's administrative counterpart (交警 for 红绿灯, 违法建设
for 违建). Pure counting, no labels; the script that builds the shipped table is bench/build_hotline_terms.py.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from .ranking import Tokenizer, Vocabulary


def build(pairs: Iterable[tuple[str, str]], tokenizer: Tokenizer, messages: Iterable[str] = (),
          min_pairs: int = 3, min_gain: float = 0.1, keep: int = 6, max_reply_share: float = 0.15,
          prior: int = 5, min_df: int = 3) -> Vocabulary:
    """`pairs`: (message, reply); `messages`: more citizens' texts for the informativeness counts only.

    message_idf(t) = log(N / df) / log(N) over every message; related(a) = the reply terms b with
    gain = (P(b | a in message) − P(b)) / (1 − P(b)) ≥ min_gain, seen together in ≥ min_pairs pairs, best `keep`.
    P(b | a) is shrunk by `prior` pseudo-pairs without b (a word seen in three messages proves little); reply
    words in more than `max_reply_share` of all replies (您好, 收悉, 调查核实) are the replies' boilerplate.
    """
    df: Counter = Counter()
    n_msg = 0
    n_a: Counter = Counter()
    n_b: Counter = Counter()
    n_ab: Counter = Counter()
    n_pairs = 0
    for message, reply in pairs:
        m, r = set(tokenizer(message)), set(tokenizer(reply))
        n_msg += 1
        n_pairs += 1
        df.update(m)
        n_a.update(m)
        n_b.update(r)
        for a in m:
            for b in r:
                if b != a:
                    n_ab[a, b] += 1
    for message in messages:
        n_msg += 1
        df.update(set(tokenizer(message)))
    vocab = Vocabulary()
    log_n = math.log(max(n_msg, 2))
    for t, c in df.items():
        if c >= min_df:
            vocab.message_idf[t] = round(math.log(n_msg / c) / log_n, 3)
    best: dict[str, list[tuple[float, str]]] = {}
    for (a, b), c in n_ab.items():
        if c < min_pairs or a in b or b in a:
            continue
        p_b = n_b[b] / n_pairs
        if p_b > max_reply_share:
            continue
        gain = (c / (n_a[a] + prior) - p_b) / (1 - p_b)
        if gain >= min_gain:
            best.setdefault(a, []).append((gain, b))
    for a, lst in best.items():
        lst.sort(reverse=True)
        vocab.related[a] = [(b, round(g, 3)) for g, b in lst[:keep]]
        vocab.message_idf.setdefault(a, 1.0)
    vocab.meta.update({"pairs": str(n_pairs), "messages": str(n_msg), "min_pairs": str(min_pairs),
                       "min_gain": str(min_gain), "keep": str(keep),
                       "max_reply_share": str(max_reply_share), "prior": str(prior), "min_df": str(min_df)})
    return vocab

"""Rebuild src/duty_analyzer/data/hotline_terms.tsv (the hotline ranking's citizen vocabulary) from 泰迪杯 2020 C.

    PYTHONPATH=src .venv/bin/python bench/build_hotline_terms.py [DATA_DIR] [--out PATH]

Pairs: 附件4's messages with the government's replies (quoted citizen text blanked), EXCEPT every message whose
reply names a unit that bench/taidi_replies.routing_set can map to a department (DEPARTMENT_OF_TYPE): those are
the routing evaluation set, so the table never sees an evaluation message or its answer. Informativeness is
counted over the same 2,476 messages: also counting 附件2's 9,210 tokenised messages (those that look like an
evaluation message left out) lowered the tuning sets' sum, 11.113 → 11.090 (docs/benchmarks.md, session 32).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from taidi_replies import DEPARTMENT_OF_TYPE, clean, clean_reply, extract_unit, unit_type  # noqa: E402

from duty_analyzer.hotline.ranking import Tokenizer  # noqa: E402
from duty_analyzer.hotline.vocabulary import build  # noqa: E402
from duty_analyzer.segment import default_segmenter  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data" / "taidi2020c"))
    ap.add_argument("--out", default=str(ROOT / "src" / "duty_analyzer" / "data" / "hotline_terms.tsv"))
    args = ap.parse_args()
    data = Path(args.data)
    df = pd.read_excel(data / "fujian4_2816_replies.xlsx")
    pairs, held = [], 0
    for title, detail, reply in zip(df["留言主题"], df["留言详情"], df["答复意见"]):
        found = extract_unit(reply)
        if found and unit_type(found[0]) in DEPARTMENT_OF_TYPE:
            held += 1
            continue
        pairs.append((clean(title) + " " + clean(detail), clean_reply(reply)))
    tok = Tokenizer(frozenset(default_segmenter().lexicon.stop))
    vocab = build(pairs, tok)
    vocab.meta = {"what": "hotline ranking vocabulary: message informativeness and message→reply term associations",
                  "source": "2020 泰迪杯 C 附件4 (messages + replies)",
                  "held_out": f"{held} messages whose reply unit maps to a department (the routing evaluation set)",
                  "built": datetime.date.today().isoformat(), "script": "bench/build_hotline_terms.py", **vocab.meta}
    Path(args.out).write_text(vocab.to_tsv(), encoding="utf-8")
    print(f"{len(pairs)} pairs ({held} held out), {len(vocab.message_idf)} terms, {len(vocab.related)} with associations → {args.out}")
    for t in ("红绿灯", "违建", "交警", "护照", "网签", "拆迁", "噪音", "油烟"):
        print(t, vocab.message_idf.get(t), vocab.related.get(t, [])[:6])


if __name__ == "__main__":
    main()

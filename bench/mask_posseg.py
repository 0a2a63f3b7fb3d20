"""Would jieba's part-of-speech person tag (posseg `nr`) help find names? Precision and recall on the eval corpora.

    PYTHONPATH=src .venv/bin/python bench/mask_posseg.py

Every `nr` token in the 诉求内容 of ../shared/eval-corpora/{luming,wangchuan}/hotline.csv counts as right when it
is part of (or contains) a planted value of that record (hotline_truth.csv `pii`), else as a false name; recall
is over the planted names that are not a bare surname with 先生/女士. The same recall for privacy.names_in.
Speed of posseg: bench/mask_speed.py.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import jieba
import jieba.posseg as pseg

from duty_analyzer.privacy import mask_numbers, names_in

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").exists() else Path("/work/shared")


def main() -> None:
    jieba.setLogLevel(logging.ERROR)
    right = wrong = planted = hit_nr = hit_rules = 0
    false = []
    for corpus in ("luming", "wangchuan"):
        folder = SHARED / "eval-corpora" / corpus
        rows = {r["工单编号"]: r for r in csv.DictReader((folder / "hotline.csv").open(encoding="utf-8-sig"))}
        for t in csv.DictReader((folder / "hotline_truth.csv").open(encoding="utf-8-sig")):
            pii = [p for p in t["pii"].split("|") if p]
            text = rows[t["工单编号"]]["诉求内容"]
            nr = [w.word for w in pseg.cut(text) if w.flag == "nr"]
            for w in nr:
                if any(w in p or p in w for p in pii):
                    right += 1
                else:
                    wrong += 1
                    false.append(w)
            names = [p for p in pii if 2 <= len(p) <= 4 and not p.endswith(("先生", "女士"))
                     and not any(c.isdigit() or c.isascii() for c in p) and not any(k in p for k in "路村组栋号")]
            found = names_in(mask_numbers(text))
            planted += len(names)
            hit_nr += sum(1 for p in names if any(w in p or p in w for w in nr))
            hit_rules += sum(1 for p in names if p in found)
    print(f"jieba posseg nr: {right + wrong} tokens, precision {right / (right + wrong):.2f}, planted names found {hit_nr}/{planted}")
    print(f"privacy.names_in (rules): planted names found {hit_rules}/{planted}")
    print("nr tokens that are no planted value:", "、".join(false))


if __name__ == "__main__":
    main()

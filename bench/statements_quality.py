"""Problem sentences out of interview notes by other authors, scored against each corpus's truth.

    .venv/bin/python bench/statements_quality.py [--model models/problems] [--backend e5-small] [--json]

Runs the library's `extract_problems` (what `duty-analyzer extract` runs) on the notes of every corpus with
truth and prints, per corpus: problem sentences found, category right, non-problem sentences kept as
problems. A truth sentence and an extracted sentence are the same sentence when one contains the other or
when 80 % of the shorter one's character bigrams occur in the other (the notes' own sentence splitting
may differ from the truth author's by a clause).

Corpora: ../shared/eval-corpora/{luming,wangchuan} (notes/ + notes_truth.csv with 非问题 rows) and the
sample city (corpora/sample notes; corpora/sample-src/truth/notes.json lists its problem sentences; every
other sentence the tool splits out of the sample's notes is a non-problem).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").exists() else Path("/work/shared")
NON_PROBLEM = "非问题"


@dataclass
class Truth:
    name: str
    notes: Path
    rows: list[tuple[str, str]]  # (sentence, category or 非问题)
    others_are_non_problems: bool = False  # the sample lists only its problems


def corpora() -> list[Truth]:
    out = []
    for name in ("luming", "wangchuan"):
        base = SHARED / "eval-corpora" / name
        if (base / "notes_truth.csv").exists():
            rows = [(r["sentence"], r["category"]) for r in csv.DictReader((base / "notes_truth.csv").open(encoding="utf-8"))]
            out.append(Truth(name, base / "notes", rows))
    sample = json.loads((ROOT / "corpora" / "sample-src" / "truth" / "notes.json").read_text(encoding="utf-8"))
    out.append(Truth("sample", ROOT / "corpora" / "sample" / "notes",
                     [(s["sentence"], s["category"]) for s in sample["statements"]], others_are_non_problems=True))
    return out


def bigrams(s: str) -> set[str]:
    s = "".join(ch for ch in s if not ch.isspace() and ch not in "，。、；：！？,.;:!?“”\"'（）()")
    return {s[i:i + 2] for i in range(len(s) - 1)}


def same_sentence(a: str, b: str, coverage: float = 0.8) -> bool:
    if a in b or b in a:
        return True
    x, y = bigrams(a), bigrams(b)
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    return bool(small) and len(small & large) / len(small) >= coverage


@dataclass
class Result:
    name: str
    problems: int = 0
    found: int = 0
    right: int = 0
    non_problems: int = 0
    kept: int = 0
    kept_flagged: int = 0  # kept non-problems marked 需复核
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        pct = lambda a, b: f"{a}/{b} ({a / b:.0%})" if b else "—"  # noqa: E731
        return (f"| {self.name} | {pct(self.found, self.problems)} | {pct(self.right, self.problems)} | "
                f"{pct(self.kept, self.non_problems)} | {self.kept_flagged}/{self.kept} |")


def evaluate(truth: Truth, clf) -> Result:
    from duty_analyzer.extract import extract_problems, sentences
    from duty_analyzer.parse.registry import parse_paths

    corpus = parse_paths([truth.notes], kind="interview")
    problems = extract_problems(corpus.statements, clf)
    res = Result(truth.name)
    rows = list(truth.rows)
    if truth.others_are_non_problems:
        split = [s for st in corpus.statements for s in sentences(st.text)]
        rows += [(s, NON_PROBLEM) for s in split if not any(same_sentence(s, t) for t, _ in truth.rows)]
    for sentence, category in rows:
        hits = [p for p in problems if same_sentence(sentence, p.text)]
        if category == NON_PROBLEM:
            res.non_problems += 1
            if hits:
                res.kept += 1
                res.kept_flagged += hits[0].prediction.needs_review
                res.errors.append(f"kept   {hits[0].prediction.label} {hits[0].prediction.confidence:.2f}｜{sentence}")
            continue
        res.problems += 1
        if hits:
            res.found += 1
            if any(p.prediction.label == category for p in hits):
                res.right += 1
            else:
                p = hits[0].prediction
                res.errors.append(f"wrong  {category} → {p.label} {p.confidence:.2f}｜{sentence}")
        else:
            res.errors.append(f"missed {category}｜{sentence}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, help="model directory (default: the shipped model for --backend)")
    ap.add_argument("--backend", default="tfidf")
    ap.add_argument("--errors", action="store_true", help="print every miss, wrong category and kept non-problem")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from duty_analyzer.classify import Classifier, load_default

    clf = Classifier.load(args.model) if args.model else load_default(args.backend)
    results = [evaluate(t, clf) for t in corpora()]
    if args.json:
        json.dump([r.__dict__ for r in results], sys.stdout, ensure_ascii=False, indent=1)
        return
    print(f"model: {args.model or 'shipped ' + args.backend} ({clf.metadata.n_samples} training statements, {clf.metadata.trained_at})\n")
    print("| notes | problem sentences found | category right | non-problem sentences kept | kept ones flagged 需复核 |\n|---|---|---|---|---|")
    for r in results:
        print(r.line())
    total = Result("all", *(sum(getattr(r, k) for r in results) for k in ("problems", "found", "right", "non_problems", "kept", "kept_flagged")))
    print(total.line())
    if args.errors:
        for r in results:
            print(f"\n{r.name}:")
            print("\n".join(r.errors))


if __name__ == "__main__":
    main()

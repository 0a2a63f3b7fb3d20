"""Why topic records are not linked right, and why unrelated records are linked, leave-one-corpus-out.

    PYTHONPATH=src .venv/bin/python bench/link_misses.py [--show heldout2 wangchuan] [--only ...]

Every corpus of bench/hotline_quality.py is analysed once; each is then scored with the link model fitted on the
other tuning corpora (hotline_quality.fit_links, as its "Links, leave-one-corpus-out" table), and each miss gets one
cause: no finding covers the topic; the right finding is not among the link options (with its rank by best
evidence clause); it is the most probable option but under the threshold (split by whether the option shares a
term with the request or its reasons); another option is more probable; a wrong finding is linked. Unrelated
records linked are split the same way. `--show`: the records themselves, with their options' probabilities
and features.
`--bands`: for records whose most probable option shares no term with the request or its reasons, how many are
right, on another topic, or unrelated, by that option's probability — whether any threshold of their own could
separate them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import hotline_quality as hq  # noqa: E402

from duty_analyzer.hotline import HotlineConfig, analyze_records  # noqa: E402
from duty_analyzer.hotline.links import FindingIndex  # noqa: E402
from duty_analyzer.hotline.ranking import Ranker, Tokenizer, Vocabulary, clauses_of  # noqa: E402
from duty_analyzer.names import DepartmentIndex  # noqa: E402
from duty_analyzer.overlaps import find_overlaps  # noqa: E402
from duty_analyzer.parse import parse_paths  # noqa: E402
from duty_analyzer.segment import default_segmenter  # noqa: E402

BANDS = (0.05, 0.1, 0.15, 0.25, 0.35, 1.01)
SHOWN = ("request_objects", "request_words", "reason_terms", "clause", "clause_best", "clause_margin",
         "bounced_share", "chain_share", "final_in", "final_outside", "object_part", "nothing_shared")


def analysed(name: str, paths: list[Path], truth: hq.Truth) -> dict:
    corpus = parse_paths(paths)
    overlaps = find_overlaps(corpus)
    index = DepartmentIndex([d.name for d in corpus.departments])
    cross = [f for f in overlaps.overlaps if f.kind == "cross"]
    topics_of = {f.id: hq.covered_topics(f, truth.items, index) for f in cross}
    results = list(analyze_records(corpus.hotline, corpus, overlaps, HotlineConfig()))
    ranker = Ranker(clauses_of(corpus), Tokenizer(frozenset(default_segmenter().lexicon.stop)), Vocabulary.shipped())
    evidence = ["；".join(b.reason for b in r.record.bounces if b.reason) for r in results]
    _, scores = ranker.rank_with_clauses([r.record.request for r in results], evidence)
    best = FindingIndex(cross, clauses_of(corpus)).best_clauses(scores)
    records = []
    for i, r in enumerate(results):
        rid = str(r.record.location.row) if truth.by_row else r.record.record_id
        if rid not in truth.topic:
            continue
        order = np.argsort(-best[i], kind="stable").tolist()
        records.append(dict(rid=rid, topic=truth.topic[rid], result=r,
                            options=[(o.finding.id, dict(o.features)) for o in r.link_options],
                            rank={cross[k].id: pos + 1 for pos, k in enumerate(order)}))
    return dict(records=records, topics_of=topics_of, findings={f.id: f for f in cross})


def cause(topic, options, p, chosen, right) -> str:
    top = options[int(np.argmax(p))] if options else None
    how = "" if top is None else (", nothing shared" if top[1]["nothing_shared"] else ", shares a term")
    if topic is None:
        return f"unrelated linked{how}" if chosen else ""
    if chosen in right:
        return ""
    if not right:
        return "no finding covers the topic"
    if not any(fid in right for fid, _ in options):
        return "right finding not an option"
    if chosen is not None:
        return "wrong finding linked"
    return f"right option first, under threshold{how}" if top[0] in right else "right option not first, none linked"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--show", nargs="*", default=[])
    ap.add_argument("--bands", action="store_true")
    args = ap.parse_args()
    data = {name: analysed(name, paths, truth) for name, (paths, truth) in hq.corpora(args.only).items()}
    links = {n: [(r["topic"], r["options"], d["topics_of"]) for r in d["records"]] for n, d in data.items()}
    for held, d in data.items():
        others = [n for n in hq.LINK_TUNE if n in links and n != held]
        if not others:
            continue
        model = hq.fit_links(links, others)
        causes: Counter = Counter()
        bands: Counter = Counter()
        for r in d["records"]:
            options = r["options"]
            p = model.predict_proba([f for _, f in options]) if options else np.zeros(0)
            k = int(np.argmax(p)) if options else None
            chosen = options[k][0] if options and p[k] >= model.threshold else None
            right = {fid for fid, topics in d["topics_of"].items() if r["topic"] and r["topic"] in topics}
            why = cause(r["topic"], options, p, chosen, right)
            if options and options[k][1]["nothing_shared"]:
                kind = "unrelated" if r["topic"] is None else ("right" if options[k][0] in right else "other topic")
                bands[next(b for b in BANDS if p[k] < b), kind] += 1
            if not why:
                continue
            causes[why] += 1
            if held not in args.show:
                continue
            res = r["result"]
            print(f"\n--- {held} {r['rid']} [{why}] truth: {r['topic']}")
            print("  request:", res.record.request)
            print("  reasons:", " | ".join(b.reason for b in res.record.bounces))
            print("  chain:", " → ".join(res.chain))
            for fid in sorted(right):
                print(f"  right: {d['findings'][fid].topic} (clause rank {r['rank'][fid]} of {len(r['rank'])})")
            for j in np.argsort(-p, kind="stable")[:5].tolist():
                fid, f = options[j]
                feats = " ".join(f"{x}={f[x]:.2f}" for x in SHOWN if f.get(x))
                print(f"   {'*' if fid in right else ' '} {p[j]:.3f} {d['findings'][fid].topic} | {feats}")
        print(f"{held} (C {model.C}, threshold {model.threshold:.2f}): "
              + "; ".join(f"{c} {n}" for c, n in sorted(causes.items())), flush=True)
        if args.bands:
            print(f"  nothing shared, by the top option's probability (below): "
                  + "; ".join(f"<{b:g}: " + "/".join(str(bands[b, k]) for k in ("right", "other topic", "unrelated"))
                              for b in BANDS) + "  (right/other topic/unrelated)")


if __name__ == "__main__":
    main()

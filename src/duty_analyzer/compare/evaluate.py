"""Scoring overlap findings against planted truth, by the team's rule (../shared/eval-corpora/README.md).

A finding covers a truth item when the character bigrams of one of its evidence texts (same department)
cover at least 60 % of the item's bigrams; an overlap is found when a finding covers items of two or
more of its departments; a look-alike counts against the run when a top-20 finding covers both its items.
Texts are compared with all whitespace removed, since PDF copies break lines inside items.

The same truth, read into one shape for every corpus, also labels candidate clause pairs for training
(`pair_label`), so bench and trainer cannot disagree on what a planted overlap is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

COVER = 0.6
TOP = 20


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def bigrams(text: str) -> set[str]:
    t = squeeze(text)
    return {t[i:i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def covers(evidence: str, item: str) -> bool:
    want = bigrams(item)
    return bool(want) and len(want & bigrams(evidence)) / len(want) >= COVER


@dataclass
class TruthItem:
    department: str
    section: str
    unit: str | None
    text: str


@dataclass
class TruthGroup:
    """A planted overlap (cross), a look-alike pair, or an internal overlap."""

    id: str
    items: list[TruthItem]
    settled: bool = False
    resolutions: list[str] = field(default_factory=list)
    object: str = ""

    @property
    def departments(self) -> set[str]:
        return {i.department for i in self.items}


@dataclass
class Truth:
    name: str
    overlaps: list[TruthGroup]
    distractors: list[TruthGroup]
    internal: list[TruthGroup]
    incidental: list[TruthGroup] = field(default_factory=list)  # real but unplanted (explain a finding)
    non_settling: list[tuple[list[str], str]] = field(default_factory=list)


def _item(d: dict) -> TruthItem:
    return TruthItem(d.get("department") or d.get("dept"), d.get("section", ""), d.get("unit"), d["text"])


def read_truth(path: Path, name: str = "") -> Truth:
    """The sample's truth.json, a held-out fixture's heldout_truth.json or an eval corpus's truth.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    name = name or Path(path).parent.name
    if "topics" in data:  # the sample city
        return Truth(
            name,
            [TruthGroup(t["id"], [_item(i) for i in t["items"]], t["settled"], [c["text"] for c in t["settled_by"]], t["object"])
             for t in data["topics"]],
            [TruthGroup(t["id"], [_item(i) for i in t["items"]]) for t in data["lookalikes"]],
            [TruthGroup(t["id"], [_item(i) for i in t["items"]]) for t in data["internal_overlaps"]],
            [TruthGroup(x["object"], [TruthItem(d, "", None, "") for d in x["departments"]], object=x["object"])
             for x in data["incidental_overlaps"]],
        )
    if "overlap" in data:  # a held-out fixture with one planted pair
        return Truth(name, [TruthGroup("H1", [_item(i) for i in data["overlap"]["items"]])], [], [])
    return Truth(
        name,
        [TruthGroup(o["id"], [_item(i) for i in o["items"]], o["settled"], [o["resolution"]] if o.get("resolution") else [],
                    o.get("topic", "")) for o in data["overlaps"]],
        [TruthGroup(o["id"], [_item(i) for i in o["items"]]) for o in data["distractors"]],
        [TruthGroup(o["id"], [_item(i) for i in o["items"]]) for o in data["internal"]],
        non_settling=[(d["depts"], d["text"]) for d in data.get("non_settling_divisions", [])],
    )


def finding_covers(finding, item: TruthItem) -> bool:
    return any(e.department == item.department and covers(e.text, item.text) for e in finding.evidence)


def covered_departments(finding, group: TruthGroup) -> set[str]:
    return {i.department for i in group.items if finding_covers(finding, i)}


def finds(finding, group: TruthGroup) -> bool:
    return len(covered_departments(finding, group)) >= 2


def finds_internal(finding, group: TruthGroup) -> bool:
    units = {i.unit for i in group.items if finding_covers(finding, i)}
    return len(units) >= 2


def _explained(finding, truth: Truth) -> bool:
    if any(finds(finding, g) for g in truth.overlaps):
        return True
    return any(g.departments <= set(finding.departments) and g.object in finding.topic for g in truth.incidental)


@dataclass
class Score:
    corpus: str
    planted: int
    in_top: int
    anywhere: int
    lookalikes_top: int
    settled_right: int
    settled_of: int
    internal_found: int
    internal_of: int
    precision_top: float
    cross_findings: int
    missed: list[str]
    settled_by_non_settling: int = 0  # findings marked settled by a paragraph on another subject


    def row(self) -> str:
        return (f"{self.corpus:<22} {self.in_top:>2}/{self.planted:<3} {self.anywhere:>2}/{self.planted:<3} "
                f"{self.lookalikes_top:>3}   {self.settled_right:>2}/{self.settled_of:<3} "
                f"{self.internal_found:>2}/{self.internal_of:<3} {self.precision_top:>5.2f} {self.cross_findings:>5}"
                + f" {self.settled_by_non_settling:>3}" + (f"  missed {','.join(self.missed)}" if self.missed else ""))


HEADER = "corpus                 top20  any    look  settled  intern prec@20 cross non-settling"


def score(report, truth: Truth, top: int = TOP) -> Score:
    """Per-corpus figures of one overlap report (cross findings ranked as the report ranks them)."""
    cross = [f for f in report.overlaps if f.kind == "cross"]
    internal = [f for f in report.overlaps if f.kind == "internal"]
    head = cross[:top]
    in_top = [g for g in truth.overlaps if any(finds(f, g) for f in head)]
    anywhere = [g for g in truth.overlaps if any(finds(f, g) for f in cross)]
    settled_right = 0
    for g in anywhere:
        best = max((f for f in cross if finds(f, g)), key=lambda f: (len(covered_departments(f, g)), f.score))
        ok = best.settled == g.settled
        if ok and g.settled and g.resolutions and best.settled_by is not None:
            ok = any(covers(best.settled_by.text, r) or covers(r, best.settled_by.text) for r in g.resolutions)
        settled_right += ok
    looks = sum(1 for g in truth.distractors if any(all(finding_covers(f, i) for i in g.items) for f in head))
    internal_found = sum(1 for g in truth.internal if any(finds_internal(f, g) for f in internal))
    precision = sum(_explained(f, truth) for f in head) / len(head) if head else 0.0
    wrong_settling = sum(
        1 for f in cross if f.settled_by is not None
        and any(covers(f.settled_by.text, text) for _, text in truth.non_settling)
    )
    return Score(truth.name, len(truth.overlaps), len(in_top), len(anywhere), looks, settled_right, len(anywhere),
                 internal_found, len(truth.internal), round(precision, 2), len(cross),
                 [g.id for g in truth.overlaps if g not in in_top], wrong_settling)


def item_of(text: str, department: str, items: list[TruthItem]) -> list[TruthItem]:
    """Truth items a clause (or a whole duty item) belongs to: it lies inside the item, or covers it."""
    out = []
    for i in items:
        if i.department != department:
            continue
        if covers(i.text, text) or covers(text, i.text):
            out.append(i)
    return out


@dataclass
class DevCorpus:
    """A development corpus with truth: the files to parse and the truth to score against."""

    name: str
    paths: list[Path]
    truth: Path
    laid_out: bool = False  # some files are web/PDF copies (clean twins exist)


def dev_corpora(root: Path, shared: Path, twins: bool = False) -> list[DevCorpus]:
    """The sample city, the held-out fixtures with overlap truth, and the other authors' corpora.

    `twins` substitutes the clean `sanding-src/` twin for each laid-out file, so the engine can be
    measured apart from parsing."""
    out = [DevCorpus("sample", [root / "corpora/sample/sanding", root / "corpora/sample/lists"], root / "corpora/sample/truth.json")]
    for folder in sorted((root / "tests/fixtures").glob("heldout*")):
        truth = folder / "heldout_truth.json"
        if truth.is_file() and "overlap" in json.loads(truth.read_text(encoding="utf-8")):
            out.append(DevCorpus(folder.name, sorted(folder.glob("三定_*")), truth))
    for name in ("luming", "wangchuan"):
        folder = shared / "eval-corpora" / name
        if not (folder / "truth.json").is_file():
            continue
        files = sorted(p for p in (folder / "sanding").iterdir() if p.is_file())
        src = folder / "sanding-src"
        if twins and src.is_dir():
            clean = {p.stem: p for p in src.iterdir() if p.is_file()}
            files = [clean.get(p.stem, p) for p in files]
        out.append(DevCorpus(name, files, folder / "truth.json", laid_out=src.is_dir()))
    return out

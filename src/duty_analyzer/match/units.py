"""Comparable clause units: every 主要职责 item, 内设机构 duty and 清单 row cut into clauses, with where each came from.

Shared by the overlap engine (duty vs duty) and the hotline matcher (request vs duty)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..model import Corpus, Location
from ..segment import Segmenter, Terms, clauses

LIST_SECTION = "清单"
COMPARED_SECTIONS = ("主要职责", "内设机构")

# Support units every department has; their duties (文电、会务、后勤、行政复议) are never a 职责交叉 problem.
SUPPORT_UNIT_WORDS = ("办公室", "机关党委", "人事", "政治部", "离退休", "财务", "法规", "法制")
SUPPORT_MIN_SHARE = 0.4
UNIT_SUFFIX = re.compile(r"(科|处|股|室|支队|大队|中心)$")
# “（十八）职能转变。……” is numbered among the 主要职责 but states the reform direction every department is
# given (放管服, 双随机一公开, 事中事后监管…): not a duty a department owns, so never a clause to compare or match.
REFORM_ITEM = re.compile(r"^\s*职能转变")


@dataclass
class Unit:
    """One comparable clause with where it came from; `item_key` names the duty item it was cut from."""

    department: str
    unit: str | None
    section: str
    item: str
    location: Location
    text: str
    item_key: tuple
    terms: Terms


def support_unit_words(corpus: Corpus, seg: Segmenter) -> set[str]:
    """Words in unit names that most departments share (办公室, 法规…): learned, plus a short fallback list."""
    per_dept: dict[str, set[str]] = defaultdict(set)
    for d in corpus.duties:
        if d.unit:
            name = UNIT_SUFFIX.sub("", re.sub(r"[（(].*?[）)]", "", d.unit))
            per_dept[d.department].update(
                t for t in seg.tokens(name)
                if len(t) >= 2 and t not in seg.lexicon.stop and t not in seg.lexicon.actions and not UNIT_SUFFIX.search(t)
            )
    counts: dict[str, int] = defaultdict(int)
    for words in per_dept.values():
        for w in words:
            counts[w] += 1
    n = len(per_dept)
    learned = {w for w, c in counts.items() if n >= 5 and c / n >= SUPPORT_MIN_SHARE}
    return learned | set(SUPPORT_UNIT_WORDS)


def collect_units(corpus: Corpus, seg: Segmenter) -> list[Unit]:
    units: list[Unit] = []
    support = support_unit_words(corpus, seg)
    for d in corpus.duties:
        if d.section not in COMPARED_SECTIONS or REFORM_ITEM.match(d.text):
            continue
        if d.unit and any(w in re.sub(r"[（(].*?[）)]", "", d.unit) for w in support):
            continue
        key = (d.department, d.location.file, d.section, d.unit, d.label, d.location.line, d.location.paragraph, d.location.page)
        for sentence in clauses(d.text):
            units.append(Unit(d.department, d.unit, d.section, d.label, d.location, sentence, key, seg.terms(sentence)))
    for li in corpus.list_items:
        text = li.matter + (f"（{li.sub_item}）" if li.sub_item else "")
        item = f"第{li.location.row}行" if li.location.row else li.matter
        key = (li.department, li.location.file, li.location.sheet, li.location.row)
        units.append(Unit(li.department, None, LIST_SECTION, item, li.location, text, key, seg.terms(text)))
    return units


def units_by_item(units: list[Unit]) -> dict[tuple, list[Unit]]:
    out: dict[tuple, list[Unit]] = defaultdict(list)
    for u in units:
        out[u.item_key].append(u)
    return out

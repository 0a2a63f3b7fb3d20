"""What a candidate clause pair shares, as features a reviewer can read.

Nothing here decides: the learned pair model (`decide.PairModel`) weighs these features, so a share,
a boost or a cut is never set by hand. Each feature is a number with a plain meaning (FEATURES)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..match import LIST_SECTION, SUBWORD, Space, Unit, is_object
from ..names import sector_word
from ..segment import Segmenter, default_segmenter

CROSS, INTERNAL = "cross", "internal"
DEFAULT_ACTIONS = frozenset({"监管"})
# A clause scoped to the department's own sector (本系统安全生产和消防安全) claims nothing another department holds.
OWN_SCOPE = re.compile(r"本(?:部门|系统|行业|领域|单位|机关)")

# name → what it means (Chinese, shown in `why`).
FEATURES: dict[str, str] = {
    "lexical": "用语相似度",
    "anchor_share": "共同对象在本级政府各部门中的普遍程度",
    "anchor_dictionary": "共同对象是词典中的管理对象",
    "anchor_induced": "共同对象是语料中多个部门都在管的名词",
    "no_object": "没有共同的管理对象",
    "shared_objects": "共同的词典对象数",
    "shared_words": "共同的实词数",
    "subword_only": "只共享词的片段",
    "action_shared": "有共同的管理动作",
    "action_missing": "一方未写明管理动作",
    "own_scope": "一方限于本系统/本行业",
    "internal": "同一部门的两个内设机构",
    "unit_clause": "一方是内设机构职责",
    "list_row": "一方是清单事项",
    "anchor_in_name": "共同对象就是一方的部门（机构）名称",
    "short_clause": "较短一条的长度",
    "anchor_leading": "共同对象是两条职责的首要对象",
    "anchor_kind": "共同对象是词典中某类管理对象的总称",
    "own_sector": "一方写明是本部门所管行业的该对象（如“水利工程招标投标”）",
}
FEATURE_NAMES = tuple(FEATURES)


@dataclass
class Candidate:
    """A clause pair the neighbour search proposed, with what it shares and its feature vector."""

    a: Unit
    b: Unit
    lexical: float
    kind: str
    anchor: str
    shared: list[str]
    actions: list[str]
    x: np.ndarray
    topic: str = ""  # how the texts name the anchor: 房车营地 where jieba cut 房车|营地


def induced_objects(units: list[Unit], lexicon_objects: set[str]) -> set[str]:
    """Nouns outside the dictionary that clauses with a duty verb use in two or more departments (or two or
    more units of one department): the corpus's own objects of management (民宿, 预付卡, 农村公路…)."""
    seen: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    for u in units:
        if not u.terms.actions:
            continue
        for w in u.terms.words:
            if len(w) >= 2 and w not in lexicon_objects:
                seen[w].add((u.department, u.unit))
    out = set()
    for w, where in seen.items():
        departments = {d for d, _ in where}
        units_of = defaultdict(set)
        for d, unit in where:
            if unit:
                units_of[d].add(unit)
        if (len(departments) >= 2 or any(len(us) >= 2 for us in units_of.values())) and is_object(w, lexicon_objects):
            out.add(w)
    return out


def focus(term: str, u: Unit, space: Space) -> float:
    """How much of the clause's weight the term carries: a passing mention (…加装电梯…) weighs little."""
    total = sum(space.weight(t) for t in set(u.terms.content))
    return space.weight(term) / total if total else 0.0


_BREAK = set("的和及与或等、，。；：（）()《》“”\"' ")


def name_in_texts(term: str, a: str, b: str, longest: int = 8) -> str:
    """The longest run of characters around `term` that both texts write alike (an induced object's full name)."""
    best = term
    for start in range(len(a)):
        if a.startswith(term, start):
            lo, hi = start, start + len(term)
            while hi < len(a) and a[hi] not in _BREAK and a[lo:hi + 1] in b and hi - lo < longest:
                hi += 1
            while lo > 0 and a[lo - 1] not in _BREAK and a[lo - 1:hi] in b and hi - lo < longest:
                lo -= 1
            if hi - lo > len(best):
                best = a[lo:hi]
    return best


def whole_words(run: str, term: str, tokens, stop: frozenset[str]) -> str:
    """A shared run of characters (`name_in_texts`) cut back to whole words, without the drafting words at its
    ends, so that a finding is titled by a name a reviewer reads: 违法占用土地 / 非法占用土地 share 法占用土地 →
    占用土地; 规范性文件并组织 → 规范性文件; 负责商品房预售 → 商品房预售. `tokens` cuts a text into words."""
    i = run.find(term)
    if run == term or i < 0:
        return run
    j, spans, pos = i + len(term), [], 0
    for t in tokens(run):
        spans.append((pos, pos + len(t), t))
        pos += len(t)
    lo, hi = 0, len(spans)
    while lo < hi and spans[lo][1] <= i and (len(spans[lo][2]) == 1 or spans[lo][2] in stop):
        lo += 1
    while hi > lo and spans[hi - 1][0] >= j and (len(spans[hi - 1][2]) == 1 or spans[hi - 1][2] in stop):
        hi -= 1
    return run[min(spans[lo][0], i):max(spans[hi - 1][1], j)] if lo < hi else term


_PHRASE_START = re.compile(r"[，、；：。,;:]")


def own_sector(term: str, u: Unit) -> bool:
    """The clause qualifies the object with its department's own sector word, in the same phrase before it
    (水利局: “规范水利工程招标投标”): the department's share of the object, not the object at large."""
    word = sector_word(u.department)
    i = u.text.find(term) if term and len(word) >= 2 else -1
    if i < 0:
        return False
    starts = [m.end() for m in _PHRASE_START.finditer(u.text, 0, i)]
    return word in u.text[starts[-1] if starts else 0:i]


def leading(term: str, u: Unit) -> float:
    """1 when the term is the clause's first object (what the duty is about), not a passing mention (…加装电梯)."""
    first = next((t for t in u.terms.content if len(t) >= 2), "")
    return float(bool(term) and (u.terms.objects[:1] == (term,) or first == term))


@lru_cache(maxsize=200_000)
def subwords(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(SUBWORD + w[i:i + 2] for w in words for i in range(len(w) - 1))


def object_heads(objects: set[str]) -> frozenset[str]:
    """The kinds of thing the dictionary's objects are: the head (last two characters) of every object name of four
    or more characters — 垃圾 of 建筑垃圾 and 餐厨垃圾, 市场 of 农贸市场. A shared word that is such a kind but no
    dictionary object itself (农村生活垃圾 meets 生活垃圾收运 on 垃圾) names a thing managed, not a way of working
    (精简, 规范性文件): the dictionary's hierarchy read as a prior, no entry added."""
    return frozenset(o[-2:] for o in objects if len(o) >= 4)


def kind_of(a: Unit, b: Unit) -> str | None:
    """Cross for two departments; internal for two 内设机构 of one department; None for anything else."""
    if a.department != b.department:
        return CROSS
    if a.section == b.section == "内设机构" and a.unit != b.unit:
        return INTERNAL
    return None


def describe(a: Unit, b: Unit, lexical: float, space: Space, induced: set[str],
             heads: frozenset[str] = frozenset(), seg: Segmenter | None = None) -> Candidate | None:
    """The pair's features, or None when it is no pair to compare; `heads`: `object_heads` of the dictionary;
    `seg`: the segmenter the clauses were read with (it cuts an induced object's title into whole words)."""
    kind = kind_of(a, b)
    if kind is None:
        return None
    shared = [t for t in set(a.terms.content) & set(b.terms.content) if t in space.vocab]
    if not shared and not (subwords(a.terms.words) & subwords(b.terms.words)):
        return None
    names = (a.department + (a.unit or ""), b.department + (b.unit or ""))
    objects = [t for t in shared if is_object(t, space.objects) and not (kind == INTERNAL and t in a.department)]
    shared.sort(key=lambda t: (-space.weight(t), t))
    objects.sort(key=lambda t: (t not in space.objects, t not in induced, -space.weight(t), t))
    anchor = objects[0] if objects else (shared[0] if shared else "")
    explicit = a.terms.actions & b.terms.actions
    actions = (a.terms.actions or DEFAULT_ACTIONS) & (b.terms.actions or DEFAULT_ACTIONS)
    if not actions:
        return None  # duties that do nothing alike (推进加装 vs 安全监察) claim nothing alike
    x = np.array([
        lexical,
        space.share(anchor) if anchor else 1.0,
        float(anchor in space.objects),
        float(bool(objects) and anchor not in space.objects and anchor in induced),
        float(not objects),
        math.log1p(sum(1 for t in shared if t in space.objects)),
        math.log1p(len(shared)),
        float(not shared),
        float(bool(explicit)),
        float(not a.terms.actions or not b.terms.actions),
        float(bool(OWN_SCOPE.search(a.text) or OWN_SCOPE.search(b.text))),
        float(kind == INTERNAL),
        float(kind == CROSS and "内设机构" in (a.section, b.section)),
        float(LIST_SECTION in (a.section, b.section)),
        float(bool(anchor) and any(anchor in nm for nm in names)),
        math.log1p(min(len(a.text), len(b.text))),
        (leading(anchor, a) + leading(anchor, b)) / 2,
        float(bool(objects) and anchor not in space.objects and anchor in heads),
        float(own_sector(anchor, a) or own_sector(anchor, b)),
    ], dtype=float)
    if not anchor or anchor in space.objects:
        topic = anchor
    else:
        seg = seg or default_segmenter()
        topic = whole_words(name_in_texts(anchor, a.text, b.text), anchor, seg.tokens, seg.lexicon.stop)
    return Candidate(a, b, lexical, kind, anchor, shared, sorted(actions), x, topic)

"""Segmentation: jieba with the shipped domain dictionary, read into objects, actions and other words.

Every later stage (overlaps, classification, hotline matching) segments through `Segmenter`, so the
domain dictionary and its canonical forms apply everywhere, and each distinct text is cut once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .names import abbreviations

OBJECT, ACTION, STOP, CUE = "object", "action", "stop", "cue"
_CLAUSE = re.compile(r"[。；;！？!?\n]+")
# "（特种设备除外）", "（不含农村公路）": what a duty explicitly leaves out is not part of it.
_EXCLUSION = re.compile(r"[（(][^（）()]*(?:除外|不含|不包括)[^（）()]*[）)]")
# “违反城乡规划的建设行为” is the drafting form of 违法建设 (“违反X的Y行为” = 违法Y): read it as both, so the
# object the dictionary knows as 违法Y is found whichever form a 三定 uses.
_CONTRAVENING = re.compile(r"违反[\u4e00-\u9fff]{2,10}?的([\u4e00-\u9fff]{2})行为")
_KEEP = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]+$")


@dataclass(frozen=True)
class Lexicon:
    """variant → canonical form for objects and actions; words that carry no meaning in duty texts."""

    objects: dict[str, str]
    actions: dict[str, str]
    stop: frozenset[str]
    # (object, regex) for how citizens describe an object without naming it; free text (hotline) only.
    cues: tuple[tuple[str, str], ...] = ()

    @classmethod
    def load(cls, extra: Path | None = None) -> "Lexicon":
        text = resources.files("duty_analyzer").joinpath("data/domain_terms.tsv").read_text(encoding="utf-8")
        if extra is not None:
            text += "\n" + extra.read_text(encoding="utf-8")
        objects: dict[str, str] = {}
        actions: dict[str, str] = {}
        stop: set[str] = set()
        cues: list[tuple[str, str]] = []
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            kind, canonical, variants = parts[0].strip(), parts[1].strip(), parts[2].split()
            if kind == OBJECT:
                objects.update({v: canonical for v in variants + [canonical]})
            elif kind == ACTION:
                actions.update({v: canonical for v in variants + [canonical]})
            elif kind == STOP:
                stop.update(variants + [canonical])
            elif kind == CUE:
                cues.append((canonical, parts[2].strip()))
        return cls(objects, actions, frozenset(stop), tuple(cues))


@dataclass(frozen=True)
class Terms:
    """A clause read for comparison: canonical objects, action classes, and the remaining content words."""

    objects: tuple[str, ...]
    actions: frozenset[str]
    words: tuple[str, ...]

    @property
    def content(self) -> tuple[str, ...]:
        return self.objects + self.words


@dataclass
class Segmenter:
    lexicon: Lexicon = field(default_factory=Lexicon.load)

    def __post_init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        for word in list(self.lexicon.objects) + list(self.lexicon.actions):
            self._jieba.add_word(word, freq=200000)
        for full, short in abbreviations().items():
            self._jieba.add_word(full, freq=50000)
            self._jieba.add_word(short, freq=50000)
        self.tokens = lru_cache(maxsize=200_000)(self._tokens)
        self.terms = lru_cache(maxsize=200_000)(self._terms)

    def _tokens(self, text: str) -> tuple[str, ...]:
        return tuple(self._jieba.lcut(text, HMM=False))

    def _terms(self, text: str) -> Terms:
        objects, actions, words = [], set(), []
        lex = self.lexicon
        text = _CONTRAVENING.sub(lambda m: f"{m.group(0)}，违法{m.group(1)}", _EXCLUSION.sub("", text))
        for token in self.tokens(text):
            if token in lex.objects:
                objects.append(lex.objects[token])
            elif token in lex.actions:
                actions.add(lex.actions[token])
            elif token not in lex.stop and _KEEP.match(token):
                head, act = split_action(token, lex)
                words.append(head)
                if act:
                    actions.add(act)
        return Terms(tuple(objects), frozenset(actions), tuple(words))


def split_action(token: str, lex: Lexicon) -> tuple[str, str | None]:
    """A compound ending in an action word (污水处理, 垃圾清运) is its object and that action, so that
    农村生活污水治理 and 农村生活污水处理设施 share 污水 although jieba keeps 污水处理 whole."""
    if len(token) >= 4 and token[-2:] in lex.actions and token[:-2] not in lex.stop:
        return token[:-2], lex.actions[token[-2:]]
    return token, None


def clauses(text: str) -> list[str]:
    """Sentences of a duty text: items often bundle several duties, each ending in 。 or ；."""
    return [c.strip() for c in _CLAUSE.split(text) if len(c.strip()) >= 4]


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    return Segmenter()

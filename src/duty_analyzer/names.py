"""Department names: full form ↔ short form, and resolving what people type to a corpus department.

Staff and citizens write 云溪市城市管理局, 市城管局, 城管局 or 城管部门 for the same body; everything that links
text to departments goes through `DepartmentIndex.resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

_PLACE = re.compile(r"^(.{2,8}?(?:自治州|自治县|市|县|区|州|盟|旗))(?=.{3,})")
_NOT_PLACE = {"城市", "都市", "超市", "城区"}
_GENERIC_SUFFIX = re.compile(r"(?:部门|单位|机关)$")


@lru_cache(maxsize=1)
def abbreviations(extra: Path | None = None) -> dict[str, str]:
    """Full name (without place prefix) → short name, from the shipped table plus an optional user file."""
    text = resources.files("duty_analyzer").joinpath("data/abbreviations.tsv").read_text(encoding="utf-8")
    if extra is not None:
        text += "\n" + extra.read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "\t" in line:
            full, short = (p.strip() for p in line.split("\t", 1))
            table[full] = short
    return table


def split_place(name: str) -> tuple[str, str]:
    """'云溪市城市管理局' → ('云溪市', '城市管理局'); '中共云溪市委组织部' → ('云溪市', '市委组织部');
    names without a place prefix come back unchanged."""
    name = name.removeprefix("中共")
    m = _PLACE.match(name)
    if m and m.group(1) not in _NOT_PLACE and not m.group(1).endswith(tuple(_NOT_PLACE)):
        place, body = m.group(1), name[m.end(1):]
        if body.startswith("委"):  # 市委/县委 bodies keep their level word
            body = place[-1] + body
        return place, body
    return "", name


def short_name(full: str) -> str:
    _, body = split_place(full)
    return abbreviations().get(body, body)


def _key(mention: str) -> str:
    """Reduce a mention to a comparable core: no place, no leading 市/县, short form."""
    mention = re.sub(r"\s+", "", mention)
    _, body = split_place(mention)
    for prefix in ("市", "县", "区"):
        if body.startswith(prefix) and len(body) > 3 and body[1:] in abbreviations() | _shorts():
            body = body[1:]
            break
    return abbreviations().get(body, body)


@lru_cache(maxsize=1)
def _shorts() -> dict[str, str]:
    return {v: v for v in abbreviations().values()}


@dataclass
class DepartmentIndex:
    """Maps mentions to the full names of the departments a corpus knows."""

    names: list[str]
    _by_key: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _longest_first: list[tuple[str, str]] = field(default_factory=list, init=False, repr=False)
    _memo: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for full in self.names:
            self._by_key.setdefault(_key(full), full)
            self._by_key.setdefault(full, full)
        self._longest_first = sorted(self._by_key.items(), key=lambda kv: -len(kv[0]))

    def resolve(self, mention: str) -> str | None:
        """The corpus department a mention names, or None (a district body, an unknown unit)."""
        if mention not in self._memo:
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[mention] = self._resolve(mention)
        return self._memo[mention]

    def _resolve(self, mention: str) -> str | None:
        mention = re.sub(r"\s+", "", mention)
        if not mention:
            return None
        if mention in self._by_key:
            return self._by_key[mention]
        place, _ = split_place(mention)
        if place and place not in {split_place(n)[0] for n in self.names}:
            return None
        key = _key(mention)
        candidates = [key] + ([key[1:]] if key[:1] in ("市", "县") else [])
        for candidate in candidates:
            if candidate in self._by_key:
                return self._by_key[candidate]
        # '市公安局交警支队' style: a department followed by one of its units.
        for candidate in candidates:
            for k, full in self._longest_first:
                if len(k) >= 3 and candidate.startswith(k):
                    return full
        generic = _GENERIC_SUFFIX.sub("局", key)
        return self._by_key.get(generic)

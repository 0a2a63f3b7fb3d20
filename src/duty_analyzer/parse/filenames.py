"""File names in any encoding: shown decoded, never crashing a writer.

On Linux a name is bytes; Python decodes undecodable bytes as surrogate escapes (U+DC80–U+DCFF), which
no UTF-8 writer accepts. USB sticks and zip archives from Windows carry GBK names, so a name that is
not UTF-8 is decoded as GB18030 (a superset of GBK), then Big5, else shown with replacement marks.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

_SURROGATE = re.compile("[\udc80-\udcff]")
NOTE = "文件名不是 UTF-8 编码，已按 {} 显示"


def display_name(path: Path | str) -> str:
    """The path as text any writer accepts; unchanged when it already is."""
    text = str(path)
    if not _SURROGATE.search(text):
        return text
    raw = os.fsencode(text)
    for encoding in ("gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def name_encoding(path: Path | str) -> str | None:
    """Which encoding `display_name` used, for a note (None for UTF-8 names)."""
    text = str(path)
    if not _SURROGATE.search(text):
        return None
    raw = os.fsencode(text)
    for encoding, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(encoding)
            return label
        except UnicodeDecodeError:
            continue
    return "UTF-8（无法解码的字节以 � 代替）"


def relabel(obj, old: str, new: str):
    """`obj` (dataclasses, lists, dicts) with every string equal to `old` replaced by `new`, in place."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value == old and isinstance(value, str):
                setattr(obj, f.name, new)
            elif isinstance(value, (list, dict)) or dataclasses.is_dataclass(value):
                relabel(value, old, new)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            if value == old and isinstance(value, str):
                obj[i] = new
            else:
                relabel(value, old, new)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if value == old and isinstance(value, str):
                obj[key] = new
            else:
                relabel(value, old, new)
    return obj


def relabelled(items, path: Path | str):
    """Stream `items` (records of one file) under the file's decoded name."""
    old, new = str(path), display_name(path)
    if old == new:
        yield from items
        return
    for item in items:
        yield relabel(item, old, new)

"""Paragraph structure back from text whatever its line breaks: web copies, PDF text, hard-wrapped exports.

The 三定 parser expects one paragraph per line with the article or item marker at its start. Copies found
on the web or exported from PDF break that in several ways, undone here in this order on the raw
(uncleaned) lines, so that leading indentation can still be seen:

0. debris of the page: HTML tags and entities, pinyin some sites insert (监(jiān)督);
1. page furniture: page numbers (`— 3 —`, `第3页`) and the running heads printed next to them;
2. hard wraps: a text wrapped at a fixed width W (learned per document) continues on the next line
   unless that line is indented or opens a numbered block;
3. joined paragraphs: several paragraphs on one line, separated by runs of ideographic spaces, U+00A0,
   several ASCII spaces, soft or escaped line breaks, or by nothing but the next 第X条 / （X） marker
   after a sentence end (and 1. 2. 3. items after a lead-in colon);
4. 第X条 alone on its line: joined with the line that follows, which holds the article's text;
5. item labels whose bytes were read one byte off ("?。ㄒ唬") get their number back.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from ..text import clean
from .sources import Line

_CN = "一二三四五六七八九十百零〇"
ARTICLE_ALONE = re.compile(rf"^第[{_CN}]+[条條]$")
PAGE_NUMBER = re.compile(
    r"^[-—–－_\s]*(?:第\s*)?\d{1,4}\s*(?:页)?[-—–－_\s]*$|^第\s*\d+\s*页\s*(?:[,，/／]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
BLOCK_START = re.compile(
    rf"^(第[{_CN}]+[条條]|[{_CN}]+、|（[{_CN}]+）|\([{_CN}]+\)|（\d+）|\(\d+\)|\d+[\.．、](?!\d)|[①-⑳])"
)
# A paragraph separator inside a line: what web pages and copy-paste leave where a line break was, soft
# line breaks inside a Word paragraph, and the escapes a database dump leaves (a literal backslash-n).
_PARAGRAPH_GAP = re.compile(r"[\r\n\v\f]+|[\u3000\xa0]{2,}|[ \t]{3,}|\t|[\u3000\xa0 ]*[\u2028\u2029][\u3000\xa0 ]*|(?:\\r)?\\n")
# Pinyin some sites insert after characters: 监(jiān)督, 规【dìng】定.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（【]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|[a-z]{1,6})[)）】]")
# A marker that opens a new article or item after a sentence end or a single space (never mid-sentence).
_INNER_MARK = re.compile(
    rf"(?:(?<=[。；;：:])|(?<=[。；;：:][\s\u3000\xa0])|(?<=[\s\u3000\xa0])"
    rf"|(?<=职责分工)|(?<=其他事项)|(?<=内设机构)|(?<=主要职责)|(?<=职责调整))"
    rf"(?=第[{_CN}]+[条條](?:[\s\u3000\xa0]|$|[\u4e00-\u9fff])|（[{_CN}]+）|\([{_CN}]+\)|（\d+）|\(\d+\))"
)

# A text counts as hard-wrapped when at least this share of its long lines have the same length (W or
# W+1, the latter when a closing mark is pulled up). Measured by bench/parse_quality.py on every corpus:
# paragraph-per-line files reach at most 0.22, the wrapped copies at least 0.68.
WRAP_SHARE = 0.4
WRAP_MIN_LINES = 5
_LONG = 16
_HEAD_MAX = 30


def restructure(lines: list[Line]) -> list[Line]:
    """Raw lines → cleaned, non-empty lines, one paragraph each (locations are those of the first raw line)."""
    lines = [Line(_PINYIN.sub("", strip_markup(l.text)), l.location) for l in lines if l.text.strip()]
    lines = drop_furniture(lines)
    lines = join_wrapped(lines)
    lines = [piece for l in lines for piece in split_paragraphs(l)]
    lines = join_lone_articles(lines)
    lines = repair_shifted_labels(lines)
    return [Line(clean(l.text), l.location) for l in lines if clean(l.text)]


_BREAK_TAG = re.compile(r"<\s*(?:br|/?p|/?div|/?li|/?tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^<>]{1,200}>")


def strip_markup(text: str) -> str:
    """HTML left in a copied page: paragraph and line-break tags become line breaks, entities are decoded."""
    if "<" not in text and "&" not in text:
        return text
    text = _BREAK_TAG.sub("\u2029", text)
    return html.unescape(_TAG.sub("", text)).replace("\xa0", "\u3000")


def drop_furniture(lines: list[Line]) -> list[Line]:
    """Without page numbers and the short lines repeated next to them (running heads and feet)."""
    numbered = [i for i, l in enumerate(lines) if PAGE_NUMBER.match(l.text.strip())]
    if not numbered:
        return lines
    counts = Counter(l.text.strip() for l in lines)
    near = {j for i in numbered for j in (i - 1, i + 1) if 0 <= j < len(lines)}
    heads = {
        lines[j].text.strip() for j in near
        if counts[lines[j].text.strip()] >= 2 and len(lines[j].text.strip()) <= _HEAD_MAX
        and not BLOCK_START.match(lines[j].text.strip()) and not re.search(r"[。；;]", lines[j].text)
    }
    return [l for i, l in enumerate(lines) if i not in numbered and l.text.strip() not in heads]


def wrap_width(lines: list[Line]) -> int | None:
    """The fixed width a text was wrapped at, or None when its lines are paragraphs."""
    if wrap_share(lines) < WRAP_SHARE:
        return None
    return Counter(len(l.text.rstrip()) for l in lines if len(l.text.rstrip()) >= _LONG).most_common(1)[0][0]


def wrap_share(lines: list[Line]) -> float:
    """Share of long lines at the most common length (what `wrap_width` compares with WRAP_SHARE)."""
    lengths = [len(l.text.rstrip()) for l in lines if len(l.text.rstrip()) >= _LONG]
    if len(lengths) < WRAP_MIN_LINES:
        return 0.0
    width, _ = Counter(lengths).most_common(1)[0]
    return sum(n in (width, width + 1) for n in lengths) / len(lengths)


def join_wrapped(lines: list[Line]) -> list[Line]:
    width = wrap_width(lines)
    if width is None:
        return lines
    out: list[Line] = []
    previous_full = False
    for l in lines:
        text = l.text.rstrip()
        starts_paragraph = text[:1].isspace() or BLOCK_START.match(text.strip())
        if out and previous_full and not starts_paragraph:
            out[-1] = Line(out[-1].text + text.strip(), out[-1].location)
        else:
            out.append(Line(text, l.location))
        previous_full = len(text) >= width
    return out


def split_paragraphs(line: Line) -> list[Line]:
    """One line holding several paragraphs → one Line per paragraph, all at the same location."""
    pieces = []
    for chunk in _PARAGRAPH_GAP.split(line.text):
        for piece in _INNER_MARK.split(chunk):
            pieces.extend(split_numbered_run(piece))
    return [Line(p, line.location) for p in pieces if p.strip()]


_DIGIT_MARK = re.compile(r"(?<=[。；;：:\s])(\d{1,2})[.．、](?!\d)")
NUMBERED_RUN_MIN = 3


def split_numbered_run(text: str) -> list[str]:
    """'……主要职责是：1.…。2.…。3.…' → one piece per item. Only a run 1, 2, 3 … of at least
    NUMBERED_RUN_MIN items that opens after a colon is split: inline sub-points after a sentence
    ("……职责分工。1.…2.…") stay in their paragraph, as clean files have them."""
    cuts, expected = [], 1
    for m in _DIGIT_MARK.finditer(text):
        n = int(m.group(1))
        if n == 1 and text[max(0, m.start() - 4): m.start()].rstrip()[-1:] in ("：", ":") and expected == 1:
            cuts, expected = [m.start()], 2
        elif n == expected and cuts:
            cuts.append(m.start())
            expected += 1
    if len(cuts) < NUMBERED_RUN_MIN:
        return [text]
    bounds = [0] + cuts + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


# "（一）" whose GBK bytes were read one byte off (a lost lead byte shown as "?"): "?。ㄒ唬…", "?。ǘ┰…".
# The A8 row of GBK (pinyin letters, bopomofo) after "。" at a line start is that shift's signature.
_SHIFTED_LABEL = re.compile(r"^[?？\ufffd]?。[\u00c0-\u024f\u3100-\u312f].")
_LABEL = re.compile(rf"^[（(]([{_CN}]+)[）)]")
_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"] + ["十" + n for n in "一二三四五六七八九"] + ["二十"]


def repair_shifted_labels(lines: list[Line]) -> list[Line]:
    """Give mis-decoded item labels back their number, inferred from the item before (the bytes of the
    numeral itself are often lost); the item's text is kept as found."""
    out: list[Line] = []
    previous = ""
    for l in lines:
        text = l.text.strip()
        m = _SHIFTED_LABEL.match(text)
        if m:
            index = _NUMERALS.index(previous) + 1 if previous in _NUMERALS[:-1] else 0
            previous = _NUMERALS[index]
            out.append(Line(f"（{previous}）" + text[m.end():], l.location))
            continue
        label = _LABEL.match(text)
        previous = label.group(1) if label else ""
        out.append(l)
    return out


def join_lone_articles(lines: list[Line]) -> list[Line]:
    """'第三条' on its own line, the article's text on the next: one line '第三条 text'."""
    out: list[Line] = []
    pending: Line | None = None
    for l in lines:
        text = l.text.strip()
        if pending is not None:
            if ARTICLE_ALONE.match(text):
                out.append(pending)
                pending = l
                continue
            out.append(Line(pending.text.strip() + " " + text, pending.location))
            pending = None
        elif ARTICLE_ALONE.match(text):
            pending = l
        else:
            out.append(l)
    if pending is not None:
        out.append(pending)
    return out

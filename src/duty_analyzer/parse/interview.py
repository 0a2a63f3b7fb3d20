"""Interview notes (访谈/谈话/座谈记录): 问/答 pairs, speaker paragraphs or free prose → statements."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import InterviewStatement, ParsedFile
from .sources import TextDocument

# Header block lines: "时间：…", "参加单位：…"; a short plain key without a person's title or brackets.
_HEADER = re.compile(r"^([\u4e00-\u9fa5]{2,6})\s*[：:]\s*(.*)$")
_INTERVIEWEE_KEYS = ("访谈对象", "被访谈人", "被访谈对象", "谈话对象", "座谈对象", "受访人", "被访人")
_QUESTION = re.compile(r"^(?:问|Q|提问|访谈人问)\s*[：:]\s*")
_ANSWER = re.compile(r"^(?:答|A|回答)\s*[：:]\s*")
_SPEAKER = re.compile(r"^([^：:。，,；]{2,40}?)\s*[：:]\s*(.+)$")
_ROLE_WORDS = re.compile(r"(科长|局长|主任|负责人|同志|书记|处长|股长|队长|委员|代表|干部|工作人员|站长|所长|组长|主席|某)")
_NAME = re.compile(r"^[\u4e00-\u9fa5]{1,2}某{1,2}$|^[\u4e00-\u9fa5]{2,3}$")
_TITLE_WORDS = re.compile(r"记录|纪要|小结|提纲|访谈|座谈|谈话|情况")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)?[^。；]{0,20}$")


_CONTACT = re.compile(r"[，,；;（(]?\s*(?:手机|电话|联系电话|联系方式|手机号)\s*[：:]?\s*[\d\-－ ]{7,}[）)]?")


def split_person(text: str) -> tuple[str, str]:
    """'市城管局市容景观科负责人（王某）' → ('王某', '市城管局市容景观科负责人'); also 'role 刘某某' and '陈某（role）'.

    Contact numbers written after the person are dropped: they are not part of a name or a role.
    """
    text = _CONTACT.sub("", text).strip()
    m = re.match(r"^(.*?)[（(]([^）)]*)[）)]$", text)
    if m:
        outside, inside = m.group(1).strip(), m.group(2).strip()
        return (inside, outside) if _NAME.match(inside) else (outside, inside)
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and _NAME.match(parts[1]):
        return parts[1], parts[0].strip()
    return ("", text) if not _NAME.match(text) else (text, "")


def parse_interview(doc: TextDocument) -> ParsedFile:
    out = ParsedFile(path=doc.path, kind="interview", notes=list(doc.notes))
    speaker = role = question = ""
    last_was_answer = False
    for index, line in enumerate(doc.lines):
        text = line.text
        if index == 0 and _TITLE_WORDS.search(text) and not re.search(r"[。？]$", text) and len(text) <= 40:
            continue
        header = _HEADER.match(text)
        if header and not out.statements and not question and not _ROLE_WORDS.search(header.group(1)):
            if header.group(1) in _INTERVIEWEE_KEYS:
                speaker, role = split_person(header.group(2))
            continue
        if q := _QUESTION.match(text):
            question = text[q.end():]
            last_was_answer = False
            continue
        if a := _ANSWER.match(text):
            out.statements.append(InterviewStatement(doc.path, text[a.end():], line.location, speaker, role, question))
            last_was_answer = True
            continue
        if last_was_answer:
            out.statements.append(InterviewStatement(doc.path, text, line.location, speaker, role, question))
            continue
        s = _SPEAKER.match(text)
        if s and (_ROLE_WORDS.search(s.group(1)) or "（" in s.group(1) or "(" in s.group(1)):
            who, what = split_person(s.group(1))
            out.statements.append(InterviewStatement(doc.path, s.group(2), line.location, who, what))
            continue
        if _HEADING.match(text):
            continue
        out.statements.append(InterviewStatement(doc.path, text, line.location))
    if not out.statements:
        out.notes.append("未识别到任何谈话内容")
    return out


def looks_like_interview(text: str, path: str = "") -> bool:
    qa = len(re.findall(r"^(?:问|答)\s*[：:]", text, flags=re.M))
    return qa >= 2 or bool(re.search(r"访谈|座谈|谈话|走访", text[:600] + Path(path).stem))

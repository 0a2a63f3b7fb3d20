"""Problem statements out of interview notes: split answers into sentences, drop 非问题, classify the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .classify import NON_PROBLEM, Classifier, Prediction, prediction_cells, unclassifiable
from .mask import mask_name, mask_text
from .model import InterviewStatement, Location

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
MIN_SENTENCE = 6

PROBLEM_HEADER = ["文件", "位置", "发言人", "身份", "问题陈述", "问题类别", "置信度", "次选类别", "次选置信度", "需复核"]


@dataclass
class Problem:
    file: str
    location: Location
    speaker: str
    role: str
    text: str
    prediction: Prediction


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) >= MIN_SENTENCE]


def extract_problems(statements: Sequence[InterviewStatement], clf: Classifier) -> list[Problem]:
    found = [(st, s) for st in statements for s in sentences(st.text)]
    predictions = clf.predict([s for _, s in found])
    return [
        Problem(st.source_file, st.location, st.speaker, st.role, s, p)
        for (st, s), p in zip(found, predictions)
        if p.label != NON_PROBLEM and not p.note
    ]


def unclassified_statements(statements: Sequence[InterviewStatement]) -> list[tuple[InterviewStatement, str]]:
    """Statements that are empty or a single character (an answer left blank, “对。”), with the reason:
    reported to the user instead of silently classified or dropped."""
    return [(st, note) for st in statements if (note := unclassifiable(st.text))]


def where(loc: Location) -> str:
    if loc.line is not None:
        return f"第{loc.line}行"
    if loc.paragraph is not None:
        return f"第{loc.paragraph}段"
    return f"第{loc.page}页" if loc.page is not None else ""


def problem_row(p: Problem, mask: bool = True) -> list[object]:
    speaker, role, text = (mask_name(p.speaker), mask_text(p.role, [p.speaker]), mask_text(p.text, [p.speaker])) if mask else (p.speaker, p.role, p.text)
    return [p.file, where(p.location), speaker, role, text, *prediction_cells(p.prediction)]

"""The library's front door for scripts and notebooks: four calls, each returning a dataclass with `.to_frame()`.

    import duty_analyzer as da
    docs = da.parse_folder("材料")            # Documents
    found = da.find_overlaps(docs)            # Overlaps
    cats = da.classify_texts(["……", "……"])    # Classification
    hot = da.analyze_hotline("工单.csv", docs) # HotlineResult
    found.to_frame()

Paths may be `str` or `Path`. Like the CLI, every text that can carry personal data (hotline requests,
interview statements, speakers) is masked unless `mask=False` is given, which warns. The names do not clash
with the subpackages `duty_analyzer.parse` / `classify` / `hotline` (an import of those would replace them).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Union

from .classify import Classifier, Prediction, load_default
from .embed import LEXICAL, get_encoder
from .extract import where
from .hotline import HOTSPOT_HEADER, RECORD_HEADER, HotlineAnalysis, HotlineConfig, analyze_to_rows, hotspot_row
from .mask import mask_name, mask_text
from .model import Corpus
from .pipeline import AnalysisResult, analyze
from .overlaps import Overlap, OverlapConfig, OverlapReport
from .overlaps import find_overlaps as overlap_engine
from .parse import parse_paths

if TYPE_CHECKING:
    import pandas as pd

PathLike = Union[str, Path]
UNMASKED = "结果未遮盖个人信息（mask=False），仅供内部使用，不得外传。"


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    return [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]


def _warn_unmasked(mask: bool) -> None:
    if not mask:
        warnings.warn(UNMASKED, UserWarning, stacklevel=3)


def _frame(rows: list[list[object]], columns: Sequence[str]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns))


def _encoder(backend: str):
    return None if backend == LEXICAL else get_encoder(backend)


@dataclass
class Documents:
    """Parsed files (the `Corpus`) and what could not be read. `to_frame(table)`: files, duties, list_items,
    hotline, statements, errors."""

    corpus: Corpus
    mask: bool = True

    TABLES = ("files", "duties", "list_items", "hotline", "statements", "errors")

    @property
    def errors(self):
        return self.corpus.errors

    def to_frame(self, table: str = "files") -> "pd.DataFrame":
        if table not in self.TABLES:
            raise ValueError(f"未知的表 {table}（可选：{'、'.join(self.TABLES)}）")
        c, m = self.corpus, self.mask
        text = mask_text if m else (lambda s, names=(): s)
        name = mask_name if m else (lambda s: s)
        if table == "files":
            rows = [[f.path, f.kind, len(f.departments), len(f.duties), len(f.list_items), len(f.hotline),
                     len(f.statements), "；".join(f.notes)] for f in c.files]
            return _frame(rows, ["文件", "类型", "部门", "职责条目", "清单事项", "热线工单", "访谈陈述", "提示"])
        if table == "duties":
            rows = [[d.department, d.unit or "", d.section, d.label, d.text, d.location.file] for d in c.duties]
            return _frame(rows, ["部门", "内设机构", "部分", "条目", "原文", "文件"])
        if table == "list_items":
            rows = [[i.department, i.matter, i.sub_item, i.power_type, i.basis, i.responsibility, i.handling_unit,
                     i.location.file, i.location.row] for i in c.list_items]
            return _frame(rows, ["部门", "事项名称", "子项", "权力类型", "设定依据", "责任事项", "承办机构", "文件", "行号"])
        if table == "hotline":
            rows = [[r.record_id, r.time, text(r.request, [r.extra.get(k, "") for k in ("诉求人", "来电人", "姓名", "联系人")]),
                     r.first_unit, "；".join(b.unit for b in r.bounces), r.final_unit, r.location.file, r.location.row]
                    for r in c.hotline]
            return _frame(rows, ["工单编号", "受理时间", "诉求内容", "首派单位", "退单单位", "最终承办单位", "文件", "行号"])
        if table == "statements":
            rows = [[s.source_file, where(s.location), name(s.speaker), text(s.role), text(s.text)] for s in c.statements]
            return _frame(rows, ["文件", "位置", "发言人", "身份", "陈述"])
        rows = [[e.path, e.message, e.severity] for e in c.errors]
        return _frame(rows, ["文件", "原因", "级别"])


@dataclass
class Overlaps:
    """Overlapping duties between departments (and units inside one), each with evidence and why."""

    overlaps: list[Overlap]
    report: OverlapReport

    def to_frame(self) -> "pd.DataFrame":
        rows = [[o.id, o.kind, o.topic, "、".join(o.departments), round(o.score, 3), "是" if o.settled else "否",
                 o.settled_by.department if o.settled_by else "", len(o.evidence), o.why] for o in self.overlaps]
        return _frame(rows, ["编号", "类型", "事项", "涉及部门", "得分", "已有职责分工", "分工所在部门", "证据条数", "判断理由"])

    def evidence_frame(self) -> "pd.DataFrame":
        rows = [[o.id, o.topic, e.department, e.unit or "", e.file, e.section, e.item, e.text]
                for o in self.overlaps for e in o.evidence]
        return _frame(rows, ["编号", "事项", "部门", "内设机构", "文件", "部分", "条目", "原文"])


@dataclass
class Classification:
    """One prediction per input text (the nine categories + 非问题, or a custom model's labels)."""

    texts: list[str]
    predictions: list[Prediction]
    label_column: str = "问题类别"
    mask: bool = True

    def to_frame(self) -> "pd.DataFrame":
        shown = [mask_text(t) for t in self.texts] if self.mask else self.texts
        rows = [[t, p.label, p.confidence, p.runner_up, p.runner_up_confidence, "是" if p.needs_review else "否"]
                for t, p in zip(shown, self.predictions)]
        return _frame(rows, ["文本", self.label_column, "置信度", "次选类别", "次选置信度", "需复核"])


@dataclass
class HotlineResult:
    """Per-record analysis rows (the hotline_records.csv columns) and the ranked hot spots."""

    rows: list[list[object]]
    summary: HotlineAnalysis
    errors: list = field(default_factory=list)

    @property
    def hotspots(self):
        return self.summary.ranked()

    def to_frame(self) -> "pd.DataFrame":
        return _frame(self.rows, RECORD_HEADER)

    def hotspots_frame(self) -> "pd.DataFrame":
        return _frame([hotspot_row(h) for h in self.hotspots], HOTSPOT_HEADER)


def parse_folder(paths: PathLike | Iterable[PathLike], kind: str | None = None, mask: bool = True) -> Documents:
    """Parse files and folders (kind sniffed from content unless given); bad files land in `.errors`."""
    _warn_unmasked(mask)
    return Documents(parse_paths(_paths(paths), kind=kind), mask=mask)


def _documents(source: Documents | PathLike | Iterable[PathLike]) -> Documents:
    return source if isinstance(source, Documents) else parse_folder(source)


def find_overlaps(source: Documents | PathLike | Iterable[PathLike], min_score: float | None = None,
                  backend: str = LEXICAL) -> Overlaps:
    """Overlapping duties in parsed documents (or in files/folders, parsed first)."""
    docs = _documents(source)
    config = OverlapConfig() if min_score is None else OverlapConfig(min_score=min_score)
    report = overlap_engine(docs.corpus, config, encoder=_encoder(backend))
    return Overlaps(report.overlaps, report)


def classify_texts(texts: Iterable[str], model: PathLike | None = None, backend: str = LEXICAL, mask: bool = True) -> Classification:
    """Classify problem statements with the shipped model (or the model folder given)."""
    _warn_unmasked(mask)
    clf = Classifier.load(Path(model)) if model else load_default(backend)
    texts = [str(t) for t in texts]
    return Classification(texts, clf.predict(texts), clf.metadata.label_column, mask)


def analyze_hotline(records: PathLike | Iterable[PathLike], sanding: Documents | PathLike | Iterable[PathLike],
                    mask: bool = True, since=None, until=None, backend: str = LEXICAL) -> HotlineResult:
    """12345 dispute records against the 三定/清单 in `sanding`: dispute category, linked overlap, suggested department."""
    _warn_unmasked(mask)
    docs = _documents(sanding)
    encoder = _encoder(backend)
    overlaps = overlap_engine(docs.corpus)  # lexical whatever the backend (see pipeline.analyze_into)
    hotline_docs = parse_paths(_paths(records), kind="hotline")
    config = HotlineConfig(since=since, until=until, mask=mask, encoder=encoder)
    summary = HotlineAnalysis()
    rows = list(analyze_to_rows(hotline_docs.hotline, docs.corpus, overlaps, config, summary=summary))
    return HotlineResult(rows, summary, list(hotline_docs.errors))

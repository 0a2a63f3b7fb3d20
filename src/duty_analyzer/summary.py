"""Counts of what a run parsed, and the short Chinese summary the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Corpus, FileError


@dataclass
class Summary:
    files: int
    departments: int
    duties: int
    units: int
    divisions: int
    list_items: int
    hotline: int
    statements: int
    unrecognized: int
    errors: list[FileError] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def summarize(corpus: Corpus) -> Summary:
    return Summary(
        files=len(corpus.files),
        departments=len(corpus.departments),
        duties=sum(1 for d in corpus.duties if d.unit is None),
        units=len({(d.department, d.unit) for d in corpus.duties if d.unit}),
        divisions=len(corpus.divisions),
        list_items=len(corpus.list_items),
        hotline=len(corpus.hotline),
        statements=len(corpus.statements),
        unrecognized=sum(len(f.unrecognized) for f in corpus.files),
        errors=list(corpus.errors),
        notes=[(f.path, n) for f in corpus.files for n in f.notes],
    )


def format_summary(s: Summary) -> str:
    lines = [
        f"已解析文件 {s.files} 个，失败 {len(s.errors)} 个",
        f"  部门（三定）{s.departments} 个：主要职责等条目 {s.duties} 条，内设机构 {s.units} 个，职责分工条款 {s.divisions} 条",
        f"  清单事项 {s.list_items} 行",
        f"  热线工单 {s.hotline} 条",
        f"  访谈陈述 {s.statements} 条",
    ]
    if s.unrecognized:
        lines.append(f"  未能识别的段落/行 {s.unrecognized} 处（详见 parsed.json 中的 unrecognized）")
    for path, note in s.notes:
        lines.append(f"提示：{path}：{note}")
    for err in s.errors:
        lines.append(f"错误：{err.path}：{err.message}")
    return "\n".join(lines)

"""Counts of what a run parsed, and the short Chinese summary the CLI prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .classify import Evaluation
from .model import Corpus, FileError
from .names import short_name
from .overlaps import CROSS, OverlapReport


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
    overlaps: OverlapReport | None = None
    problems: list | None = None
    hotline_analysis: object | None = None
    ledger: list | None = None


def summarize(corpus: Corpus, overlaps: OverlapReport | None = None, problems: list | None = None, hotline=None) -> Summary:
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
        overlaps=overlaps,
        problems=problems,
        hotline_analysis=hotline,
    )


def incomplete_note(errors: list[FileError]) -> str:
    """Why an empty result may not mean "nothing found": how many files failed or gave nothing ("" when none)."""
    failed = sum(not e.is_warning for e in errors)
    empty = sum(e.is_warning for e in errors)
    parts = ([f"{failed} 个文件解析失败"] if failed else []) + ([f"{empty} 个文件没有解析出可用内容"] if empty else [])
    return f"注意：{'、'.join(parts)}，结果可能不完整（见下方错误和警告）" if parts else ""


def format_summary(s: Summary) -> str:
    failed = [e for e in s.errors if not e.is_warning]
    warned = [e for e in s.errors if e.is_warning]
    lines = [
        f"已解析文件 {s.files} 个，失败 {len(failed)} 个" + (f"，解析出内容为空 {len(warned)} 个" if warned else ""),
        f"  部门（三定）{s.departments} 个：主要职责等条目 {s.duties} 条，内设机构 {s.units} 个，职责分工条款 {s.divisions} 条",
        f"  清单事项 {s.list_items} 行",
        f"  热线工单 {s.hotline} 条",
        f"  访谈陈述 {s.statements} 条",
    ]
    if s.overlaps is not None:
        o = s.overlaps.overlaps
        cross = [x for x in o if x.kind == CROSS]
        lines.append(
            f"  职责交叉 {len(o)} 项：部门间 {len(cross)} 项（其中 {sum(not x.settled for x in cross)} 项尚无职责分工），"
            f"部门内设机构间 {len(o) - len(cross)} 项"
        )
        lines.append(f"  三定与清单对照差异 {len(s.overlaps.alignment)} 条")
        if not o and s.errors:
            lines.append(f"  未发现职责交叉；{incomplete_note(s.errors).removeprefix('注意：')}")
    if s.problems:
        review = sum(p.prediction.needs_review for p in s.problems)
        top = Counter(p.prediction.label for p in s.problems).most_common(3)
        lines.append(
            f"  访谈问题陈述 {len(s.problems)} 条（需复核 {review} 条），较多的类别："
            + "、".join(f"{y} {n}" for y, n in top)
        )
    if s.hotline_analysis is not None:
        h = s.hotline_analysis
        top = h.ranked()[:3]
        lines.append(
            f"  热线工单分析 {h.records} 条：关联到职责交叉事项 {h.linked} 条；热点："
            + "、".join(f"{h.topic}（{h.records} 条）" for h in top)
        )
    if s.ledger is not None:
        fresh = sum(r.presence == "新增" for r in s.ledger)
        gone = sum(r.presence == "已消失" for r in s.ledger)
        rescoped = sum(r.presence == "范围变化" for r in s.ledger)
        lines.append(f"  问题台账 {len(s.ledger) - gone} 项（新增 {fresh} 项，已消失 {gone} 项"
                     + (f"，涉及部门有变化 {rescoped} 项" if rescoped else "") + "）")
    if s.unrecognized:
        lines.append(f"  未能识别的段落/行 {s.unrecognized} 处（详见 parsed.json 中的 unrecognized）")
    for path, note in s.notes:
        lines.append(f"提示：{path}：{note}")
    for err in warned:
        lines.append(f"警告：{err.path}：{err.message}")
    for err in failed:
        lines.append(f"错误：{err.path}：{err.message}")
    return "\n".join(lines)


KIND_LABELS = {"cross": "部门间", "internal": "部门内"}


def format_overlaps(report: OverlapReport, errors: list[FileError] | None = None) -> str:
    """The readable Chinese table of `overlaps`: one block per finding with its evidence side by side.
    With `errors`, an empty result says how many files failed or gave nothing instead of a bare "none"."""
    if not report.overlaps:
        note = incomplete_note(errors or [])
        return "未发现职责交叉。" + (f"\n{note}" if note else "")
    lines = []
    for rank, o in enumerate(report.overlaps, start=1):
        status = f"已有职责分工（{short_name(o.settled_by.department)}）" if o.settled_by else "尚无职责分工"
        if o.kind != CROSS:
            status = "同一部门内"
        who = "、".join(short_name(d) for d in o.departments)
        if o.kind != CROSS:
            who += "：" + "、".join(o.units)
        lines.append(f"{rank}. [{o.id}] {KIND_LABELS[o.kind]}｜{o.topic}｜{who}｜得分 {o.score:.2f}｜{status}")
        for e in o.evidence:
            unit = f"{e.unit}" if e.unit else e.section
            lines.append(f"     · {short_name(e.department)}（{unit} {e.item}）：{e.text}　〔{e.file}〕")
        if o.settled_by:
            lines.append(f"     职责分工：{o.settled_by.text}")
        lines.append(f"     理由：{o.why}")
    if report.alignment:
        lines.append("")
        lines.append(f"三定与清单对照差异 {len(report.alignment)} 条：")
        for g in report.alignment:
            lines.append(f"  · {short_name(g.department)}｜{g.kind}｜{g.item}：{g.text}")
    return "\n".join(lines)


def format_evaluation(e: Evaluation) -> str:
    """Per-class scores and the confusion matrix, labelled in Chinese."""
    width = max(len(y) for y in e.labels)
    lines = [f"{e.scheme}：样本 {e.n} 条，准确率 {e.accuracy:.3f}，宏平均 F1 {e.macro_f1:.3f}", ""]
    lines.append(f"{'类别'.ljust(width, '　')}　精确率　召回率　　F1　　样本数")
    for y in e.labels:
        c = e.per_class[y]
        lines.append(f"{y.ljust(width, '　')}　{c['precision']:.3f}　 {c['recall']:.3f}　 {c['f1']:.3f}　 {c['support']:>5}")
    lines += ["", "混淆矩阵（行：实际类别，列：预测类别，按上表顺序编号）："]
    lines.append("      " + "".join(f"{i + 1:>5}" for i in range(len(e.labels))))
    for i, (y, row) in enumerate(zip(e.labels, e.confusion)):
        lines.append(f"{i + 1:>2} {y[:6].ljust(6, '　')}" + "".join(f"{v:>5}" for v in row))
    return "\n".join(lines)

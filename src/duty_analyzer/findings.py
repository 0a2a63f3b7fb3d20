"""One list of findings from every source, in the shape of the review ledger (问题台账).

Overlaps, hotline hot spots, classified interview statements and 三定↔清单 gaps each become a `Finding`
with an id derived from what it is about (`topic`: kind and object, never the department set, so a merged
or removed department does not make a new finding; the workspace matches `scope` by overlap), the
departments concerned, short evidence a reviewer can find (file name and location, no local paths), and a
disposition proposed by rule.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from .classify import NINE_CATEGORIES
from .extract import Problem, where
from .hotline import HotlineAnalysis
from .mask import mask_name, mask_text
from .names import DepartmentIndex, short_name, split_place
from .overlaps import CROSS, OverlapReport

MANUAL = "人工补充"  # source of a finding a reviewer added to the ledger
STATUSES = ("待核实", "已确认", "不予采纳", "整改中", "已销号")
DISPOSITIONS = ("需被评估单位整改", "需编办关注解决", "纳入改革政策储备")
CATEGORIES = NINE_CATEGORIES

# Who acts on a problem of each category (Tianjin's three dispositions): the department itself, the
# staffing office, or the next reform.
DISPOSITION_BY_CATEGORY = {
    "部门职能不理顺": "纳入改革政策储备",
    "工作职责未明确": "需编办关注解决",
    "部门间职责边界不清": "需编办关注解决",
    "部门内部职责不理顺": "需被评估单位整改",
    "工作流程有待进一步优化": "需被评估单位整改",
    "议事协调机构协调配合不畅": "需编办关注解决",
    "基层管理体制机制不理顺": "纳入改革政策储备",
    "编制人员管理方面": "需编办关注解决",
    "机构编制违规违纪": "需被评估单位整改",
}


@dataclass
class Finding:
    id: str
    category: str
    description: str
    departments: list[str]
    evidence: str
    source: str
    confidence: float
    disposition: str
    topic: str = ""  # what the finding is about (kind｜object); ids and carry-over follow it
    scope: list[str] = field(default_factory=list)  # the members matched by overlap across runs
    aliases: list[str] = field(default_factory=list)  # ids earlier versions gave the same finding

    @property
    def key_text(self) -> str:
        return f"{self.category}｜{self.description}"


def _id(prefix: str, *parts: str) -> str:
    return prefix + "-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


def topic_id(prefix: str, topic: str) -> str:
    """The id a finding gets from its topic alone (the workspace disambiguates two findings on one topic)."""
    return _id(prefix, topic)


def source_name(path: str) -> str:
    """A file as a reviewer names it: its file name, never the local folder it sat in."""
    return PurePath(str(path).replace("\\", "/")).name if path else ""


def file_label(path: str) -> str:
    """A failed file as the summary lists it: its folder and name (tools/a.py), never the whole local path."""
    parts = PurePath(str(path).replace("\\", "/")).parts
    return "/".join(p for p in parts[-2:] if p not in ("/", "..", ".")) if parts else ""


def clip(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def proposed_disposition(category: str, source: str) -> str:
    if source == "职责交叉" and category == "部门间职责边界不清":
        return "需编办关注解决"
    return DISPOSITION_BY_CATEGORY.get(category, "需编办关注解决")


MAX_EVIDENCE_LINES = 5


def from_overlaps(report: OverlapReport) -> list[Finding]:
    out = []
    for o in report.overlaps:
        category = "部门间职责边界不清" if o.kind == CROSS else "部门内部职责不理顺"
        who = "、".join(short_name(d) for d in o.departments) if o.kind == CROSS else f"{short_name(o.departments[0])}（{'、'.join(o.units)}）"
        settled = f"；已有职责分工（{short_name(o.settled_by.department)}）" if o.settled_by else ("；三定未作职责分工" if o.kind == CROSS else "")
        lines = [
            f"{short_name(e.department)}{'·' + e.unit if e.unit else ''} {e.section}{e.item}：{clip(e.text)}〔{source_name(e.file)}〕"
            for e in o.evidence
        ]
        if len(lines) > MAX_EVIDENCE_LINES:
            lines = lines[:MAX_EVIDENCE_LINES] + [f"……另有 {len(lines) - MAX_EVIDENCE_LINES} 条（见 overlaps.json）"]
        if o.settled_by:
            lines.append(f"职责分工：{clip(o.settled_by.text)}〔{source_name(o.settled_by.file)}〕")
        prefix = "JC" if o.kind == CROSS else "NB"
        anchor = o.topic.split("、")[0]
        if o.kind == CROSS:
            topic, scope = f"{prefix}｜{o.topic}", list(o.departments)
        else:  # an internal overlap is about one department's object; its units are the scope
            topic, scope = f"{prefix}｜{o.departments[0]}｜{o.topic}", [f"{o.departments[0]}/{u}" for u in o.units]
        out.append(Finding(
            topic_id(prefix, f"{prefix}｜{o.departments[0] + '｜' if o.kind != CROSS else ''}{anchor}"), category,
            f"“{o.topic}”职责交叉：{who}{settled}。{o.why}", o.departments, "\n".join(lines),
            "职责交叉", round(min(1.0, o.score), 3), proposed_disposition(category, "职责交叉"),
            topic=topic, scope=scope, aliases=[o.id],
        ))
    for g in report.alignment:
        category = "部门职能不理顺" if g.kind.startswith("清单") else "工作职责未明确"
        closest = f"；最接近的对照：{clip(g.best_match, 60)}（相似度 {g.score:.2f}）" if g.best_match and g.score > 0 else "；没有相近的对照条目"
        topic = f"QD｜{g.kind}｜{g.text}"
        out.append(Finding(
            topic_id("QD", topic), category, f"{short_name(g.department)}：{g.kind}——{clip(g.text, 120)}",
            [g.department], f"{g.item}：{clip(g.text)}〔{source_name(g.file)}〕{closest}",
            "三定清单对照", round(1 - g.score, 3), proposed_disposition(category, "三定清单对照"),
            topic=topic, scope=[g.department], aliases=[_id("QD", g.department, g.kind, g.text)],
        ))
    return out


def from_hotline(summary: HotlineAnalysis, min_records: int = 2) -> list[Finding]:
    out = []
    for h in summary.ranked():
        if h.records < min_records:
            continue
        owners = "、".join(short_name(d) for d in sorted(h.owners)) or "无"
        bounced = "、".join(short_name(d) for d in sorted(h.bounced)) or "无"
        topic = f"RX｜{h.topic}"
        category = getattr(h, "category", "") or "部门间职责边界不清"
        out.append(Finding(
            topic_id("RX", topic), category,
            f"12345 退单争议热点“{h.topic}”：{h.records} 条工单，{len(h.bounced)} 个部门退单。{h.verdict}",
            sorted(h.bounced | h.owners), f"工单：{'、'.join(h.examples[:8])}；退单部门：{bounced}；三定涉及部门：{owners}"
            + (f"；关联职责交叉事项“{h.topic}”" if h.finding_id else ""),
            "热线争议", round(min(1.0, h.records / 10), 3), proposed_disposition(category, "热线争议"),
            topic=topic, scope=sorted(h.bounced | h.owners), aliases=[_id("RX", h.finding_id or h.topic)],
        ))
    return out


_FILE_NOISE = re.compile(r"^[\d_\-－.\s]+|(访谈|座谈|调研|走访|记录|纪要|小结|情况).*$")


class DepartmentFinder:
    """The corpus departments a piece of text names: a speaker's post (市住建局城市建设科科长), a file name
    (20260312_住建局城市建设科访谈记录) or a statement (城管局的三定里也写了…). Mentions are matched by the
    forms `names` knows (full name, name without place, short name) and confirmed with DepartmentIndex."""

    def __init__(self, departments: list[str]):
        self.index = DepartmentIndex(sorted(set(departments)))
        forms: dict[str, str] = {}
        for full in self.index.names:
            body = split_place(full)[1]
            for form in {full, body, short_name(full), "市" + short_name(full)}:
                if len(form) >= 3:
                    forms.setdefault(form, full)
        # Bare stems (住建、民政、城市管理) only when the sentence lists them as bodies: "住建、民政和街道",
        # "城市管理、市场监管等部门".
        stems: dict[str, str] = {}
        for full in self.index.names:
            for form in (short_name(full), split_place(full)[1]):
                stem = re.sub(r"(局|委员会|委|厅|办公室|办)$", "", form)
                if len(stem) >= 2 and stem != form:
                    stems.setdefault(stem, full)
        alternatives = [re.escape(f) for f in sorted(forms, key=len, reverse=True)]
        alternatives += [re.escape(f) + r"(?=[、，,和与及等]|部门)" for f in sorted(stems, key=len, reverse=True) if f not in forms]
        forms.update({k: v for k, v in stems.items() if k not in forms})
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None
        self.forms = forms

    def lead(self, text: str) -> list[str]:
        """The department a post or a file name belongs to (its leading words), if it is a corpus one."""
        text = _FILE_NOISE.sub("", text or "")
        if not text:
            return []
        found = self.index.resolve(text)
        if found:
            return [found]
        m = self.pattern.match(text) if self.pattern else None
        return [self.forms[m.group(0)]] if m and m.group(0) in self.forms else []

    def named(self, text: str) -> list[str]:
        if not self.pattern or not text:
            return []
        return list(dict.fromkeys(self.forms[m.group(0)] for m in self.pattern.finditer(text) if m.group(0) in self.forms))

    def for_statement(self, role: str, file: str, text: str) -> list[str]:
        """Speaker's department first, else the file's, then every department the statement names."""
        own = self.lead(role) or self.lead(PurePath(file).stem)
        return list(dict.fromkeys(own + self.named(text)))


UNNAMED = "（未点名部门）"  # 涉及部门 of a statement that names no department of the corpus
_POST = re.compile(r"(副?(?:科长|局长|主任|书记|站长|队长|支队长|组长|处长|部长)|负责人|同志|干部|工作人员|代表)+$")
_UNIT = re.compile(r".{2,18}(街道|镇|乡|局|委|办|中心|站|所|队|科|室)$")


def own_unit(role: str, file: str) -> str:
    """The body a speaker or a file belongs to when it is not a corpus department (云城区城管局, 柳塘街道桃源镇)."""
    for text in (_POST.sub("", role or ""), _FILE_NOISE.sub("", PurePath(file).stem)):
        if _UNIT.fullmatch(text):
            return text
    return ""


def from_problems(problems: list[Problem], mask: bool = True, departments: list[str] | None = None) -> list[Finding]:
    finder = DepartmentFinder(departments or [])
    out = []
    for p in problems:
        text = mask_text(p.text, [p.speaker]) if mask else p.text
        who = (mask_name(p.speaker) if mask else p.speaker) or ""
        role = (mask_text(p.role, [p.speaker]) if mask else p.role) or ""
        speaker = "、".join(x for x in (role, who) if x)
        concerned = finder.for_statement(p.role, p.file, p.text)
        if not concerned:
            concerned = [own_unit(role, p.file) or UNNAMED]
        # the id comes from the statement as said; the stored topic is the masked text, like every other field
        topic = f"FT｜{text}"
        out.append(Finding(
            topic_id("FT", f"FT｜{p.text}"), p.prediction.label, text, concerned,
            f"{source_name(p.file)} {where(p.location)}{'（' + speaker + '）' if speaker else ''}；次选：{p.prediction.runner_up}"
            f"（{p.prediction.runner_up_confidence:.0%}）{'；需复核' if p.prediction.needs_review else ''}",
            "访谈记录", p.prediction.confidence, proposed_disposition(p.prediction.label, "访谈记录"),
            topic=topic, scope=concerned, aliases=[_id("FT", p.file, p.text)],
        ))
    return out


def collect(overlaps: OverlapReport, hotline: HotlineAnalysis | None, problems: list[Problem], mask: bool = True,
            departments: list[str] | None = None) -> list[Finding]:
    # Order of importance for the ledger and the report: unsettled overlaps first (their report order), then
    # hot spots, then settled overlaps, 三定↔清单 gaps and interview statements.
    overlap_findings = from_overlaps(overlaps)
    settled = {o.id for o in overlaps.overlaps if o.settled}
    first = [f for f in overlap_findings if f.source == "职责交叉" and f.aliases[0] not in settled]
    later = [f for f in overlap_findings if f not in first]
    findings = first + (from_hotline(hotline) if hotline else []) + later + from_problems(problems, mask, departments)
    return unique_ids(findings)


def unique_ids(findings: list[Finding]) -> list[Finding]:
    """Two findings on one topic (two separate groups of departments around one object, one sentence said
    in two files) keep distinct ids: the later one's id also covers its scope. Exact repeats are dropped."""
    seen: dict[str, Finding] = {}
    for f in findings:
        if f.id in seen:
            if (seen[f.id].topic, seen[f.id].scope, seen[f.id].evidence) == (f.topic, f.scope, f.evidence):
                continue
            prefix = f.id.split("-", 1)[0]
            f.id = _id(prefix, f.topic, *sorted(f.scope))
            n = 2
            while f.id in seen:
                f.id, n = f"{_id(prefix, f.topic, *sorted(f.scope))}-{n}", n + 1
        seen[f.id] = f
    return list(seen.values())

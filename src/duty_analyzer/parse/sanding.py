"""三定 regulations: title → department; sections → duty items, internal units, staffing, 职责分工.

Real documents number their parts in several ways (第三条 / 二、 / a bare heading line; items （一）,
1., (1)); the parser walks paragraphs once, tracking the current section, and reports every paragraph
it cannot place instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Department, DivisionClause, DutyItem, LeaderPost, ParsedFile, Staffing, UnrecognizedText
from ..names import short_name
from ..text import chinese_number
from .layout import restructure
from .sources import Line, TextDocument

MAIN, UNITS, STAFF, OTHER, SHIFT, AFFILIATED, ANNEX, GENERAL = (
    "主要职责", "内设机构", "人员编制", "其他事项", "职能转变", "所属事业单位", "附则", "总则",
)
# 2008–2013 layout (一、职责调整 / 二、主要职责 / …): duties moved in or out, kept as their own section.
ADJUST = "职责调整"

_CN = "一二三四五六七八九十百零〇"
ARTICLE = re.compile(rf"^第[{_CN}]+[条條]\s*")
CN_SECTION = re.compile(rf"^[{_CN}]+、\s*")
ITEM = re.compile(
    rf"^(（[{_CN}]+）|\([{_CN}]+\)|（\d+）|\(\d+\)|\d+[\.．、](?!\d)|[①-⑳])\s*"
)
TITLE = re.compile(
    r"^《?(.+?)(?:职能配置、?内设机构和人员编制规定|职能配置|主要职责、?内设机构和人员编制规定|机构职能编制规定)"
)
UNIT_NAME = re.compile(r"^([\u4e00-\u9fa5（）()、]{2,24}?)[。：:]\s*")
UNIT_SUFFIX = re.compile(r"(科|处|室|股|队|中心|办|部|委|局|所|站|组|馆|院|会|司|厅)[）)]?$")
# "XX是县政府工作部门" / "XX是国务院直属机构" / "XX是自然资源部管理的国家局" (第二条), and the 2008 form
# "设立环境保护部，为国务院组成部门": the department when the copy has no title.
_NATURE = r"(?:工作部门|组成部门|直属机构|直属特设机构|办事机构|国家局|派出机构|部门管理机构|工作机关|职能部门|工作机构|议事协调机构)"
DEPARTMENT_IS = re.compile(rf"(?:^|[。；])\s*(?:第[二2][条條]\s*)?([^\s，,。；：:、（）()《》“”]{{2,40}}?)是[^。]{{0,40}}?{_NATURE}")
DEPARTMENT_SET_UP = re.compile(rf"(?:设立|组建)([^\s，,。；：:、（）()《》]{{2,40}}?)[，,]\s*(?:为|是)[^。]{{0,20}}?{_NATURE}")
_STEM_TAIL = re.compile(r"[-_－—（(【\[\s.].*$|(?:三定规定|三定|职能配置.*|主要职责.*|规定)$")
DIVISION = re.compile(r"^(?:关于)?与(.{2,80}?)(?:之间)?的?(?:有关|相关)?职责分工[。：:，,]?\s*")
RANK = re.compile(r"([正副])(部|厅|局|处|科|股)(?:[（(][部厅局处科]?[）)])?级")
_COUNTERPART_SPLIT = re.compile(r"[、，,]|以及|及")

_CLOSING = re.compile(r"^(?:所属)?事业单位|^本规定|^机关后勤|^离退休")
_OTHER_BOILERPLATE = re.compile(r"事业单位|本规定|解释|编制|其他事项")


def label_family(label: str) -> str:
    """'（一）' and '（二）' are one family, '1.' another: a change of family means a sub-level."""
    if not label:
        return ""
    if label[0] in "（(":
        return "paren-" + ("num" if label[1].isdigit() else "cn")
    if label[0].isdigit():
        return "num"
    return "other"


# Headings that open a section, checked in this order (第一条 mentions 内设机构和人员编制 in the title it cites).
_SECTION_KEYWORDS: list[tuple[str, str]] = [
    (r"制定本规定", GENERAL),
    (rf"^(?:[{_CN}]+、\s*)?职责调整", ADJUST),
    (r"主要职责|职责是", MAIN),
    (r"内设机构|设下列", UNITS),
    (r"编制|领导职数", STAFF),
    (r"职责分工|其他事项", OTHER),
    (r"事业单位", AFFILIATED),
    (r"附则|解释|施行|调整由", ANNEX),
    (r"职能转变", SHIFT),
]
_BARE_HEADING_MAX = 12


def section_of(text: str) -> str | None:
    for pattern, section in _SECTION_KEYWORDS:
        if re.search(pattern, text):
            return section
    return None


@dataclass
class _State:
    path: str
    department: str = ""
    section: str = ""
    out: ParsedFile | None = None
    staffing_lines: list[Line] = field(default_factory=list)
    division: DivisionClause | None = None


def parse_sanding(doc: TextDocument) -> ParsedFile:
    out = ParsedFile(path=doc.path, kind="sanding", notes=list(doc.notes))
    state = _State(path=doc.path, out=out)
    lines = restructure(doc.raw or doc.lines)
    state.department = _department_name(lines, doc.path, out)
    level = ""
    for line in lines:
        level = level or _rank(line.text, state.department)
        _consume(state, line)
    out.departments.append(
        Department(name=state.department, short_name=short_name(state.department), level=level, source_file=doc.path)
    )
    if state.staffing_lines:
        out.staffing.append(_staffing(state.department, state.staffing_lines))
    for kind, section in (("主要职责条目", MAIN), ("内设机构", UNITS)):
        if not any(d.section == section for d in out.duties):
            out.notes.append(f"未识别到{kind}")
    if not out.staffing:
        out.notes.append("未识别到人员编制")
    return out


def department_from_title(lines: list[Line]) -> str | None:
    """The department named in the title; PDFs may break the title over two lines. An article
    ("第一条 为规范XX的职能配置……") is never a title."""
    head = [l.text.replace(" ", "") for l in lines[:8]]
    pairs = [a + b for a, b in zip(head, head[1:])]
    for candidate in head + pairs:
        if ARTICLE.match(candidate):
            continue
        m = TITLE.match(candidate)
        if m:
            name = re.sub(r"^.*关于印发", "", m.group(1)).strip("《》")
            if 2 <= len(name) <= 40 and not re.search(r"[，,。；：:（(]|第[{_CN}]+[条條]".format(_CN=_CN), name):
                return name
    return None


def department_from_body(lines: list[Line]) -> str | None:
    """The department a title-less copy names in 第二条 ("XX是…工作部门") or in its opening sentence
    ("设立XX，为国务院组成部门")."""
    for line in lines[:12]:
        for pattern in (DEPARTMENT_IS, DEPARTMENT_SET_UP):
            m = pattern.search(line.text[:2000])  # bounded: a hostile file may be one huge line
            if m and not m.group(1).startswith(("本", "该", "其")):
                return m.group(1)
    return None


def department_from_file_name(path: str) -> str:
    stem = Path(path).stem
    name = _STEM_TAIL.sub("", stem)
    return name or stem


def _department_name(lines: list[Line], path: str, out: ParsedFile) -> str:
    name = department_from_title(lines)
    if name:
        return name
    name = department_from_body(lines)
    if name:
        out.notes.append("文中没有标题，部门名称取自正文（第二条或开头的机构设置句）")
        return name
    out.notes.append("未找到标题或第二条中的部门名称，暂用文件名")
    return department_from_file_name(path)


def _rank(text: str, department: str) -> str:
    m = RANK.search(text)
    if m and ("为" in text or "规格" in text) and (
        re.search(_NATURE, text) or "机构" in text or department[-3:] in text or "规格" in text
    ):
        return m.group(1) + m.group(2) + "级"
    return ""


def _consume(state: _State, line: Line) -> None:
    text = line.text
    out = state.out
    # A heading: article, Chinese-numeral section, or a bare short line naming a section.
    m = ARTICLE.match(text) or CN_SECTION.match(text)
    bare = len(text) <= _BARE_HEADING_MAX and not ITEM.match(text) and not re.search(r"[。；]", text)
    if m or (bare and section_of(text)):
        body = text[m.end():] if m else ""
        heading = text[: m.end()] if m else text
        new = section_of(text if m else heading)
        if m and ARTICLE.match(text) and new is None:
            new = GENERAL
        if new is not None:
            state.section = new
            state.division = None
            if new in (STAFF, SHIFT, OTHER) and len(body) > _BARE_HEADING_MAX:
                _in_section(state, Line(body, line.location), label="")
            elif new == UNITS and len(body) > _BARE_HEADING_MAX:
                for piece in split_units(body)[1:]:  # the first piece is the lead-in "……设下列内设机构："
                    _in_section(state, Line(piece, line.location), label="")
            return
        if m and CN_SECTION.match(text):
            out.unrecognized.append(UnrecognizedText(text, line.location, "无法识别的章节标题"))
            return
    if not state.section:
        return  # title block, 印发 notice, dates: nothing to extract before the first section
    item = ITEM.match(text)
    label = item.group(1) if item else ""
    body = text[item.end():] if item else text
    if state.section == UNITS and not label:
        for piece in split_units(body):
            _in_section(state, Line(piece, line.location), label)
        return
    _in_section(state, Line(body, line.location), label)


_DUTY_VERB = re.compile(r"^(?:负责|承担|指导|组织|拟订|协调|参与|监督|管理|推进|开展|落实|完成|做好|牵头|统筹|会同|加强|建立|健全|配合|实施|执行|贯彻|依法|按照|根据|对|向|与|在|其)")


def split_units(text: str) -> list[str]:
    """Units run together without labels ("…：办公室。负责……。财务股。负责……") → one text per unit; a unit is a
    short name with a unit suffix, after a sentence end, followed by "。"."""
    cuts = [0]
    for m in re.finditer(r"(?<=[。：:；;])\s?([\u4e00-\u9fa5（）()、]{2,16}?)。", text):
        name = m.group(1)
        if UNIT_SUFFIX.search(name) and not _DUTY_VERB.match(name) and m.start(1) > cuts[-1]:
            cuts.append(m.start(1))
    if len(cuts) == 1:
        return [text]
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)]) if text[a:b].strip()]


def _in_section(state: _State, line: Line, label: str) -> None:
    out, text, dept = state.out, line.text, state.department
    section = state.section
    if section == MAIN and (DIVISION.match(text) or re.match(r"^(?:有关)?职责分工[。：:]?$", text)):
        # National-style 三定 put “（二十一）与XX部的有关职责分工。” among the 主要职责 items.
        state.section = OTHER
        if DIVISION.match(text):
            _in_section(state, line, label)
        return
    if section == MAIN:
        if label:
            out.duties.append(DutyItem(dept, MAIN, label, text, line.location))
        elif text.startswith("职能转变"):
            out.duties.append(DutyItem(dept, SHIFT, "", text, line.location))
        elif text.endswith(("：", ":")) or "主要职责" in text:
            pass  # the lead-in sentence: "……主要职责是："
        elif out.duties and out.duties[-1].section == MAIN and out.duties[-1].location.file == line.location.file:
            out.duties[-1].text += text  # a continuation paragraph of the previous item
        else:
            out.unrecognized.append(UnrecognizedText(text, line.location, "主要职责部分无法识别的段落"))
    elif section == ADJUST:
        if label:
            out.duties.append(DutyItem(dept, ADJUST, label, text, line.location))
        elif text.endswith(("：", ":")):
            pass
        elif out.duties and out.duties[-1].section == ADJUST:
            out.duties[-1].text += text
        else:
            out.unrecognized.append(UnrecognizedText(text, line.location, "职责调整部分无法识别的段落"))
    elif section == SHIFT:
        if text.endswith(("：", ":")) and len(text) < 40:
            return
        out.duties.append(DutyItem(dept, SHIFT, label, text, line.location))
    elif section == UNITS:
        m = UNIT_NAME.match(text)
        if m and UNIT_SUFFIX.search(m.group(1)):
            out.duties.append(DutyItem(dept, UNITS, label, text[m.end():], line.location, unit=m.group(1)))
        elif text.endswith(("：", ":")) or "设下列" in text or "内设机构" in text:
            pass
        elif out.duties and out.duties[-1].section == UNITS and out.duties[-1].location == line.location:
            out.duties[-1].text += text  # the rest of a unit's paragraph that layout recovery split off
        else:
            out.unrecognized.append(UnrecognizedText(text, line.location, "内设机构部分无法识别的段落（找不到机构名称）"))
    elif section == STAFF:
        state.staffing_lines.append(line)
    elif section == OTHER:
        m = DIVISION.match(text)
        open_clause = state.division
        if m:
            counterparts = [c.strip() for c in _COUNTERPART_SPLIT.split(m.group(1)) if c.strip()]
            state.division = DivisionClause(dept, counterparts, text, line.location, label)
            out.divisions.append(state.division)
        elif _CLOSING.match(text):
            state.division = None
        elif open_clause is not None and (not label or label_family(label) != label_family(open_clause.label)):
            # Sub-points ("1.市农业农村局负责……") under a "（一）与……的职责分工。" heading.
            open_clause.text += "\n" + (label + text if label else text)
        elif _OTHER_BOILERPLATE.search(text):
            state.division = None
        else:
            state.division = None
            out.unrecognized.append(UnrecognizedText(text, line.location, "其他事项部分无法识别的段落"))
    # GENERAL, AFFILIATED, ANNEX: recognised, nothing to extract.


_STAFF_COUNT = re.compile(
    r"((?:机关)?(?:行政|事业|政法专项|工勤|参照公务员法管理事业|参公事业)编制)\s*(?:数|为|共|核定为|核定|总数为)?\s*"
    r"([\d０-９一二三四五六七八九十百两]+)\s*名"
)
_LEADER = re.compile(r"^(?:设|其中|另设|另核定|核定)?\s*([\u4e00-\u9fa5]{2,20}?)\s*([\d一二三四五六七八九十两]+)\s*名")


def _staffing(department: str, lines: list[Line]) -> Staffing:
    text = "".join(l.text for l in lines)
    counts: dict[str, int] = {}
    for kind, number in _STAFF_COUNT.findall(text):
        key = kind.removeprefix("机关")
        value = chinese_number(number)
        if value is not None:
            counts[key] = counts.get(key, 0) + value
    leaders: list[LeaderPost] = []
    plain = re.sub(r"[（(][^）)]*[）)]", "", text)
    for clause in re.split(r"[，,；;。、]", plain):
        clause = clause.strip()
        if not clause or "编制" in clause and "领导职数" not in clause:
            continue
        m = _LEADER.match(clause)
        if m:
            count = chinese_number(m.group(2))
            if count is not None:
                leaders.append(LeaderPost(re.sub(r"^(?:领导职数)?设?", "", m.group(1)), count))
    return Staffing(department, counts, leaders, text, lines[0].location)

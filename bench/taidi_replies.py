"""Real message → handling-unit pairs from the 2020 泰迪杯 C题 附件4 replies, and how well text predicts the unit type.

    .venv/bin/python bench/taidi_replies.py [DATA_DIR]

DATA_DIR defaults to ../shared/data/taidi2020c relative to the repo root (see its SOURCE.md). The 2,816
messages of fujian4_2816_replies.xlsx come with the government's 答复意见; the reply often names the unit
that handled the message (a signature before the date, "A3区住建局高度重视…", "经X调查", "已转交X办理",
"建议您向X反映"). This script extracts that unit with transparent regex rules, normalises the anonymised
place codes (A市, A3区, 西地省, K10县…) so that A3区教育局 and A市教育局 share the unit type 教育局, prints
coverage and random examples for a precision check, then measures routing: a tf-idf + LinearSVC on the
message text predicting the unit type (5-fold stratified). Writes nothing but stdout.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from duty_analyzer.names import abbreviations  # noqa: E402  (read-only use of the shipped short-name table)

# --------------------------------------------------------------------------------------------------
# Unit names
# --------------------------------------------------------------------------------------------------

# Anonymised place codes: 西地省, A市, A3区, K10县, A8县市 (county-level city); optionally chained (A市A3区).
PLACE = r"(?:西地省|[A-Z]\d{0,2}(?:县市|市|县|区))"
PLACE_RE = re.compile(PLACE)
HAN = r"[\u4e00-\u9fa5]"
# Suffixes that end a unit name. Longer ones first so the regex prefers them.
SUFFIX = (
    r"(?:街道办事处|人民政府|委员会|管委会|居委会|村委会|办公室|管理处|管理站|管理所|服务中心|中心|"
    r"办事处|分局|局|委|办|政府|公司|大队|支队|中队|(?:派出|国土|司法|财政|林业|水利|农机|动监|规划|房管|供电|税务)所|医院|学院|学校|中学|小学|幼儿园|街道|厅|"
    r"镇|乡|社区)"
)
UNIT_TAIL = re.compile(SUFFIX + r"$")
# Words that make a "unit" generic or a self-reference rather than a name.
GENERIC = re.compile(r"^(?:我|本|该|贵|各|有关|相关|上级|当地|职能|主管|我们|你|您|其|此)")
# Forwarding hubs of the message board: they pass the message on, they do not handle it.
HUB = re.compile(r"电子政务|网络|网宣|网信办|信访|督查室|督察室|政务服务中心|问政|热线|市长|书记|督办")
PUNCT = "，。！？!?：:；;、,．.“”\"‘’'（）()《》〈〉【】[]…—\n\t "
LEAD_WORDS = re.compile(
    r"^(?:经过?(?!开|济)|由|现|并|已|对此|据|根据|通过|联合|会同|请|到|及时|立即|迅速|同时|其中|目前|"
    r"按照|针对|为此|随即|当即|第一时间|首先|特别是|此外|另外|接到|收到|转交至|转交|转至|转给|转由|转(?!运)|交由|交办|"
    r"责成|要求|指派|委派|督促|严格按照|直接|您|你|故|因此|所以|则)+"
)


def clean(text: object) -> str:
    return re.sub(r"\s+", "", str(text).replace("_x000D_", ""))


def clean_reply(text: object) -> str:
    """clean() plus two normalisations: quoted citizen text is blanked, and a township's or district's
    "X镇党委、政府" / "I1区委、区人民政府" (party committee and government answering together) → "X镇人民政府" /
    "I1区人民政府"."""
    text = clean(text)
    # Quoted spans are the citizen's title or words ("您反映的“X小学组织学生订购牛奶”"), not the replier.
    text = re.sub(r"“[^“”]{6,80}”|《[^《》]{6,80}》", "“”", text)
    text = re.sub(r"(镇|乡)党委[、，,和及]?(?:镇|乡)?(?:人民)?政府", r"\1人民政府", text)
    text = re.sub(r"(市|县|区)委[、，,和及]?\1(?:人民)?政府", r"\1人民政府", text)
    return re.sub(rf"({PLACE})委[、，,和及](?:市|县|区)?(?:人民)?政府", r"\1人民政府", text)


def trim_unit(chunk: str) -> str | None:
    """A chunk that ends where a unit name should end → the unit name, or None. A bare place code
    ("A5区高度重视") stands for that place's government."""
    bare = re.fullmatch(rf"(?:{LEAD_WORDS.pattern[1:]})?((?:中共)?{PLACE}+)(?:县|市|区)?(委|人民政府|政府)?", chunk)
    if bare:
        return bare.group(1) + (bare.group(2) or "")
    if not UNIT_TAIL.search(chunk):
        return None
    m = PLACE_RE.search(chunk)
    if m and m.start() > 0:
        # Start at the first place code ("经A3区住建局" → "A3区住建局"), but keep 中共 / 西地省 before it.
        start = m.start()
        if re.search(r"(?:责令|责成|督促|要求|与|和|向|对|及)$", chunk[:start]):
            return None  # the place-coded unit is the object ("我中心责令L5县X公司整改"), not the speaker
        if chunk[:start].endswith("中共"):
            start -= 2
        chunk = chunk[start:]
    elif not m:
        chunk = LEAD_WORDS.sub("", chunk)
    if len(chunk) < 2 or len(chunk) > 22 or GENERIC.search(chunk) or re.search(r"我|或|与|及|^[向和同]", chunk):
        return None  # self-references, several units, or someone the speaker merely consulted ("经向X核实")
    body = re.sub(rf"^(?:中共)?{PLACE}+", "", chunk)
    if not body:
        return None
    if re.search(r"[0-9a-z年月日号的了是在对为将把被向给]|落实|有待|按照|认真|流程|建议|成立|们|责成|责令|已|没有|和(?:省|市|县|区|[A-Z])", body):  # sentence material
        return None
    if re.fullmatch(r"(?:省|市|县|区)?(?:镇|乡|街道|社区|中心|局|委|办|大队|中队|支队|分局|公司|医院|学校|厅|政府|人民政府|"
                 r"派出所|管理局|办公室)", body):
        return None  # "市局", "大队", "公司" without a name: too generic to type
    return chunk


# Cue patterns. Each captures the text where a unit name may sit; trim_unit decides whether it is one.
DATE = r"(?:\d{4}|二[〇○零OＯ0][一二三四五六七八九〇○零十]{2})年[\d一二三四五六七八九十〇○零]{1,3}月[\d一二三四五六七八九十〇○零]{1,3}日"
_CHUNK = rf"([^{re.escape(PUNCT)}]{{2,30}}?)"
_START = rf"(?:^|[{re.escape(PUNCT.replace('、', ''))}])"  # a list item after 、 is one of several units: skip
RULES: list[tuple[str, re.Pattern]] = [
    # 1. Signature: the unit right before the reply date (or at the very end of the reply).
    ("signature", re.compile(rf"{_START}{_CHUNK}(?={DATE})")),
    ("signature", re.compile(rf"{_START}{_CHUNK}$")),
    # 2. The unit speaks about itself: "A3区住建局高度重视", "经A7县城管局调查", "X现将…回复如下".
    ("self", re.compile(
        rf"{_START}{_CHUNK}(?=(?:对此|对该问题|对您反映的问题|对此事|)?(?:予以|非常|十分|)?(?:高度重视|十分重视|非常重视|接到|收到|收悉|"
        r"立即|迅速|随即|及时|第一时间|组织(?!部)|派员|安排|经(?:过)?(?:调查|核实|核查|查|了解)|调查|核实|核查|现将|现就|"
        r"回复如下|答复如下|就此|特此|工作人员|执法人员|相关负责人|分管领导|主要领导|领导|派专人|派人))")),
    ("self", re.compile(rf"经(?:过)?{_CHUNK}(?=(?:工作人员|执法人员|分管领导|相关负责人|(?:分管)?领导(?:与|和)工作人员)?"
                rf"(?:对[^{re.escape(PUNCT)}]{{1,20}}?)?(?:调查|核实|核查|现场|实地|了解|研究|查明|查实))")),
    # 3. Forwarded: "已转交X办理", "转X调查核处".
    ("forwarded", re.compile(
        rf"(?:转交至|转交|转至|转给|转送|转由|交由|转)(?:给)?{_CHUNK}(?=(?:进行)?(?:办理|办复|调查|处理|核处|核实|核查|回复|答复|落实|解决|处置|跟进|负责))")),
    ("forwarded", re.compile(rf"(?:转交至|转交|转至|转给|转送|交由|责成){_CHUNK}(?=[，。！,;；]|$)")),
    # 4. Referral: "建议您向X反映", "请到X咨询" – the replying body names the competent unit.
    ("referral", re.compile(
        rf"(?<![经已曾据])(?:向|到|与|咨询|联系|致电|前往|找)(?:当地)?{_CHUNK}(?=(?:相关科室|窗口|办公室)?(?:反映|咨询|申请|办理|联系|投诉|举报|反应|了解|查询|申报|报名|求助))")),
]
# 5. Weakest cue, type only: the closing thanks names the sector of the replying body
#    ("感谢您对K市公安工作的监督与支持", "对我县民政工作的关心"). Used only when the reply also speaks as
#    "我局/我委/我队/我们" and no named unit was found.
SECTOR_TYPES = [
    (r"交警|交通管理|交管|公安", "公安局"), (r"教育", "教育局"), (r"民政", "民政局"),
    (r"城管|城市管理|行政执法", "城管局"), (r"卫计|卫生计生|卫生健康|卫健", "卫健委"),
    (r"人社|人力资源|社保|社会保障|劳动保障|就业", "人社局"), (r"住房保障|房产", "住房保障/房产局"),
    (r"公积金", "住房公积金中心"), (r"国土|自然资源", "自然资源局"), (r"环保|环境保护|生态环境", "生态环境局"),
    (r"交通运输|公路|运管|交通", "交通运输局"), (r"医保|医疗保障", "医保局"), (r"规划", "规划局"),
    (r"住建|住房和城乡建设|城乡建设", "住建局"), (r"市场监管|工商|食品药品", "市场监管局"),
]
THANKS = re.compile(rf"感谢(?:您|你)?对({PLACE}*)(?:我(?:县|市|区|局|们))?([\u4e00-\u9fa5]{{2,8}}?)(?:工作|事业)")
SELF_REF = re.compile(r"我(?:局|委|队|大队|支队|中心|们)")


def sector_unit(text: str) -> tuple[str, str] | None:
    if not SELF_REF.search(text):
        return None
    for m in THANKS.finditer(text):
        for pat, typ in SECTOR_TYPES:
            if re.fullmatch(rf"(?:{pat})[\u4e00-\u9fa5]{{0,3}}", m.group(2)):
                return (m.group(1) + typ if m.group(1) else typ), m.group(0)
    return None


RULE_ORDER = {"signature": 0, "self": 1, "forwarded": 2, "referral": 3, "thanks": 4}


def extract_unit(reply: str) -> tuple[str, str, str] | None:
    """(unit, rule, snippet) for a reply, or None. Earlier rules win; within a rule the last hit wins for
    signatures (the end of the reply) and the first hit otherwise."""
    text = clean_reply(reply)
    for rule in ("signature", "self", "forwarded", "referral"):
        hits = []
        for name, pat in RULES:
            if name != rule:
                continue
            for m in pat.finditer(text):
                unit = trim_unit(m.group(1))
                if unit and not HUB.search(unit):
                    lo, hi = max(0, m.start(1) - 15), min(len(text), m.end(1) + 15)
                    hits.append((m.start(1), unit, text[lo:hi]))
        if hits:
            hits.sort()
            pos, unit, snip = hits[-1] if rule == "signature" else hits[0]
            return unit, rule, snip
    sector = sector_unit(text)
    if sector:
        return sector[0], "thanks", sector[1]
    return None


# --------------------------------------------------------------------------------------------------
# Unit types
# --------------------------------------------------------------------------------------------------

# Local synonym table on top of duty_analyzer's abbreviations (full → short). Merges names used before and
# after the 2018-19 机构改革 (工商局 → 市场监管局, 卫计委 → 卫健委, 国土资源局 → 自然资源局, 环保局 → 生态环境局).
TYPE_SYNONYMS = {
    "住房和城乡建设局": "住建局", "住房城乡建设局": "住建局", "城乡建设局": "住建局", "建设局": "住建局",
    "住房和城乡建设委员会": "住建局", "住建委": "住建局",
    "人力资源和社会保障局": "人社局", "人力资源社会保障局": "人社局", "人社局": "人社局",
    "卫生和计划生育委员会": "卫健委", "卫生计生委": "卫健委", "卫计委": "卫健委", "卫计局": "卫健委",
    "卫生和计划生育局": "卫健委", "卫生计生局": "卫健委", "卫生局": "卫健委", "卫生健康委员会": "卫健委",
    "卫生健康委": "卫健委", "卫健委": "卫健委", "卫健局": "卫健委", "卫生健康局": "卫健委",
    "城市管理和行政执法局": "城管局", "城市管理局": "城管局", "城管执法局": "城管局", "城管局": "城管局",
    "城市管理综合执法局": "城管局", "城市管理行政执法局": "城管局", "城乡建设行政执法大队": "城管局",
    "城市管理和综合执法局": "城管局", "城管综合执法局": "城管局", "城管办": "城管局",
    "国土资源局": "自然资源局", "国土局": "自然资源局", "自然资源和规划局": "自然资源局", "自然资源局": "自然资源局",
    "城乡规划局": "规划局", "规划局": "规划局", "城乡规划管理局": "规划局",
    "环境保护局": "生态环境局", "环保局": "生态环境局", "生态环境局": "生态环境局",
    "市场监督管理局": "市场监管局", "市场监管局": "市场监管局", "工商行政管理局": "市场监管局", "工商局": "市场监管局",
    "食品药品监督管理局": "市场监管局", "食药监局": "市场监管局", "质量技术监督局": "市场监管局", "质监局": "市场监管局",
    "交通运输局": "交通运输局", "交通局": "交通运输局",
    "发展和改革委员会": "发改委", "发展改革委": "发改委", "发改委": "发改委", "发改局": "发改委", "发展和改革局": "发改委",
    "教育局": "教育局", "教育体育局": "教育局", "教体局": "教育局", "教育厅": "教育厅",
    "医疗保障局": "医保局", "医保局": "医保局", "城乡居民医疗保险服务中心": "医保局", "医疗保险服务中心": "医保局",
    "医疗保险管理服务中心": "医保局", "社会医疗保险管理服务中心": "医保局", "医保中心": "医保局",
    "城乡居民医保中心": "医保局", "农业局": "农业农村局", "农业农村局": "农业农村局", "农委": "农业农村局",
    "国土所": "自然资源局", "住保局": "住房保障/房产局", "房屋交易管理中心": "住房保障/房产局",
    "住房保障局": "住房保障/房产局", "住房保障服务中心": "住房保障/房产局", "房产局": "住房保障/房产局",
    "房地产管理局": "住房保障/房产局", "房产管理局": "住房保障/房产局", "住房保障和房产管理局": "住房保障/房产局",
    "住房公积金管理中心": "住房公积金中心", "公积金管理中心": "住房公积金中心",
    "文化广电旅游局": "文旅局", "文化旅游广电局": "文旅局", "文化和旅游局": "文旅局", "旅游局": "文旅局",
    "文化广电新闻出版局": "文旅局", "文广新局": "文旅局", "文体广新局": "文旅局", "文化体育广播电视局": "文旅局",
    "文体广电局": "文旅局", "文广局": "文旅局", "文旅广电局": "文旅局", "医保办": "医保局",
    "公安局": "公安局", "公安分局": "公安局", "公安厅": "公安厅",
    "税务局": "税务局", "国家税务局": "税务局", "地方税务局": "税务局", "地税局": "税务局", "国税局": "税务局",
}
# Sub-units that belong to a parent type when the parent is not named ("交警大队" → 公安局).
SUBUNIT_TYPES = [
    (re.compile(r"交警|交通警察|派出所|公安"), "公安局"),
    (re.compile(r"劳动保障监察|社保|社会保险|就业"), "人社局"),
    (re.compile(r"城管|行政执法|执法大队|拆违"), "城管局"),
    (re.compile(r"国土所|国土资源所"), "自然资源局"),
    (re.compile(r"街道"), "街道办事处"),  # 街道物业办, 街道城建办: offices of the sub-district
    (re.compile(r"(?:镇|乡).{1,4}(?:办|站|所)$"), "乡镇人民政府"),  # 镇综治办, 沙田镇规建办
    (re.compile(r"公路|运管|运输管理|客运"), "交通运输局"),
]
# Level bodies: named places below the county, and generic governments.
LEVEL_TYPES = [
    (re.compile(r"(?:街道办事处|街道办|街道)$"), "街道办事处"),
    (re.compile(r"(?:镇|乡)(?:人民政府|政府)?$"), "乡镇人民政府"),
    (re.compile(r"(?:社区|居委会|社区居委会)$"), "社区居委会"),
    (re.compile(r"村(?:委会|民委员会)?$"), "村委会"),
    (re.compile(r"(?:医院|卫生院|保健院)$"), "医院"),
    (re.compile(r"(?:学校|中学|小学|学院|大学|幼儿园)$"), "学校"),
    (re.compile(r"(?:供电|电力).*(?:公司|局)$"), "供电公司"),
    (re.compile(r"(?:自来水|水务|水业|供水).*(?:公司|集团)$"), "供水公司"),
    (re.compile(r"(?:公交|巴士).*(?:公司|集团)$"), "公交公司"),
    (re.compile(r"(?:燃气|天然气).*(?:公司|集团)$"), "燃气公司"),
    (re.compile(r"(?:移动|电信|联通|通信).*(?:公司|集团)$"), "通信运营商"),
    (re.compile(r"物业.*公司$"), "物业公司"),
    (re.compile(r"(?:公司|集团)$"), "其他企业"),
    (re.compile(r"(?:管委会|管理委员会)$"), "园区管委会"),
]
_SHORT = {**abbreviations(), **{v: v for v in abbreviations().values()}}


def unit_type(unit: str) -> str:
    """Exact unit → unit type: drop 中共 and place codes, then map the department core to a short type."""
    name = unit.removeprefix("中共")
    places = re.match(rf"^{PLACE}+", name)
    level = places.group(0)[-1] if places else ""
    body = name[places.end():] if places else name
    gov = re.fullmatch(r"(省|市|县|区)?(?:人民)?政府", body) if body else None
    if not body or gov:
        return f"{level or (gov.group(1) if gov and gov.group(1) else '?')}人民政府"
    if body.startswith("委") or body.startswith(("市委", "县委", "区委", "省委")):
        return "党委部门"
    if body[:1] in "省市县区" and len(body) > 3 and not body.startswith("市场"):
        body = body[1:]
    # A department followed by one of its own units ("公安局交警大队", "交通运输局公路管理站"): take the department.
    m = re.match(rf"^({HAN}{{1,14}}?(?:局|委员会|委))(?={HAN}{{2,}})", body)
    if m and (m.group(1) in TYPE_SYNONYMS or m.group(1) in _SHORT):
        body = m.group(1)
    if body.endswith("分局") and body[:-2] + "局" in TYPE_SYNONYMS:  # 工商分局, 规划分局, 公安分局
        body = body[:-2] + "局"
    if body in TYPE_SYNONYMS:
        return TYPE_SYNONYMS[body]
    if body in _SHORT:
        return TYPE_SYNONYMS.get(_SHORT[body], _SHORT[body])
    for pat, typ in LEVEL_TYPES:
        if pat.search(body):
            return typ
    for pat, typ in SUBUNIT_TYPES:
        if pat.search(body):
            return typ
    return body


# --------------------------------------------------------------------------------------------------
# The routing set: real messages whose handling unit is one of a city's departments
# --------------------------------------------------------------------------------------------------

# Unit type (above) → the short name of the department that holds that mandate after the 2018-19 reform.
# This labels the evaluation set; nothing of it reaches the analyzer. Governments, companies, schools, 人社,
# 教育 and the like have no counterpart among the sample city's 14 departments and are dropped; 医保 goes to
# 卫健 (which ran 新农合 before the reform), 公积金 to 住建, 消防 to 应急, 园林 to 城管. With these the set is
# the 340 messages the issue measured (住建 64 = 18.8 % most frequent).
DEPARTMENT_OF_TYPE = {
    "城管局": "城管局", "交通运输局": "交通运输局", "公安局": "公安局", "出入境管理支队": "公安局",
    "住建局": "住建局", "住房保障/房产局": "住建局", "自然资源局": "自然资源规划局", "规划局": "自然资源规划局",
    "不动产登记中心": "自然资源规划局", "生态环境局": "生态环境局", "卫健委": "卫生健康委", "市场监管局": "市场监管局",
    "物价局": "市场监管局", "商务局": "商务局", "农业农村局": "农业农村局", "发改委": "发展改革委", "水利局": "水利局",
    "文旅局": "文广旅局", "应急管理局": "应急管理局", "医保局": "卫生健康委", "住房公积金中心": "住建局",
    "消防大队": "应急管理局", "园林局": "城管局",
}


def routing_set(data: Path, departments: list[str]) -> list[tuple[str, str, str]]:
    """(message id, message text, department full name) for every 附件4 reply whose extracted handling unit
    maps to one of `departments` (a corpus's full names), in file order. Deterministic: the same data and
    departments give the same list."""
    from duty_analyzer.names import short_name

    by_short = {short_name(d): d for d in departments}
    df = pd.read_excel(data / "fujian4_2816_replies.xlsx")
    out = []
    for mid, title, detail, reply in zip(df["留言编号"], df["留言主题"], df["留言详情"], df["答复意见"]):
        found = extract_unit(reply)
        if not found:
            continue
        dept = by_short.get(DEPARTMENT_OF_TYPE.get(unit_type(found[0]), ""))
        if dept:
            out.append((str(mid), clean(title) + " " + clean(detail), dept))
    return out


# --------------------------------------------------------------------------------------------------
# Labels (一级标签) for the few messages that also appear in 附件2
# --------------------------------------------------------------------------------------------------


def attach_labels(df: pd.DataFrame, data: Path) -> pd.Series:
    """一级标签 per message where 附件2 has the same message: exact id+title or title match against the raw
    union, else near-exact text match against the tokenised 9,210 set (token bigrams contained in the raw
    text both ways ≥ 0.9 / 0.6). Returns a Series aligned with df (NaN where unknown)."""
    from sklearn.feature_extraction.text import CountVectorizer

    labels = pd.Series(np.nan, index=df.index, dtype=object)
    raw_path, tok_path = data / "fujian2_raw_labeled_union.csv", data / "fujian2_tokenized_full_9210.csv"
    if raw_path.exists():
        raw = pd.read_csv(raw_path)
        by_title = {clean(t): lab for t, lab in zip(raw["title"], raw["label"])}
        labels = df["留言主题"].map(lambda t: by_title.get(clean(t), np.nan))
    if tok_path.exists():
        tok = pd.read_csv(tok_path)
        text = (df["留言主题"].astype(str) + df["留言详情"].astype(str)).map(clean)

        def tok_bigrams(s: str) -> list[str]:
            return [t[i:i + 2] for t in str(s).split() for i in range(len(t) - 1)]

        vec = CountVectorizer(analyzer=tok_bigrams, binary=True).fit(tok["tokens"])
        B = vec.transform(tok["tokens"])
        A = CountVectorizer(analyzer=lambda s: [s[i:i + 2] for i in range(len(s) - 1)], binary=True,
                            vocabulary=vec.vocabulary_).transform(text)
        inter = (A @ B.T).tocsr()
        nb = np.maximum(np.asarray(B.sum(1)).ravel(), 1)
        na = np.maximum(np.asarray(A.sum(1)).ravel(), 1)
        for i in range(inter.shape[0]):
            row = inter.getrow(i)
            if row.nnz == 0 or pd.notna(labels.iat[i]):
                continue
            cont = row.data / nb[row.indices]
            j = int(np.argmax(cont))
            if cont[j] >= 0.9 and row.data[j] / na[i] >= 0.6:
                labels.iat[i] = tok["label"].iat[row.indices[j]]
    return labels


# --------------------------------------------------------------------------------------------------
# Routing
# --------------------------------------------------------------------------------------------------


def routing(texts: list[str], y: list[str]) -> dict[str, float]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    # jieba's dictionary cut by rjieba (its Rust port, as duty_analyzer.classify does): same tokens, and unlike
    # jieba it writes no dictionary cache to the temp directory.
    import rjieba

    words = [" ".join(rjieba.cut(t)) for t in texts]
    y = np.asarray(y)
    pred, top3 = np.empty(len(y), dtype=object), np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(texts, y):
        wv = TfidfVectorizer(token_pattern=r"(?u)\S+", sublinear_tf=True, min_df=2)
        cv = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True, min_df=2)
        Xtr = hstack([wv.fit_transform([words[i] for i in train]), cv.fit_transform([texts[i] for i in train])]).tocsr()
        Xte = hstack([wv.transform([words[i] for i in test]), cv.transform([texts[i] for i in test])]).tocsr()
        clf = LinearSVC(C=1.0, class_weight="balanced").fit(Xtr, y[train])
        scores = clf.decision_function(Xte)
        pred[test] = clf.classes_[scores.argmax(1)]
        best3 = clf.classes_[np.argsort(-scores, axis=1)[:, :3]]
        top3[test] = (best3 == y[test][:, None]).any(1)
    majority = Counter(y).most_common(1)[0][1] / len(y)
    return {"macro_f1": f1_score(y, pred, average="macro"), "accuracy": accuracy_score(y, pred),
            "top3": top3.mean(), "majority": majority, "pred": pred}


# --------------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=str(ROOT / ".." / "shared" / "data" / "taidi2020c"))
    args = ap.parse_args()
    data = Path(args.data)
    if not data.is_absolute():
        data = (ROOT / data) if not Path(args.data).exists() else Path(args.data).resolve()
    start = time.perf_counter()
    df = pd.read_excel(data / "fujian4_2816_replies.xlsx")
    n = len(df)
    print(f"## 泰迪杯 2020 C 附件4: {n:,} messages with replies ({data.resolve()})\n")

    found = [extract_unit(r) for r in df["答复意见"]]
    df["unit"] = [f[0] if f else None for f in found]
    df["rule"] = [f[1] if f else None for f in found]
    df["snippet"] = [f[2] if f else None for f in found]
    df["type"] = [unit_type(f[0]) if f else None for f in found]
    ok = df["unit"].notna()
    print(f"replies with an extracted unit: {ok.sum():,} / {n:,} ({ok.mean():.1%})")
    print("by rule: " + ", ".join(f"{k} {v}" for k, v in df["rule"].value_counts().items()))
    print(f"distinct units: {df['unit'].nunique():,}; distinct unit types: {df['type'].nunique():,}")
    place_coded = df.loc[ok, "unit"].str.contains(rf"^(?:中共)?{PLACE}").mean()
    print(f"units carrying a place code (A市…, A3区…): {place_coded:.1%}\n")

    print("### Top 20 unit types\n")
    print("| unit type | messages | distinct exact units | most frequent exact unit |")
    print("|---|---|---|---|")
    for typ, cnt in df["type"].value_counts().head(20).items():
        units = df.loc[df["type"] == typ, "unit"].value_counts()
        print(f"| {typ} | {cnt} | {len(units)} | {units.index[0]} ({units.iloc[0]}) |")

    print("\n### 20 random extractions (judge precision)\n")
    rng = random.Random(0)
    idx = rng.sample(list(df.index[ok]), 20)
    for i in idx:
        r = df.loc[i]
        print(f"- [{r['留言编号']}] {clean(r['留言主题'])[:40]} → **{r['unit']}** ({r['type']}, {r['rule']}) ← 「{r['snippet']}」")

    # Routing: unit type as label, types with >= 15 messages.
    print("\n### Routing: message text → unit type\n")
    counts = df.loc[ok, "type"].value_counts()
    keep = counts[counts >= 15].index
    sub = df[df["type"].isin(keep)]
    texts = (sub["留言主题"].astype(str) + " " + sub["留言详情"].astype(str)).map(clean).tolist()
    t0 = time.perf_counter()
    res = routing(texts, sub["type"].tolist())
    print(f"{len(sub):,} messages, {len(keep)} unit types with >= 15 messages (dropped {ok.sum() - len(sub):,} "
          f"extracted messages of rarer types)")
    print("tf-idf (jieba-dictionary words via rjieba + char bigrams) + LinearSVC(class_weight=balanced), 5-fold stratified, shuffle, seed 0")
    print(f"macro-F1 {res['macro_f1']:.3f} | accuracy {res['accuracy']:.3f} | top-3 accuracy {res['top3']:.3f} | "
          f"majority-class accuracy {res['majority']:.3f} | {time.perf_counter() - t0:.1f} s")
    from sklearn.metrics import classification_report
    print("\n" + classification_report(sub["type"], res["pred"], digits=2, zero_division=0))

    # 一级标签 crosstab where the message is also in 附件2.
    labels = attach_labels(df, data)
    lab = df.assign(label=labels)[labels.notna() & ok]
    print(f"### Unit type × 一级标签 ({labels.notna().sum()} of {n:,} messages found in 附件2; {len(lab)} of them "
          f"with an extracted unit)\n")
    if len(lab):
        top = lab["type"].value_counts().head(12).index
        ct = pd.crosstab(lab.loc[lab["type"].isin(top), "type"], lab.loc[lab["type"].isin(top), "label"])
        ct = ct.loc[ct.sum(axis=1).sort_values(ascending=False).index]
        print(ct.to_string())
    print(f"\ntotal run time {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

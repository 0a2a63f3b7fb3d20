"""Personal-data masking for everything written to an output folder (one module, used by every writer).

What is masked, in every form callers and operators write it:
- numbers: mobiles with any separators and +86/0086, landlines with an area code in any bracket form
  (and 7–8 digit local numbers that are not dates or amounts), 15- and 18-digit ID numbers (18 digits:
  valid check digit), bank cards (16–19 digits passing Luhn, or any 12–19 digits after 卡号/账号),
  plates (new-energy too, spaced or lower case), e-mails, WeChat/QQ ids (after 微信/QQ, and wxid_…);
- people: names given by the record's name columns (诉求人 …) wherever they appear, full names
  introduced by context words (来电人/村民/居民/业主/联系人/我叫/负责人 …), a surname with a title other
  than 先生/女士 (卢师傅 → 某师傅, 聂老四 → 某老四), 老黄 → 老某, 刘某 → 某某;
- addresses: house, building, unit and room numbers (朝阳路7号 → 朝阳路*号, 5栋1101室 → *栋*室), a village
  where it is someone's home (上坂村3组 → 某某村*组, 住桃源镇上坂村 → 住桃源镇某某村, 柳湾村村民), estates
  named with their 街道/镇.

What is kept: dates and times, document numbers (〔2023〕15号, 第12号令, 按3号令), article numbers, metro lines
(地铁3号线), amounts, departments and places above village level, the 12345 work-order id. A bare surname
with 先生/女士 is kept (the team's rule): it identifies no one and lets a reviewer follow 他/她.

Placeholders are stable: a name always becomes the same placeholder (王建国 → 王某某 in every sentence;
老黄 → 老某; 卢师傅 → 某师傅; 刘某, itself a pseudonym the caller chose, → 某某 because 刘某 is planted as a name),
numbers keep their kind ([手机号]) so a reviewer still sees what was there. Text is only masked where it
comes from callers or interviews (hotline records, statements); in 三定 and 清单 text (public) only numbers.

Names come from rules (column, context words, a surname list, titles), not from jieba's posseg `nr` tag:
on the eval corpora `nr` has precision 0.71 (许可, 盖子, 养老院 … would be masked) and finds 42 of 49 planted
names, at ~4 ms per record (bench/mask_posseg.py, bench/mask_speed.py). No NER model was taken: ltp, hanlp
and paddlenlp download their weights at run time; lac ships them but needs paddlepaddle and is unkept since 2021.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

# ------------------------------------------------------------------ surnames

# Common single-character surnames (a few hundred, the Naxi 和/木 included), then compound ones.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由木"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐")
# Surnames that are also everyday words; without a context word they are not read as a surname.
AMBIGUOUS = set("和于向东白文上下高明时全成平国都原花海强来相信公元由展但干居利应乐楼门位初元容宣计")

_CJK = "\u4e00-\u9fff"
_SAFE_SURNAME_RX = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SURNAMES - AMBIGUOUS)) + "])"

# Titles after a surname that point at one person (先生/女士 are kept by the team's rule).
TITLES = (
    "师傅", "大爷", "大妈", "大娘", "大姐", "大哥", "大叔", "大婶", "阿姨", "阿婆", "阿公", "奶奶", "爷爷", "婆婆", "老伯",
    "伯伯", "叔叔", "老师", "老板", "老板娘", "会计", "老汉", "老太", "老四", "老三", "老二", "老大", "老五",
    "经理", "医生", "律师", "同学", "小姐", "姐", "哥", "嫂", "总",
)
KEPT_TITLES = ("先生", "女士")
# Titles that are also common nouns after a place (学校老师, 饭店老板): the character before must end a clause.
NOUN_TITLES = {"老师", "老板", "老板娘", "会计", "经理", "医生", "律师", "同学", "小姐", "姐", "哥", "嫂", "总"}
# Words that may introduce a person's name (the caller, a villager, an interviewee…).
CONTEXT_WORDS = (
    "市民", "村民", "居民", "来电人", "来电者", "诉求人", "投诉人", "举报人", "反映人", "联系人", "当事人", "网民",
    "业主", "本人", "我叫", "我是", "名叫", "叫做", "姓名", "家长", "车主", "户主", "房主", "负责人", "农民工", "教师",
    "老人", "患者", "住户", "租户", "商户", "摊主", "店主", "司机", "工人", "群众", "老板", "经营者", "代表", "联络员",
    "科长", "局长", "处长", "主任", "书记", "站长", "队长", "所长", "院长", "村长", "组长", "镇长", "乡长", "支书",
    "会计", "干部", "委员", "同志", "执笔", "记录人", "访谈对象", "访谈人", "主持人", "她叫", "他叫", "叫",
)
# What may follow a full name (so that 来电人王建国反映 stops at 国).
_AFTER_NAME = (
    r"(?=$|[，,。.、；;：:！!？?（(）)\s\"“”'‘’《》\[【]|来电|致电|打电话|反映|称|说|讲|表示|投诉|举报|咨询|询问|家住|住在|住|"
    r"要求|希望|电话|手机|联系|今年|现年|的|等|夫妇|一家|父|母|儿|女|之|先生|女士|代|向|是|也|和|与|在|于|"
    r"[一二三四五六七八九十]+岁|\d+岁)"
)
_NOT_GIVEN = set("先女某师大老阿小们等人员家户民群众说称讲在是的了也和与及对于被把将从向到说反投咨来致希要认主东傅机客电话")
# A "name" ending like a place or an organisation (我是龙潭镇的…) is not a name.
_NOT_NAME_END = set("镇乡村县区市省街路局队站所院店厂场委办组科处部室厅校馆司会社楼号湾苑庭府岸桥的了里门率")

_ROLE_JOIN = "(?:" + "|".join(sorted(CONTEXT_WORDS, key=len, reverse=True)) + ")"
_CONTEXT_NAME = re.compile(
    rf"(?P<ctx>{_ROLE_JOIN})(?P<sep>[：:\s“”\"（(]*(?:[{_CJK}]{{0,6}}?(?:负责人|家长|村民|居民|业主|市民|老板|代表)[：:\s]*)?)"
    rf"(?P<name>{_SAFE_SURNAME_RX}[{_CJK}]{{1,2}}?){_AFTER_NAME}"
)
_CALLER_VERB = re.compile(r"来电|致电|打来电话|反映|投诉|举报|咨询|代父母|代母亲|代父亲")
_CLAUSE_START = set("，。；;：:！!？? \t\n“”\"（(、—－-…")
_TITLE = re.compile("|".join(sorted(TITLES, key=len, reverse=True)))
_TITLE_PRE = set("，。、；;：:！!？?（( “”\"'‘’—－-…·是叫的位名个找跟给问和与及")
_OLD_AFTER = re.compile(r"[，,。、；：:！？（(\s“”]|来电|讲|说|反映|称|表示|打|自称|家|今年|[六七八九]十")
_NOT_AFTER_MOU = set("某些个种地天时处项人单部一")
_GROUP_END = re.compile(r"[\d一二三四五六七八九十]组")
# 龙潭村四组廖德胜，… : a full name right after the caller's own address.
_NAME_AFTER_ADDRESS = re.compile(
    rf"(?P<name>{_SAFE_SURNAME_RX}[{_CJK}]{{1,2}}?)(?=[，,。：:（(\s]|\d|电话|手机|反映|来电)"
)

# ------------------------------------------------------------------ numbers

_SEP = r"[\s\-－—]?"
EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
WECHAT = re.compile(
    r"(?P<ctx>微信号?|微信|(?<![A-Za-z])(?:vx|VX|Vx|wx|WX|WeChat|wechat|QQ号?|qq号?|Q号)|扣扣)(?P<sep>[：:\s]*(?:号码?)?[：:\s]*(?:是|为)?[：:\s]*)"
    r"(?P<id>[A-Za-z][A-Za-z0-9_\-]{4,19}|\d{5,12})(?![A-Za-z0-9_\-@])"
)
WXID = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_\-]{4,30}")
_ID18 = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
_ID15 = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\dA-Za-z])")
_LONG_DIGITS = re.compile(r"(?<![\dA-Za-z])\d(?:[\s\-]?\d){15,18}(?![\dA-Za-z])")
_ID_CONTEXT = re.compile(r"(?P<ctx>身份证号?码?|证件号码?)(?P<sep>[：:\s是为]*)(?P<num>\d(?:[\s\-]?[\dXx]){14,17})(?![\dA-Za-z])")
_CARD_CONTEXT = re.compile(r"(?P<ctx>卡号|银行卡|账号|帐号|账户|帐户|尾号)(?P<sep>[：:\s是为]*)(?P<num>\d(?:[\s\-]?\d){3,18})(?!\d)")
MOBILE = re.compile(
    r"(?<![\dA-Za-z])(?:(?:\+|＋|00)?86[\s\-－—]*)?1[3-9]\d(?:" + _SEP + r"\d){8}(?!\d)"
)
LANDLINE = re.compile(
    r"(?<![\dA-Za-z])(?:[（(]\s*0\d{2,3}\s*[）)]|0\d{2,3})[\s\-－—]*[2-9]\d{2,3}[\s\-－—]?\d{4}(?:[\s\-－—转]+\d{1,5})?(?!\d)"
)
_LOCAL_NUMBER = re.compile(r"(?<![\dA-Za-z.\-])[2-9]\d{6,7}(?![\d.%％元万亿千百块米平亩吨公斤克件次个人户辆头只年月日天号元])")
_PHONE_CONTEXT = re.compile(r"(?:电话|座机|号码|手机|联系方式|热线|回电|回拨|拨打)[^，。；\n]{0,8}$")
PLATE = re.compile(
    r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼澜][A-HJ-NP-Za-hj-np-z]"
    r"[\s·•.\-]?(?=[A-Za-z0-9]{5,6}(?![A-Za-z0-9]))(?=[A-Za-z]*\d)[A-Za-z0-9]{5,6}"
)

# ------------------------------------------------------------------ addresses

_GROUP_AFTER = re.compile(r"[\d一二三四五六七八九十]+(?P<zu>组|队|社)")
_NOT_VILLAGE_FIRST = set("里的和与及在对了是个那这哪各每本全该邻农乡城自行整一同")
_NOT_VILLAGE_LAST = set("农乡城邻本全各该的里个")
_ESTATE = re.compile(rf"(?:(?<=街道)|(?<=镇))(?P<estate>[{_CJK}]{{2,4}}?)(?P<kind>小区|花园|家园|新村|公寓)")

# Values in the name / number columns of hotline exports that are not a person.
NOT_A_NAME = {"匿名", "市民", "群众", "来电人", "网民", "未留名", "未留姓名", "不详", "无", "先生", "女士", "居民", "村民",
              "业主", "游客", "家长", "热心市民", "保密", "未知", "-", "—", "/"}
NAME_COLUMNS = ("诉求人", "来电人", "姓名", "联系人", "反映人", "投诉人", "举报人", "客户姓名", "市民姓名")
SENSITIVE_COLUMNS = ("电话", "手机", "联系方式", "身份证", "证件", "地址", "住址", "邮箱", "微信", "QQ", "qq", "车牌", "银行", "卡号")
MASKED = "[已遮盖]"


def luhn(number: str) -> bool:
    """The Luhn check digit of a bank card number holds."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_ok(number: str) -> bool:
    """The ISO 7064 check character of an 18-digit resident ID."""
    total = sum(int(c) * w for c, w in zip(number[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def _id18(m: re.Match) -> str:
    return "[身份证号]" if id_check_ok(m.group()) else m.group()


def _long_digits(m: re.Match) -> str:
    d = re.sub(r"\D", "", m.group())
    if 16 <= len(d) <= 19 and luhn(d):
        return "[银行卡号]"
    return m.group()


def _local_ok(number: str, before: str) -> bool:
    """A 7–8 digit local number (座机68940750) that is not a date; 7 digits only after 电话/座机…"""
    if re.fullmatch(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])", number):
        return False
    return len(number) == 8 or bool(_PHONE_CONTEXT.search(before))


# A run of digits with the separators people put between them: only runs with 7+ digits can be personal.
_RUN = re.compile(r"\d[\d\s\-－—()（）]{5,}[\dXx]")
_NON_DIGIT = re.compile(r"\D")
_LATIN = re.compile(r"[A-Za-z]")
_WECHAT_HINT = re.compile(r"微信|扣扣|[vVwWqQ][xXqQ号]|WeChat|wechat")
_CARD_HINTS = ("卡号", "银行卡", "账号", "帐号", "账户", "帐户", "尾号")


def _mask_run(seg: str, before: str) -> str:
    seg = _ID18.sub(_id18, seg)
    seg = _LONG_DIGITS.sub(_long_digits, seg)
    seg = _ID15.sub("[身份证号]", seg)
    seg = MOBILE.sub("[手机号]", seg)
    seg = LANDLINE.sub("[固定电话]", seg)
    return _LOCAL_NUMBER.sub(lambda m: "[固定电话]" if _local_ok(m.group(), before) else m.group(), seg)


def mask_numbers(text: str) -> str:
    """Every number or id that identifies a person → a placeholder naming its kind. Digit runs are found
    once and only runs of 7+ digits go through the number rules (the hot path of the hotline batch)."""
    if "@" in text:
        text = EMAIL.sub("[邮箱]", text)
    if "wxid_" in text:
        text = WXID.sub("[微信号]", text)
    latin = _LATIN.search(text) is not None
    if "微信" in text or "扣扣" in text or (latin and _WECHAT_HINT.search(text)):
        text = WECHAT.sub(lambda m: m.group("ctx") + m.group("sep") + ("[QQ号]" if m.group("ctx").lower().startswith(("q", "扣")) else "[微信号]"), text)
    if "证" in text:
        text = _ID_CONTEXT.sub(lambda m: m.group("ctx") + m.group("sep") + "[身份证号]", text)
    if any(h in text for h in _CARD_HINTS):
        text = _CARD_CONTEXT.sub(lambda m: m.group("ctx") + m.group("sep") + "[银行卡号]", text)
    parts, last = [], 0
    for m in _RUN.finditer(text):
        if len(_NON_DIGIT.sub("", m.group())) < 7:
            continue
        # two characters before the run: a +86 / （0571） prefix and the character before that
        s0, e0 = max(m.start() - 3, last), min(m.end() + 1, len(text))
        seg = text[s0:e0]
        new = _mask_run(seg, text[max(0, m.start() - 14):m.start()])
        if new != seg:
            parts += [text[last:s0], new]
            last = e0
    if parts:
        text = "".join(parts) + text[last:]
    if latin:
        text = PLATE.sub("[车牌号]", text)
    return text


_DIGIT = re.compile(r"\d")
_ESTATE_HINT = re.compile(r"小区|花园|家园|新村|公寓")


def _not_village(name: str) -> bool:
    return name[0] in _NOT_VILLAGE_FIRST or name[-1] in _NOT_VILLAGE_LAST


_RESIDENCE_CUES = ("住", "在", "家", "来自", "村民", "老家")


def _residence(text: str, at: int) -> bool:
    """The village of 桃源镇上坂村 is the caller's own (住/在/家… earlier in the clause, or 上坂村的，/上坂村人)
    rather than the place complained about (柳塘镇枫树村有户人家…), which is kept."""
    window = text[max(0, at - 18):at - 2]
    for stop in ("，", "。", "；", ","):
        window = window[window.rfind(stop) + 1:]
    return any(c in window for c in _RESIDENCE_CUES) or text[at + 1:at + 3] in ("的，", "的。", "人，", "人。", "村民")


def _mask_villages(text: str) -> str:
    """住桃源镇上坂村 → 住桃源镇某某村, 上坂村3组 → 某某村*组, 住在下洋村， → 住在某某村，, 柳湾村村民 → 某某村村民:
    a two-character village name where it is someone's home (before its 组 or 村民, after 住/在, after its
    township when the clause says it is home); 村里, 农村, 邻村 and villages complained about stay."""
    parts, last, i = [], 0, text.find("村", 2)
    while i >= 0:
        name = text[i - 2:i]
        group = _GROUP_AFTER.match(text, i + 1)
        before = text[i - 3] if i >= 3 else ""
        follows = text[i + 1:i + 2]
        if i - 2 >= last and all(_is_cjk(c) for c in name) and not _not_village(name) and (
                group or (before in ("镇", "乡") and _residence(text, i)) or text[i + 1:i + 3] == "村民"
                or (before in ("住", "在") and follows in ("，", "。", "、", " ", "的"))):
            end = group.end() if group else i + 1
            parts += [text[last:i - 2], "某某村*" + group.group("zu") if group else "某某村"]
            last = end
        i = text.find("村", max(i + 1, last))
    return "".join(parts) + text[last:] if parts else text


def mask_address(text: str) -> str:
    """House/building/unit/room numbers, villages with their township or 组, estates with their 街道/镇."""
    if "村" in text:
        text = _mask_villages(text)
    if ("街道" in text or "镇" in text) and _ESTATE_HINT.search(text):
        text = _ESTATE.sub(lambda m: "某" + m.group("kind"), text)
    if not _DIGIT.search(text):
        return text
    return _DIGITS.sub(lambda m: "*" if _is_house_number(text, m.start(), m.end()) else m.group(), text)


# Every digit run is checked in Python (a regex with look-behinds first is twice as slow here).
_DIGITS = re.compile(r"\d+")
_BUILDING_WORDS = ("号楼", "号院", "栋", "幢", "座楼", "单元", "室")


def _is_house_number(text: str, start: int, end: int) -> bool:
    """朝阳路7号, 3栋, 2单元, 1502室, 号3楼, 楼302 — but not 〔2023〕15号, 第12号令, 3号线, 12月5号, 30元."""
    before = text[start - 1] if start else ""
    after = text[end:end + 2]
    if before and before in "路街巷道弄里村" and after[:1] == "号" and after[1:2] not in ("令", "线", "文"):
        return True
    if text[end:end + 3].lstrip().startswith(_BUILDING_WORDS):
        return True
    if text[start - 2:start] in ("楼上", "楼下") and 3 <= end - start <= 4:
        return True  # 楼上602: the neighbour's room
    unit = (before != "" and before in "号栋幢楼层") or text[start - 2:start] == "单元"
    if unit and end - start <= 2 and after[:1] in ("楼", "层"):
        return True
    return bool(unit and before != "号" and 3 <= end - start <= 4 and (after[:1] == "" or after[:1] not in "元万米%"))


# ------------------------------------------------------------------ names

def _split_surname(name: str) -> tuple[str, str]:
    for s in COMPOUND_SURNAMES:
        if name.startswith(s) and len(name) > len(s):
            return s, name[len(s):]
    return name[:1], name[1:]


@lru_cache(maxsize=4096)
def mask_name(name: str) -> str:
    """The placeholder of one person, the same wherever the person appears: 王建国/王芳 → 王某某,
    卢师傅 → 某师傅, 老黄 → 老某, 刘某 → 某某; 王先生 / 张女士 and 王某某 stay; anything else that is not a
    Chinese name (匿名, 市民, an empty cell) is returned as it is."""
    n = name.strip()
    if not n or n in NOT_A_NAME or not re.fullmatch(f"[{_CJK}·]{{2,6}}", n):
        return name
    surname, rest = _split_surname(n)
    if rest in KEPT_TITLES or re.fullmatch("某{2,}", rest):
        return name
    if rest == "某":
        return "某某"
    if rest in TITLES:
        return "某" + rest
    if n.startswith("老") and len(n) == 2 and n[1] in SURNAMES:
        return "老某"
    if surname in SURNAMES or surname in COMPOUND_SURNAMES or len(n) <= 4:
        return surname + "某某"
    return name


def names_in(text: str, known: Iterable[str] = ()) -> list[str]:
    """The people named in one text: the given names first, then names found by context, titles and 老X.
    Each rule scans for its literal anchor (a title, 老, 某, 组, a caller's verb) and looks around it, which
    keeps this cheap enough for every hotline record."""
    found = [n.strip() for n in known if n and n.strip() and mask_name(n.strip()) != n.strip()]
    for m in _CONTEXT_NAME.finditer(text):
        name = m.group("name")
        if _plausible(_split_surname(name)[1]):
            found.append(name)
    if "组" in text:
        for m in _GROUP_END.finditer(text):
            n = _NAME_AFTER_ADDRESS.match(text, m.end())
            if n and _plausible(_split_surname(n.group("name"))[1]):
                found.append(n.group("name"))
    for m in _CALLER_VERB.finditer(text):
        name = _name_before(text, m.start())
        if name:
            found.append(name)
    for m in _TITLE.finditer(text):
        name = _titled(text, m.start(), m.group())
        if name:
            found.append(name)
    i = text.find("老")
    while i >= 0:
        if i + 1 < len(text) and text[i + 1] in SURNAMES and (i + 2 == len(text) or _OLD_AFTER.match(text, i + 2)) \
                and (i == 0 or not _is_cjk(text[i - 1]) or text[i - 1] in "人是叫民机"):
            found.append(text[i:i + 2])
        i = text.find("老", i + 1)
    i = text.find("某")
    while i >= 0:
        surname = text[i - 2:i] if i >= 2 and text[i - 2:i] in COMPOUND_SURNAMES else text[i - 1:i]
        if surname and (surname in SURNAMES or surname in COMPOUND_SURNAMES) and text[i + 1:i + 2] not in _NOT_AFTER_MOU \
                and (surname not in AMBIGUOUS or _ends_with_context(text, i - len(surname))):
            found.append(surname + "某")
        i = text.find("某", i + 1)
    return found


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_NAME_FIRST = SURNAMES | {c[0] for c in COMPOUND_SURNAMES}


def _name_before(text: str, end: int) -> str:
    """张建国来电…: a full name right before a caller's verb, itself at the start of a clause."""
    for size in (3, 2, 4):
        start = end - size
        if start < 0 or (start > 0 and text[start - 1] not in _CLAUSE_START) or text[start] not in _NAME_FIRST:
            continue
        name = text[start:end]
        surname, given = _split_surname(name)
        if (surname in COMPOUND_SURNAMES or (surname in SURNAMES and surname not in AMBIGUOUS)) and 1 <= len(given) <= 2 \
                and all(_is_cjk(c) for c in name) and _plausible(given):
            return name
    return ""


def _titled(text: str, at: int, title: str) -> str:
    """卢师傅 / 聂老四 / 郑老板: a surname right before a title (not 先生/女士)."""
    if len(title) == 1 and at + 1 < len(text) and _is_cjk(text[at + 1]):
        return ""  # 总量, 哥俩: a one-character title must end the word
    if text[at + len(title):at + len(title) + 1] == "们":
        return ""
    surname = text[at - 2:at] if at >= 2 and text[at - 2:at] in COMPOUND_SURNAMES else text[at - 1:at]
    if not surname or not (surname in SURNAMES or surname in COMPOUND_SURNAMES):
        return ""
    start = at - len(surname)
    pre = text[start - 1] if start > 0 else ""
    if surname in AMBIGUOUS and not _ends_with_context(text, start):
        return ""
    # 学校老师, 饭店老板: for a title that is also a common noun the character before must end a clause
    # or a context word must introduce the person.
    if pre and title in NOUN_TITLES and not _ends_with_context(text, start) and pre not in _TITLE_PRE:
        return ""
    return surname + title


def _plausible(given: str) -> bool:
    return bool(given) and given[0] not in _NOT_GIVEN and given[-1] not in _NOT_NAME_END \
        and not given.startswith(TITLES) and given not in KEPT_TITLES


def _ends_with_context(text: str, pos: int) -> bool:
    before = text[max(0, pos - 5):pos].rstrip("：: ")
    return before.endswith(CONTEXT_WORDS) or before.endswith(("，", "。", "（")) or pos == 0


def mask_names(text: str, known: Iterable[str] = ()) -> str:
    names = sorted(set(names_in(text, known)), key=len, reverse=True)
    for name in names:
        placeholder = mask_name(name)
        if placeholder != name:
            text = text.replace(name, placeholder)
    return text


# ------------------------------------------------------------------ public entry points

def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """Mask one caller's or speaker's text. `names`: people known to be in it (the record's name columns),
    masked wherever they appear; words such as 匿名 / 市民 in those columns are not names and stay."""
    if not text:
        return text
    known = [n for n in names if n and n.strip() and n.strip() not in NOT_A_NAME]
    text = mask_numbers(text)
    text = mask_names(text, known)
    return mask_address(text)


def record_names(extra: dict[str, str]) -> list[str]:
    """The person names of a hotline record's extra columns (诉求人, 来电人, 姓名, 联系人 …)."""
    return [v for k, v in extra.items() if any(c in k for c in NAME_COLUMNS) and v]


def mask_record(record):
    """A hotline record with its request, reasons and personal columns masked (id, times, units kept)."""
    names = record_names(record.extra)
    extra = {}
    for key, value in record.extra.items():
        if not value:
            extra[key] = value
        elif any(c in key for c in NAME_COLUMNS):
            extra[key] = mask_name(value)
        elif any(c in key for c in SENSITIVE_COLUMNS):
            extra[key] = MASKED
        else:
            extra[key] = mask_text(value, names)
    bounces = [replace(b, reason=mask_text(b.reason, names)) for b in record.bounces]
    return replace(record, request=mask_text(record.request, names), bounces=bounces, extra=extra)


def mask_statement(statement):
    """An interview statement with its speaker, role, question and text masked."""
    names = [statement.speaker] if statement.speaker else []
    return replace(
        statement, speaker=mask_name(statement.speaker) if statement.speaker else statement.speaker,
        role=mask_text(statement.role, names), text=mask_text(statement.text, names),
        question=mask_text(statement.question, names),
    )


PERSONAL_KINDS = ("hotline", "interview")


def mask_corpus(corpus):
    """A copy of the corpus fit for parsed.json: hotline records, interview statements and the unplaced
    text of hotline and interview files masked; 三定 and 清单 content (public documents) as parsed."""
    from .model import Corpus  # local: model imports nothing from here, keep it that way

    files = []
    for f in corpus.files:
        if f.kind in PERSONAL_KINDS or f.hotline or f.statements:
            f = replace(
                f, hotline=[mask_record(r) for r in f.hotline], statements=[mask_statement(s) for s in f.statements],
                unrecognized=[replace(u, text=mask_text(u.text)) for u in f.unrecognized],
            )
        else:
            # A 三定 or 清单 is public: only numbers and ids that identify a person are masked, so that its
            # wording stays as written. A file that yielded no duty and no row is not one (a stray note or
            # README filed with the documents): its text is masked like a caller's.
            f = _mask_document(f, mask_numbers if (f.duties or f.list_items) else mask_text)
        files.append(f)
    return Corpus(files=files, errors=list(corpus.errors))


_FREE_TEXT = ("text", "matter", "basis", "responsibility", "sub_item", "reason", "columns", "handling_unit")


def _mask_document(f, fn):
    """`fn` on the placed content; text the parser could not place is not known to be regulation wording
    (a README or cover note filed with the documents), so it is always masked like a caller's."""
    def one(item, fn=fn):
        changes = {}
        for name in _FREE_TEXT:
            value = getattr(item, name, None)
            if isinstance(value, str) and value:
                changes[name] = fn(value)
            elif isinstance(value, dict):
                changes[name] = {k: fn(v) if isinstance(v, str) else v for k, v in value.items()}
        return replace(item, **changes) if changes else item

    return replace(
        f, duties=[one(x) for x in f.duties], staffing=[one(x) for x in f.staffing],
        divisions=[one(x) for x in f.divisions], list_items=[one(x) for x in f.list_items],
        unrecognized=[one(x, mask_text) for x in f.unrecognized],
    )


UNMASKED_NOTICE = "本输出未遮盖个人信息（使用了 --no-mask），仅供内部使用，不得外传。"
NOTICE_FILE = "未遮盖个人信息-说明.txt"


def write_unmasked_notice(out_dir, masked: bool):
    """With --no-mask, a file in OUT that says so (whoever receives the folder sees it first); a masked
    run removes a notice left by an earlier unmasked run. Returns the notice's path, or None."""
    from pathlib import Path

    path = Path(out_dir) / NOTICE_FILE
    if masked:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("注意：" + UNMASKED_NOTICE + "\n本文件夹中的 parsed.json、CSV、findings.xlsx、report.html 等含有姓名、电话、身份证号、住址等原文。\n", encoding="utf-8")
    return path

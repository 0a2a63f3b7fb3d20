"""Department names: full form ↔ short form, and resolving what people type to a corpus department.

Staff and citizens write 云溪市城市管理局, 市城管局, 城管局 or 城管部门 for the same body; everything that links
text to departments goes through `DepartmentIndex.resolve`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

# A place segment: 江西省, 广西壮族自治区, 云溪市, 临江县, 溪口区 … ("市场", "区域", "县域" are not places).
_PLACE = re.compile(r"^(.{2,8}?(?:自治州|自治县|自治区|特别行政区|省|市(?!场)|县(?!域)|区(?!域)|州|盟|旗))(?=.{3,})")
_NOT_PLACE = {"城市", "都市", "超市", "城区"}
# Names of national bodies and Party organs at the centre carry no place: 国家市场监督管理总局 is not 国家市.
NATIONAL_PREFIXES = ("国家", "国务院", "全国", "中央", "中华人民共和国", "最高人民")
_BODY_WORD = re.compile(r"[局委厅部办院所站队司处科室组]")
_BRANCH = re.compile(r"(.{2,8}?)(?:分局|派出所|中队|执法队|管理所)$")
_GENERIC_SUFFIX = re.compile(r"(?:部门|单位|机关)$")
# A district or county in front of a body (云城区城管局, 临江县住建局); split_place keeps 城区-ending names whole.
_DISTRICT = re.compile(r"^[\u4e00-\u9fa5]{1,4}?[区县](?=[\u4e00-\u9fa5]{3,})")
_NOT_DISTRICT = ("社区", "园区", "景区", "小区", "片区", "辖区")
# A branch of a bureau, named or not: 生态环境局望川分局, 生态环境分局 → 生态环境局.
_BRANCH_SUFFIX = re.compile(r"(?:局[\u4e00-\u9fa5]{2,4})?分局$")


def _rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "\t" in line:
            rows.append([p.strip() for p in line.split("\t") if p.strip()])
    return rows


def _read_table() -> list[list[str]]:
    return _rows(resources.files("duty_analyzer").joinpath("data/abbreviations.tsv").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def abbreviations(extra: Path | None = None) -> dict[str, str]:
    """Full name (without place prefix) → short name, from the shipped table plus an optional user file."""
    rows = _read_table() + (_rows(extra.read_text(encoding="utf-8")) if extra is not None else [])
    return {row[0]: row[1] for row in rows if len(row) >= 2}


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Other short forms people write (third and later columns of the table: 卫健委, 林草局) → the usual one."""
    table: dict[str, str] = {}
    for row in _read_table():
        for alias in row[2:]:
            table.setdefault(alias, row[1])
    return table


def contract(name: str) -> str:
    """The rule-made short form: 监督管理→监管, 委员会→委, no 和 (住房和城乡建设部 → 住房城乡建设部)."""
    return name.replace("监督管理", "监管").replace("委员会", "委").replace("和", "")


def split_place(name: str) -> tuple[str, str]:
    """'云溪市城市管理局' → ('云溪市', '城市管理局'); '中共云溪市委组织部' → ('云溪市', '市委组织部');
    '江西省南昌市水利局' → ('江西省南昌市', '水利局'); national bodies ('国家市场监督管理总局') and names
    without a place prefix come back unchanged."""
    name = name.removeprefix("中共")
    if name.startswith(NATIONAL_PREFIXES):
        return "", name
    place, body = "", name
    while True:
        m = _PLACE.match(body)
        if not m or m.group(1) in _NOT_PLACE or m.group(1).endswith(tuple(_NOT_PLACE)) or _BODY_WORD.search(m.group(1)[:-1]):
            break
        place, body = place + m.group(1), body[m.end(1):]
    if place and body.startswith("委"):  # 市委/县委 bodies keep their level word
        body = place[-1] + body
    return place, body


def place_stem(place: str) -> str:
    """'望川县' → '望川': 分局 names carry the bare place ("…望川分局")."""
    return re.sub(r"(?:自治州|自治县|自治区|省|市|县|区|州|盟|旗)$", "", place)


def jurisdiction(name: str) -> str:
    """The place a body serves: its place prefix, or for a 分局/派出机构 named after the area it serves
    ('青川市自然资源和规划局望川分局') that area's bare name ('望川')."""
    place, body = split_place(name)
    m = _BRANCH.search(body)
    if m:
        head = m.group(1)
        inner = re.split(r"[局委厅部办]", head)[-1]
        if len(inner) >= 2:
            return inner
    return place


def short_name(full: str) -> str:
    _, body = split_place(full)
    return abbreviations().get(body, body)


def _canonical(body: str) -> str:
    """A body's usual short form, whether it is written in full, in a listed short or alias form."""
    if body in abbreviations():
        return abbreviations()[body]
    if body in _shorts():  # 林草局 is a county's short form before it is an alias of 国家林草局
        return body
    return aliases().get(body) or abbreviations().get(_uncontracted().get(body, ""), body)


@lru_cache(maxsize=1)
def _uncontracted() -> dict[str, str]:
    return {contract(full): full for full in abbreviations()}


def _key(mention: str) -> str:
    """Reduce a mention to a comparable core: no place, no leading 市/县, short form."""
    mention = re.sub(r"\s+", "", mention)
    _, body = split_place(mention)
    for prefix in ("市", "县", "区"):
        if body.startswith(prefix) and len(body) > 3 and body[1:] in abbreviations() | _shorts() | aliases():
            body = body[1:]
            break
    return _canonical(body)


@lru_cache(maxsize=1)
def _shorts() -> dict[str, str]:
    return {v: v for v in abbreviations().values()}


@lru_cache(maxsize=1)
def kinds() -> dict[str, str]:
    """Short form → its kind (the first short form of its line in data/department_kinds.tsv)."""
    text = resources.files("duty_analyzer").joinpath("data/department_kinds.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        forms = [p.strip() for p in line.split("#", 1)[0].split("\t") if p.strip()]
        for form in forms:
            table.setdefault(form, forms[0])
    return table


def kind_of(name: str) -> str:
    """The kind of work a body's name says, whatever its level or place: '临江县市场监督管理局', '云城区市场监管局'
    and '云溪市市场监督管理局' → '市场监管局'; '青川市生态环境局望川分局' and '生态环境分局' → '生态环境局';
    '县城管执法局' → '城管局' (department_kinds.tsv)."""
    body = _BRANCH_SUFFIX.sub("局", local_body(name))
    key = _key(body)
    if key not in kinds() and key[:1] in ("市", "县", "区") and key[1:] in kinds():  # 市资规局
        key = key[1:]
    return kinds().get(key, key)


def local_body(name: str) -> str:
    """A name without its place or district: '临江县公安局交警大队' → '公安局交警大队'."""
    _, body = split_place(re.sub(r"\s+", "", name))
    m = _DISTRICT.match(body)
    return body[m.end():] if m and not m.group(0).endswith(_NOT_DISTRICT) else body


@lru_cache(maxsize=10_000)
def sector_word(name: str) -> str:
    """What a department's name says it works on, without place, branch or body word: '望川县水利局' → '水利',
    '青川市生态环境局望川分局' → '生态环境', '云溪市发展和改革委员会' → '发展和改革'. A duty that puts this word
    before its object (规范水利工程招标投标) is about the department's own sector's share of it."""
    body = re.sub(r"[\u4e00-\u9fff]{2}分局$", "", local_body(name))
    return re.sub(r"(?:局|委员会|委|办公室|办)$", "", body)


@dataclass
class DepartmentIndex:
    """Maps mentions to the full names of the departments a corpus knows."""

    names: list[str]
    _by_key: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _longest_first: list[tuple[str, str]] = field(default_factory=list, init=False, repr=False)
    _memo: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _by_kind: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _kind_memo: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for full in self.names:
            self._by_key.setdefault(_key(full), full)
            self._by_key.setdefault(full, full)
        for full in self.names:  # rule-made short forms last: a listed short form wins over them
            self._by_key.setdefault(contract(_key(full)), full)
        self._longest_first = sorted(self._by_key.items(), key=lambda kv: -len(kv[0]))
        for full in self.names:
            self._by_kind.setdefault(kind_of(full), []).append(full)

    def resolve(self, mention: str) -> str | None:
        """The corpus department a mention names, or None (a district body, an unknown unit)."""
        if mention not in self._memo:
            if len(self._memo) > 100_000:
                self._memo.clear()
            self._memo[mention] = self._resolve(mention)
        return self._memo[mention]

    def resolve_function(self, mention: str) -> str | None:
        """The corpus department doing the same kind of work as `mention`: the department `resolve` finds, else
        the one department of the same kind (`kind_of`) — for a district or county bureau (临江县市场监管局), a
        branch (云城区生态环境分局) or another name of the same body (城管执法局 for 城市管理局). For comparing a
        12345 bounce chain with overlap findings, which are about kinds of duty: 12345 orders bounce between
        district bureaus as often as between the city's own. Townships, police units, utilities stay None."""
        found = self.resolve(mention)
        if found is not None or not mention:
            return found
        if mention not in self._kind_memo:
            if len(self._kind_memo) > 100_000:
                self._kind_memo.clear()
            same = self._by_kind.get(kind_of(mention), [])
            body = local_body(mention)
            self._kind_memo[mention] = same[0] if len(same) == 1 else \
                (self.resolve(body) if body != mention else None)  # a unit of a district bureau: 临江县公安局交警大队
        return self._kind_memo[mention]

    def _resolve(self, mention: str) -> str | None:
        mention = re.sub(r"\s+", "", mention)
        if not mention:
            return None
        if mention in self._by_key:
            return self._by_key[mention]
        place, _ = split_place(mention)
        if place and place not in {split_place(n)[0] for n in self.names}:
            return None
        key = _key(mention)
        candidates = [key] + ([key[1:]] if key[:1] in ("市", "县") else []) + ["国家" + key, contract(key)]
        for candidate in candidates:
            if candidate in self._by_key:
                return self._by_key[candidate]
        # '市公安局交警支队' style: a department followed by one of its units.
        for candidate in candidates:
            for k, full in self._longest_first:
                if len(k) >= 3 and candidate.startswith(k):
                    return full
        generic = _GENERIC_SUFFIX.sub("局", key)
        return self._by_key.get(generic)

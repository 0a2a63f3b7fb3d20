"""The category of a dispute (争议类别), from what the dispute shows — not the statement classifier's 问题类别.

Signals (`signals`): how many departments' 三定 cover the request and whether the bouncing departments are among
them (both cover → 部门间职责边界不清; none → 工作职责未明确), whether a 职责分工 settles it (yet bounced →
工作流程有待进一步优化), whether it was pushed down to a 乡镇/街道 (基层管理体制机制不理顺). A linear model over those
signals plus the dispute's own voice (the 退单理由 and the request, character n-grams) gives the label with its
confidence and runner-up; it is trained on the development corpora's hotline_truth.csv (bench/hotline_quality.py
validates it leave-one-corpus-out, bench/build_dispute_model.py writes the shipped one). Without a model the
signals' rule decides. A bounced record is never 非问题: the model knows only the nine categories.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from ..classify import Thresholds
from .chargrams import CharTfidf

MODEL_FILE = "data/hotline_dispute_model.json"
NGRAMS = (1, 2)
BOUNDARY, UNDEFINED, PROCESS, GRASSROOTS = "部门间职责边界不清", "工作职责未明确", "工作流程有待进一步优化", "基层管理体制机制不理顺"
_LOCAL = re.compile(r"(?:镇|乡|街道|街道办事处|社区|村委会)(?:人民政府)?$|属地")
_LOCAL_REASON = re.compile(r"属地|乡镇|街道|镇政府|镇人民政府|基层|我镇|镇里|我乡|我街道|村里|村委")
# What a 退单理由 says, in the words units write them with (generic drafting phrases, not any corpus's topics):
# nobody is assigned / there is no basis; another body is named as the owner; a written division is cited;
# a 乡镇/街道 says it has no power, staff or money.
_UNASSIGNED = re.compile(r"尚未明确|未明确|暂无|没有明确|缺乏|无明确|尚无|未出台|没有出台|无相关|无.{0,6}依据|应予明确|未纳入|空白"
                         r"|没有.{0,4}规定|无.{0,4}规定"
                         r"|(?:无|没有)(?:明确的?)?(?:主管|责任|牵头)(?:部门|单位)|(?:职责|权责|责任主体|归属)(?:尚)?不明"
                         r"|无人(?:管理|负责|监管)")
_REDIRECT = re.compile(r"改派|请转|转交|转办|请.{0,8}(?:答复|处理|核实|跟进)"
                       r"|(?<![不非])(?:属于|属|归|由)(?![我本])[^，。；]{1,14}?(?:部门|局|委|办|中心|大队|支队|公司|政府|所|站)")
_DIVISION = re.compile(r"职责分工|三定|分工|第.{1,3}[条项]")
_INCAPABLE = re.compile(r"无执法权|无.{0,2}执法|没有.{0,4}执法|无专业|无.{0,2}力量|无.{0,2}能力|无专项|无权|不掌握|只能劝导"
                        r"|没有.{0,4}(?:权限|力量|人员|资金)|无法单独")
_LOCAL_UNIT = re.compile(r"(?:镇|乡|街道|街道办事处|社区|村委会)(?:人民政府|政府)?$")


class UnitFlags(NamedTuple):
    local: bool  # a 乡镇/街道/社区 or 属地 body (`_LOCAL`)
    local_unit: bool  # a 乡镇/街道/社区 unit by its name's ending (`_LOCAL_UNIT`)


class ReasonFlags(NamedTuple):
    local_reason: bool
    unassigned: bool
    redirect: bool
    division: bool
    incapable: bool


@lru_cache(maxsize=65536)
def unit_flags(unit: str) -> UnitFlags:
    """What the signals read of a unit's name; exports name the same few units over and over, so each name's
    patterns run once."""
    return UnitFlags(bool(_LOCAL.search(unit)), bool(_LOCAL_UNIT.search(unit)))


@lru_cache(maxsize=65536)
def reason_flags(reason: str) -> ReasonFlags:
    """What the signals read of one 退单理由 (exports repeat their reasons: each text's patterns run once)."""
    return ReasonFlags(bool(_LOCAL_REASON.search(reason)), bool(_UNASSIGNED.search(reason)),
                       bool(_REDIRECT.search(reason)), bool(_DIVISION.search(reason)), bool(_INCAPABLE.search(reason)))


@dataclass(frozen=True)
class DisputePrediction:
    label: str
    confidence: float
    runner_up: str
    runner_up_confidence: float
    signals: tuple[str, ...] = ()
    reason: str = ""  # the rule's branch in words (`rule_with_reason`) when the label is the rule's, else empty
    judgement_call: bool = False  # `judgement_call`: the signals fit two categories

    def needs_review(self, thresholds: Thresholds = Thresholds()) -> bool:
        """需复核 as the statement classifier reads it — the label not clearly ahead of the runner-up, or unlikely
        (under the model's override the rule's label may trail the model's runner-up: then it is flagged) — or a
        dispute whose signals fit two categories (`judgement_call`)."""
        return self.judgement_call or self.confidence - self.runner_up_confidence < thresholds.margin \
            or self.confidence < thresholds.min_confidence


def voice_signals(bouncers: list[str], reasons: list[str], final: str = "") -> dict[str, float]:
    """What the bounce chain itself says, without the 三定: which units bounced (a 乡镇/街道 or not) with what
    kind of reason, and where the order ended. `bouncers` and `reasons` are aligned, one reason per unit."""
    local = [unit_flags(u or "").local_unit for u in bouncers] + [False] * max(0, len(reasons) - len(bouncers))
    flags = [reason_flags(r) for r in reasons]
    pairs = list(zip(local, flags))
    return {
        "local_bounced": float(any(local)),
        "local_incapable": float(any(lo and f.incapable for lo, f in pairs)),
        "dept_pushes_down": float(any(not lo and f.local_reason for lo, f in pairs)),
        "final_local": float(bool(final and unit_flags(final).local_unit)),
        "unassigned": float(any(f.unassigned for f in flags)),
        "unassigned_all": float(bool(reasons) and all(f.unassigned or not f.redirect for f in flags)),
        "redirect_all": float(bool(reasons) and all(f.redirect for f in flags)),
        "cites_division": float(any(f.division for f in flags)),
    }


def signals(units: list[str], reasons: list[str], resolved_bouncers: set[str], owners: list[str],
            settled: bool, linked: bool = False, scores: tuple[float, ...] = (),
            bouncers: list[str] | None = None, final: str = "", final_owner: bool = False) -> dict[str, float]:
    """Named signals of one record: `units` = the chain as written, `owners` = departments whose clauses cover
    the request above the owner floor, best first; `linked` = the record belongs to an overlap finding;
    `scores` = the ranked departments' scores; `bouncers` = the bouncing units aligned with `reasons`;
    `final_owner` = the final handling unit is one of this government's departments."""
    own, bounced = set(owners), resolved_bouncers
    local_units = sum(unit_flags(u).local for u in units)
    out = {
        f"owners={min(len(own), 3)}": 1.0,
        "settled": float(settled),
        "pushed_down": float(local_units > 0),
        "local_reason": float(any(reason_flags(r).local_reason for r in reasons)),
        "bounced_owners>=2": float(len(own & bounced) >= 2),
        "bounced_owner": float(bool(own & bounced)),
        "bounced_non_owner": float(bool(bounced - own)),
        f"bounces={min(len(reasons), 3)}": 1.0,
        "linked": float(linked),
        "linked_unsettled": float(linked and not settled),
        "second_close": float(len(scores) >= 2 and scores[1] >= 0.7 * scores[0]),
        "top_score": float(scores[0]) if scores else 0.0,
        "final_owner": float(final_owner),
    }
    out.update(voice_signals(bouncers if bouncers is not None else units[1:1 + len(reasons)], reasons, final))
    return out


def chain_signals(units: list[str], reasons: list[str], final: str = "") -> dict[str, float]:
    """The signals a record shows without any 三定 — its bounce chain and reasons only — marked `no_sanding`:
    for the written dispute corpus (corpora/disputes), whose records belong to no parsed government, so that
    the model learns the dispute's voice from them and the 三定 signals from the development corpora."""
    local_units = sum(unit_flags(u).local for u in units)
    out = {
        "no_sanding": 1.0,
        "pushed_down": float(local_units > 0 or bool(final and unit_flags(final).local)),
        "local_reason": float(any(reason_flags(r).local_reason for r in reasons)),
        f"bounces={min(len(reasons), 3)}": 1.0,
    }
    out.update(voice_signals(units, reasons, final))
    return out


def rule(sig: dict[str, float]) -> str:
    """The signals alone, in the order a reviewer reads them: a 乡镇/街道 that cannot act, or a push-down (a 乡镇/街道
    bounced it or a reason points to 属地) that is neither part of an open overlap nor bounced by two departments
    whose 三定 cover it → 基层 (an order that merely ended at a township, or a township that only names the owner
    department, is no push-down); a written division → 流程 (execution); an open overlap → 边界; a reason that
    says nobody is assigned (无明确规定, 尚未明确…), with no reason naming an owner, when every reason denies or
    nobody's 三定 covers it → 未明确 — a plain 不属于我单位职责 says only whose it is not; nobody covers it
    otherwise → 流程 (a misroute: the owner is often a body whose 三定 was not given); one department covers it,
    or one bounce naming the owner → 流程; else 边界. (The order was written after reading the development
    corpora's errors; bench/hotline_quality.py reports it beside the model.)"""
    return rule_with_reason(sig)[0]


def judgement_call(sig: dict[str, float]) -> bool:
    """A 职责分工 settles it, yet two or more units bounced it in turn: execution of the division (流程) or a division
    that does not settle the boundary in practice (边界) — the development corpora's authors read such records both
    ways (on 鹿鸣 3 of 8 and on 望川 4 of 6 are not the rule's 流程, against 12 % and 18 % of the other records;
    docs/benchmarks.md, session 33), so the record is flagged 需复核."""
    return bool(sig.get("settled")) and bool(sig.get("bounces=2") or sig.get("bounces=3"))


def rule_with_reason(sig: dict[str, float]) -> tuple[str, str]:
    """`rule`'s label and, in the reviewer's words, the branch that gave it (the 争议依据 column leads with it)."""
    g = sig.get
    # A 乡镇/街道 that only names the county department that owns it (no 属地 words, no lack of power) is a misroute.
    redirect_up = g("local_bounced") and g("redirect_all") and not g("local_reason")
    pushed_down = ((g("local_bounced") and not redirect_up) or g("local_reason")) and not g("linked_unsettled") \
        and not g("bounced_owners>=2")
    if g("local_incapable"):
        return GRASSROOTS, "乡镇/街道称无执法权或力量"
    if pushed_down:
        return GRASSROOTS, "推给乡镇/街道，且非未分工的职责交叉事项"
    if g("settled"):
        if judgement_call(sig):
            return PROCESS, "已有职责分工仍被多个单位相继退单：执行问题，也可能分工在实际中未理清边界"
        return PROCESS, "已有职责分工仍被退单：执行问题"
    if g("linked_unsettled"):
        return BOUNDARY, "属职责交叉事项且无职责分工"
    if g("unassigned") and not g("redirect_all") and (g("unassigned_all") or g("owners=0")):
        return UNDEFINED, "退单理由称无明确规定或主管部门"
    if g("owners=0"):
        return PROCESS, "所给三定均未覆盖、退单理由未称无明确规定：多为派错单（承办单位三定不在所给材料中）"
    if g("owners=1"):
        return PROCESS, "一个部门三定覆盖：派错单"
    if g("redirect_all") and g("bounces=1"):
        return PROCESS, "一次退单即指明承办单位：派错单"
    return BOUNDARY, "多个部门三定覆盖"


def dispute_text(request: str, reasons: list[str], request_chars: int = 80) -> str:
    """The dispute's voice: every 退单理由, then the opening of the request (what it is about)."""
    return "；".join(r for r in reasons if r) + "。" + request[:request_chars]


def _grams(text: str, n: tuple[int, int] = (1, 3)) -> list[str]:
    return [text[i:i + k] for k in range(n[0], n[1] + 1) for i in range(len(text) - k + 1)]


class DisputeModel:
    """Logistic regression over signal indicators + character 1–2-gram tf-idf (fit/predict like scikit-learn;
    stored as plain JSON weights, so loading runs no code). `override`: the model's label replaces the signals'
    rule only when its probability reaches this (0 = always the model); with 80-record development corpora the
    text side is weak evidence of another author's dispute, so how far to trust it is chosen across the
    development corpora (each predicted by a model fitted on the others; bench/build_dispute_model.py)."""

    def __init__(self, C: float = 1.0, signal_weight: float = 1.0, class_weight: str | None = None,
                 override: float = 0.0):
        self.C, self.signal_weight, self.class_weight, self.override = C, signal_weight, class_weight, override

    def _matrix(self, texts: list[str], sigs: list[dict[str, float]]):
        from scipy import sparse

        grams = getattr(self, "_char_tfidf", None)
        if grams is None or grams.vectorizer is not self.vectorizer_:
            grams = self._char_tfidf = CharTfidf(self.vectorizer_)
        text_part = grams.transform(texts)
        rows, cols, vals = [], [], []
        for r, s in enumerate(sigs):
            for k, v in s.items():
                j = self.signal_index_.get(k)
                if j is not None and v:
                    rows.append(r)
                    cols.append(j)
                    vals.append(v * self.signal_weight)
        sig_part = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.signal_index_)))
        return sparse.hstack([text_part, sig_part]).tocsr()

    def fit(self, texts: list[str], sigs: list[dict[str, float]], y: list[str]) -> "DisputeModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=2).fit(texts)
        names = sorted({k for s in sigs for k in s} | {r for s in sigs for r in [f"rule={rule(s)}"]})
        self.signal_index_ = {k: i for i, k in enumerate(names)}
        sigs = [{**s, f"rule={rule(s)}": 1.0} for s in sigs]
        clf = LogisticRegression(C=self.C, max_iter=2000, class_weight=self.class_weight).fit(self._matrix(texts, sigs), y)
        self.classes_ = [str(c) for c in clf.classes_]
        self.coef_, self.intercept_ = clf.coef_, clf.intercept_
        return self

    def predict_proba(self, texts: list[str], sigs: list[dict[str, float]]) -> np.ndarray:
        return self._proba(texts, sigs, [rule(s) for s in sigs])

    def _proba(self, texts: list[str], sigs: list[dict[str, float]], rules: list[str]) -> np.ndarray:
        sigs = [{**s, f"rule={r}": 1.0} for s, r in zip(sigs, rules)]
        z = self._matrix(texts, sigs) @ self.coef_.T + self.intercept_
        if z.shape[1] == 1:  # two classes: sklearn keeps one row of weights
            z = np.hstack([-z, z])
        z = np.asarray(z - z.max(axis=1, keepdims=True))
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: list[str], sigs: list[dict[str, float]]) -> list[DisputePrediction]:
        out = []
        ruled = [rule_with_reason(s) for s in sigs]  # the rule once a record: a feature, the fallback and its words
        proba = self._proba(texts, sigs, [label for label, _ in ruled])
        orders = np.argsort(-proba, axis=1, kind="stable").tolist()  # one sort for the batch, rows as lists
        classes, index = self.classes_, {c: i for i, c in enumerate(self.classes_)}
        for p, s, order, (by_rule_label, why) in zip(proba.tolist(), sigs, orders, ruled):
            if p[order[0]] < self.override:
                first = index.get(by_rule_label)
                if first is not None:
                    order = [first] + [i for i in order if i != first]
            second = order[1] if len(order) > 1 else order[0]
            out.append(DisputePrediction(classes[order[0]], round(p[order[0]], 3), classes[second],
                                         round(p[second], 3), tuple(k for k, v in s.items() if v),
                                         why if classes[order[0]] == by_rule_label else "", judgement_call(s)))
        return out

    # -- storage: plain JSON, nothing executable
    def to_json(self, meta: dict[str, str]) -> str:
        vocab = {t: int(i) for t, i in self.vectorizer_.vocabulary_.items()}
        return json.dumps({
            "meta": meta, "ngrams": list(NGRAMS), "C": self.C, "signal_weight": self.signal_weight,
            "class_weight": self.class_weight, "override": self.override, "classes": self.classes_,
            "vocabulary": vocab, "idf": [round(float(x), 5) for x in self.vectorizer_.idf_],
            "signals": self.signal_index_, "coef": [[round(float(x), 5) for x in row] for row in self.coef_],
            "intercept": [round(float(x), 5) for x in self.intercept_],
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "DisputeModel":
        from sklearn.feature_extraction.text import TfidfVectorizer

        data = json.loads(text)
        model = cls(data["C"], data["signal_weight"], data.get("class_weight"), data.get("override", 0.0))
        vec = TfidfVectorizer(analyzer="char", ngram_range=tuple(data.get("ngrams", NGRAMS)), sublinear_tf=True,
                              vocabulary=data["vocabulary"])
        vec.idf_ = np.asarray(data["idf"])
        model.vectorizer_, model.signal_index_ = vec, data["signals"]
        model.classes_, model.meta = data["classes"], data["meta"]
        model.coef_, model.intercept_ = np.asarray(data["coef"]), np.asarray(data["intercept"])
        return model


def shipped_model() -> DisputeModel | None:
    try:
        text = resources.files("duty_analyzer").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return DisputeModel.from_json(text)


def by_rule(sigs: list[dict[str, float]]) -> list[DisputePrediction]:
    out = []
    for s in sigs:
        label, why = rule_with_reason(s)
        out.append(DisputePrediction(label, 0.5, BOUNDARY if label != BOUNDARY else UNDEFINED, 0.0,
                                     tuple(k for k, v in s.items() if v), why, judgement_call(s)))
    return out

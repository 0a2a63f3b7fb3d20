"""Department ranking: one tokenizer, BM25 clauses per department, learned vocabulary, evidence, floor."""

import numpy as np

from duty_analyzer.hotline.ranking import (
    Clause, Ranker, Tokenizer, Vocabulary, best_covered, first_max, shown_order,
)
from duty_analyzer.hotline.vocabulary import build


def _clause(dept: str, text: str, item: str = "（一）") -> Clause:
    return Clause(dept, "主要职责", item, None, text, f"{dept}.txt")


CLAUSES = [
    _clause("甲市公安局", "负责道路交通安全管理，维护交通秩序，管理交通信号设施。"),
    _clause("甲市公安局", "负责户籍和出入境证件管理。", "（二）"),
    _clause("甲市城市管理局", "负责查处违法建设，组织拆除违法建筑。"),
    _clause("甲市城市管理局", "负责市容环境卫生管理和生活垃圾清运。", "（二）"),
    _clause("甲市教育局", "负责义务教育学校招生入学管理。"),
]
TOK = Tokenizer(frozenset({"负责", "管理"}))


def test_tokenizer_cuts_requests_and_clauses_alike():
    assert TOK("负责违法建设查处") == TOK("负责违法建设查处")
    assert "违法" in TOK("违法建设") or "违法建设" in TOK("违法建设")
    assert "负责" not in TOK("负责违法建设")


def test_rank_returns_a_scored_list_with_the_clause():
    ranked = Ranker(CLAUSES, TOK).rank(["孩子上小学招生入学怎么报名"])[0]
    assert ranked[0].department == "甲市教育局"
    assert 0 < ranked[0].score <= 1 and "招生" in ranked[0].clause.text
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_floor_is_applied():
    ranker = Ranker(CLAUSES, TOK)
    everything = ranker.rank(["拆除违法建筑 交通"])[0]
    floored = ranker.rank(["拆除违法建筑 交通"], floor=everything[0].score)[0]
    assert len(everything) >= 2 and len(floored) == 1


def test_learned_association_bridges_a_citizens_word():
    # Replies to messages about 红绿灯 speak of 交通信号; the table learns it from the pairs alone.
    pairs = [("路口红绿灯坏了好几天", "已转交警部门修复交通信号设施")] * 4 + [("楼下垃圾没人清运", "已通知环卫清运生活垃圾")] * 4
    vocab = build(pairs, TOK, min_pairs=2, prior=0, max_reply_share=0.6, keep=20)
    assert any(term in {"交通", "信号"} for term, _ in vocab.related["红绿灯"])
    plain = Ranker(CLAUSES, TOK).rank(["红绿灯不亮"])[0]
    bridged = Ranker(CLAUSES, TOK, vocab).rank(["红绿灯不亮"])[0]
    assert not plain and bridged[0].department == "甲市公安局"
    assert Vocabulary.from_tsv(vocab.to_tsv()).related["红绿灯"] == vocab.related["红绿灯"]


def test_bounce_reasons_count_as_evidence():
    ranker = Ranker(CLAUSES, TOK)
    alone = ranker.rank(["这个事情到底谁管"])[0]
    with_reason = ranker.rank(["这个事情到底谁管"], ["违法建设的查处不属我局职责"])[0]
    assert not alone and with_reason[0].department == "甲市城市管理局"


def test_shipped_vocabulary_has_metadata():
    vocab = Vocabulary.shipped()
    assert vocab.related and vocab.meta.get("script") == "bench/build_hotline_terms.py"


def test_department_name_counts_but_the_cited_clause_is_a_duty():
    from duty_analyzer.model import Corpus, Department, DutyItem, Location, ParsedFile

    duties = [DutyItem("甲市城市管理局", "主要职责", "（一）", "负责市容环境卫生管理。", Location("a.txt")),
              DutyItem("甲市教育局", "主要职责", "（一）", "负责学校招生管理。", Location("b.txt"))]
    corpus = Corpus([ParsedFile("a.txt", "sanding", [Department("甲市城市管理局", "城管局"), Department("甲市教育局", "教育局")], duties)])
    from duty_analyzer.hotline.ranking import clauses_of

    top = Ranker(clauses_of(corpus), TOK).rank(["城管不来处理"], ["属城市管理部门的市容职责"])[0][0]
    assert top.department == "甲市城市管理局" and top.clause.section == "主要职责"


# A small government of four departments (this test's own wording): the list a user reads always has scores,
# shows at least three departments when three match at all, and marks the ones under the floor as weak.
SHOWN = [
    _clause("乙县水利局", "负责水库、堤防和河道的安全管理，组织防汛抗旱工作。"),
    _clause("乙县水利局", "负责农村饮水安全工程建设管理。", "（二）"),
    _clause("乙县交通运输局", "负责农村公路的建设和养护管理。"),
    _clause("乙县交通运输局", "负责客运站和班线客运的监督管理。", "（二）"),
    _clause("乙县林业局", "负责森林防火和林木采伐的监督管理。"),
    _clause("乙县林业局", "负责古树名木保护。", "（二）"),
    _clause("乙县人社局", "负责劳动保障监察，查处拖欠工资行为。"),
]


def test_list_shows_at_least_three_departments_with_weak_ones_marked_after_the_others():
    ranker = Ranker(SHOWN, TOK)
    request = ["河道堤防冲垮，水库放水没人通知，防汛值班找不到人，堤防裂缝，河边的公路也被淹了，林木倒了"]
    floor = 0.2
    floored = ranker.rank(request, floor=floor)[0]
    shown = ranker.rank(request, floor=floor, min_shown=3)[0]
    assert len(floored) < 3 and len(shown) == 3
    assert shown[0].department == "乙县水利局" and not shown[0].weak
    assert all(0 < r.score <= 1 and 0 <= r.cover <= 1 for r in shown)
    # Strong entries first, by score; then weak ones (under the floor on cover), by score.
    strong = [r for r in shown if not r.weak]
    weak = [r for r in shown if r.weak]
    assert shown == strong + weak
    assert weak and all(r.cover >= floor for r in strong) and all(r.cover < floor for r in weak)
    assert [r.score for r in strong] == sorted((r.score for r in strong), reverse=True)
    assert [r.score for r in weak] == sorted((r.score for r in weak), reverse=True)
    assert [r.department for r in strong] == [r.department for r in floored]
    # What the words alone say covers the matter (owners, dispute signals): above the floor, best cover first.
    assert [d for d, _ in shown.covered] == [r.department for r in sorted(strong, key=lambda r: -r.cover)]


def test_a_department_no_request_term_reaches_is_never_shown():
    ranker = Ranker(SHOWN, TOK)
    shown = ranker.rank(["水库大坝漏水"], floor=0.08, min_shown=3)[0]
    assert shown and "乙县人社局" not in {r.department for r in shown}
    assert ranker.rank(["？？？"], floor=0.08, min_shown=3)[0] == []


def test_character_view_reaches_a_word_the_tokenizer_cuts_differently():
    # With no character view the ranking is the words' (the weight is RankerConfig.chars).
    from duty_analyzer.hotline.ranking import RankerConfig

    words_only = Ranker(SHOWN, TOK, config=RankerConfig(chars=0.0))
    both = Ranker(SHOWN, TOK)
    request = ["古树被人砍了"]
    assert both.rank(request)[0][0].department == "乙县林业局"
    assert both.rank(request)[0][0].cover == words_only.rank(request)[0][0].score


class _ConceptEncoder:
    """A stand-in for a sentence encoder: one axis per concept, a text on the axes of the words it holds."""

    CONCEPTS = (("剩饭", "垃圾", "卫生"), ("红绿灯", "交通", "信号"), ("学校", "入学"))

    def encode(self, texts):
        import numpy as np

        rows = np.array([[sum(w in t for w in words) for words in self.CONCEPTS] + [1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_an_encoder_reorders_departments_by_meaning_but_not_their_cover():
    # Both departments are reached by one word each (垃圾, 交通); what the request is about — leftovers and rubbish
    # by a railing — only the encoder sees. Bare requests only: with a 退单理由 the words decide.
    request = ["剩饭垃圾堆在交通护栏边"]
    plain = Ranker(CLAUSES, TOK).rank(request)[0]
    meant = Ranker(CLAUSES, TOK, encoder=_ConceptEncoder()).rank(request)[0]
    assert {r.department for r in plain[:2]} == {r.department for r in meant[:2]} == {"甲市公安局", "甲市城市管理局"}
    assert meant[0].department == "甲市城市管理局"
    assert {r.department: r.cover for r in plain} == {r.department: r.cover for r in meant}
    assert all(0 <= r.score <= 1 for r in meant)
    reasoned = Ranker(CLAUSES, TOK, encoder=_ConceptEncoder()).rank(request, ["不属我局职责"])[0]
    assert [(r.department, r.score) for r in reasoned] == [(r.department, r.score) for r in Ranker(CLAUSES, TOK).rank(request, ["不属我局职责"])[0]]


def test_batch_query_is_the_per_request_queries_bit_for_bit():
    # Repeated words and repeated bigrams (their weights scale with the count), a word the clauses never use, an
    # associated term that outweighs a direct one, evidence sharing columns with the request, empty texts.
    vocab = Vocabulary({"违法建设": 0.9, "违法": 0.4, "建设": 0.3, "红绿灯": 1.0, "垃圾": 0.7},
                       {"红绿灯": [("交通", 0.5), ("信号", 0.8)], "违法": [("违法建筑", 0.9)], "乱搭": [("违法建设", 0.6)]})
    ranker = Ranker(CLAUSES, TOK, vocab)
    texts = ["违法建设违法建设，红绿灯不亮", "垃圾垃圾垃圾没人清运", "", "乱搭乱建的违法建筑谁管", "。。", "红绿灯红绿"]
    evidence = ["违法建设的查处不属我局职责", "", "交通信号由交警负责", "", "", "红绿灯"]
    plain = ranker.query_entries([ranker.query(t, e) for t, e in zip(texts, evidence)])
    for _ in range(2):  # the second time every word is known
        fast = ranker.batch_query(texts, evidence, [None] * len(texts))
        assert all(a.dtype == b.dtype and a.tobytes() == b.tobytes() for a, b in zip(plain, fast))


def test_first_max_keeps_the_highest_weight_at_the_first_positive_place():
    rows = np.array([1, 0, 1, 0, 0, 1, 0])
    cols = np.array([5, 2, 3, 7, 2, 5, 9])
    weights = np.array([0.2, 0.1, 0.5, 0.0, 0.4, 0.9, 0.3])
    expected = []
    for r in (0, 1):
        filled: dict[int, float] = {}
        for c, w in zip(cols[rows == r], weights[rows == r]):
            if w > filled.get(c, 0.0):
                filled[c] = w
        expected += [(r, c, w) for c, w in filled.items()]
    got = first_max(rows, cols, weights, 10)
    assert list(zip(*(a.tolist() for a in got))) == expected


def shown_one_by_one(tot: list[float], cov: list[float], names: list[str], floor: float, min_shown: int,
                     by_score: bool = False) -> list[tuple[int, bool]]:
    """The list rule written out for one request (the ranker's per-row loop before it went to numpy)."""
    order = sorted((d for d in range(len(tot)) if tot[d] > 0), key=lambda d: (-tot[d], names[d]))
    if by_score:
        return [(d, cov[d] < floor) for d in order]
    strong = [d for d in order if cov[d] >= floor]
    weak = [d for d in order if cov[d] < floor][:max(min_shown - len(strong), 0)]
    return [(d, False) for d in strong] + [(d, True) for d in weak]


def test_batch_shown_order_lists_what_the_per_request_rule_lists():
    # Coarse scores, so that ties (broken by department) and scores equal to the floor are common.
    rng = np.random.default_rng(7)
    total = np.round(rng.choice([0.0, 0.05, 0.1, 0.2], size=(300, 6)) * rng.integers(0, 2, (300, 6)), 4).astype(np.float32)
    cover = rng.choice([0.0, 0.05, 0.1, 0.2], size=(300, 6)).astype(np.float32)
    names = [f"部门{d}" for d in range(6)]
    by_score = rng.integers(0, 2, 300).astype(bool)
    for limit in (None, 3):
        order, count = shown_order(total, cover, 0.1, 3, limit, by_score=by_score)
        covered, n_covered = best_covered(cover, 0.1, limit)
        for r in range(len(total)):
            tot, cov = total[r].tolist(), cover[r].tolist()
            expected = shown_one_by_one(tot, cov, names, 0.1, 3, by_score=bool(by_score[r]))[:limit]
            assert [(d, cov[d] < 0.1) for d in order[r][:count[r]].tolist()] == expected
            best = sorted((d for d in range(6) if 0 < cov[d] and cov[d] >= 0.1), key=lambda d: (-cov[d], d))[:limit]
            assert covered[r][:n_covered[r]].tolist() == best

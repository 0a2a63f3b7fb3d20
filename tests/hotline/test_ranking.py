"""Department ranking: one tokenizer, BM25 clauses per department, learned vocabulary, evidence, floor."""

from duty_analyzer.hotline.ranking import Clause, Ranker, Tokenizer, Vocabulary
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

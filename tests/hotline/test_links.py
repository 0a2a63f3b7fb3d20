"""Links through clauses: a request naming no object reaches the finding whose evidence clause it matches."""

import numpy as np

from duty_analyzer.hotline.links import FindingIndex, choose
from duty_analyzer.hotline.ranking import Clause
from duty_analyzer.overlaps import Evidence, Overlap


def _finding(fid, depts, clauses):
    ev = [Evidence(c.department, c.unit, c.file, c.section, c.item, c.text) for c in clauses]
    return Overlap(fid, "cross", fid, depts, [], 0.5, False, None, ev, "")


C = [Clause("甲局", "主要职责", "（一）", None, "负责夜间施工噪声监管。", "甲.txt"),
     Clause("乙局", "主要职责", "（二）", None, "负责建筑施工现场管理。", "乙.txt"),
     Clause("丙局", "主要职责", "（三）", None, "负责户外广告设置审批。", "丙.txt")]


def test_best_evidence_clause_links_and_bouncers_break_ties():
    f1, f2 = _finding("F1", ["甲局", "乙局"], C[:2]), _finding("F2", ["丙局", "乙局"], C[1:])
    index = FindingIndex([f1, f2], C)
    scores = np.array([0.1, 0.6, 0.1], dtype=np.float32)  # the shared clause: either finding
    best = index.best_clauses(scores[None, :])[0]
    assert choose(index.options(best, bounced={"丙局"}), link_score=0.4, bounce_weight=0.3).id == "F2"
    assert choose(index.options(best, bounced={"甲局"}), 0.4, 0.3).id == "F1"


def test_weak_clauses_do_not_link():
    index = FindingIndex([_finding("F1", ["甲局", "乙局"], C[:2])], C)
    best = index.best_clauses(np.array([[0.2, 0.1, 0.0]], dtype=np.float32))[0]
    assert choose(index.options(best, set()), link_score=0.4) is None


# ---------------------------------------------------------------- the learned link decision

import json  # noqa: E402
import math  # noqa: E402

import pytest  # noqa: E402

from duty_analyzer.hotline.links import (  # noqa: E402
    LINK_FEATURES, LinkModel, candidates, choose_link, score_candidates, shipped_link_model,
)
from duty_analyzer.segment import Terms  # noqa: E402


def _topic_finding(fid, topic, depts, clauses):
    ev = [Evidence(c.department, c.unit, c.file, c.section, c.item, c.text) for c in clauses]
    return Overlap(fid, "cross", topic, depts, [], 0.7, False, None, ev, "")


def test_a_record_naming_the_object_and_bounced_by_its_departments_links_to_that_finding():
    noise = _topic_finding("F1", "噪声", ["甲局", "乙局"], C[:2])
    ads = _topic_finding("F2", "户外广告", ["丙局", "乙局"], C[1:])
    index = FindingIndex([noise, ads], C)
    best = index.best_clauses(np.array([[0.3, 0.1, 0.05]], dtype=np.float32))[0]
    request = Terms(("噪声",), frozenset(), ("夜间", "施工"))
    cands = candidates([noise, ads], best, request, None, bounced={"甲局", "乙局"}, chain={"甲局", "乙局"}, final="甲局")
    scored = score_candidates(cands, shipped_link_model())
    assert scored[0].finding.id == "F1" and scored[0].probability > scored[1].probability
    assert choose_link(scored, shipped_link_model().threshold).finding.id == "F1"
    assert "诉求点名事项对象" in scored[0].why(shipped_link_model())


def test_a_record_sharing_nothing_with_any_finding_is_not_linked():
    f = _topic_finding("F1", "噪声", ["甲局", "乙局"], C[:2])
    index = FindingIndex([f], C)
    best = index.best_clauses(np.array([[0.0, 0.0, 0.0]], dtype=np.float32))[0]
    request = Terms(("路灯",), frozenset(), ("维修",))
    cands = candidates([f], best, request, None, bounced={"丁局"}, chain={"丁局"}, final=None, final_outside=True)
    assert choose_link(score_candidates(cands, shipped_link_model()), shipped_link_model().threshold) is None


def test_the_shipped_link_model_says_how_it_was_chosen_and_refuses_a_foreign_feature_list():
    model = shipped_link_model()
    assert 0 < model.threshold < 1 and model.meta["script"] == "bench/build_link_model.py"
    assert "sample" in model.meta["loco"] and "threshold" in model.meta["loco"]["sample"]
    data = json.loads(model.to_json(model.meta))
    data["features"] = list(LINK_FEATURES[:-1])
    with pytest.raises(ValueError, match="特征"):
        LinkModel.from_json(json.dumps(data))
    again = LinkModel.from_json(model.to_json(model.meta))
    rows = [{k: 1.0 for k in LINK_FEATURES}, {k: 0.0 for k in LINK_FEATURES}]
    assert np.allclose(again.predict_proba(rows), model.predict_proba(rows), atol=1e-5)


from duty_analyzer.hotline.links import choose_link_settings, plateau_middle, smoothed  # noqa: E402


def test_the_threshold_is_the_middle_of_the_smoothed_plateau_not_a_lone_spike():
    grid = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    jagged = [0.0, 3.0, 0.0, 2.0, 2.0, 2.0, 0.0]  # a spike at 0.2, a broad plateau 0.4–0.6
    assert smoothed([0.0, 3.0, 0.0]) == [1.5, 1.0, 1.5]
    assert plateau_middle(grid, jagged) == 0.2  # the raw argmax takes the spike
    assert plateau_middle(grid, [1.0, 2.0, 2.0, 2.0, 1.0, 0.0, 0.0]) == 0.3  # ties: the middle one
    assert plateau_middle(grid, [2.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0]) == 0.1  # two middles: the lower
    C, threshold = choose_link_settings({1.0: 0.10}, {1.0: jagged}, grid)
    assert (C, threshold) == (1.0, 0.5)


def test_c_is_the_most_regularised_within_the_log_loss_tolerance():
    grid = [0.3, 0.5]
    utility = {0.1: [0.0, 1.0], 1.0: [1.0, 0.0], 3.0: [0.0, 1.0]}
    assert choose_link_settings({0.1: 0.20, 1.0: 0.101, 3.0: 0.100}, utility, grid, width=0) == (1.0, 0.3)
    assert choose_link_settings({0.1: 0.20, 1.0: 0.150, 3.0: 0.100}, utility, grid, width=0) == (3.0, 0.5)
    assert choose_link_settings({0.1: 0.20, 1.0: 0.150, 3.0: 0.100}, utility, grid, tolerance=1.0, width=0) == (0.1, 0.5)


from duty_analyzer.hotline.links import LinkInputs, batch_candidates, link_probabilities  # noqa: E402


def test_a_batch_of_records_gets_the_features_and_probabilities_of_each_record_alone():
    noise = _topic_finding("F1", "噪声", ["甲局", "乙局"], C[:2])
    ads = _topic_finding("F2", "户外广告、招牌", ["丙局", "乙局"], C[1:])
    works = _topic_finding("F3", "施工", ["甲局", "丙局"], [C[0], C[2]])
    findings = [noise, ads, works]
    index = FindingIndex(findings, C)
    best = index.best_clauses(np.array([[0.3, 0.1, 0.05], [0.0, 0.0, 0.0], [0.2, 0.2, 0.6], [0.1, 0.1, 0.1]],
                                       dtype=np.float32))
    records = [
        LinkInputs(Terms(("噪声", "施工"), frozenset(), ("夜间",)), None, {"甲局", "乙局"}, {"甲局", "乙局"}, "甲局"),
        LinkInputs(Terms(("路灯",), frozenset(), ("维修",)), None, set(), {"丁局"}, None, True),
        LinkInputs(Terms((), frozenset(), ("招牌", "施工")), Terms(("户外广告",), frozenset(), ()), {"丙局", "戊局"},
                   {"丙局"}, "丙局"),
        LinkInputs(Terms(("户外广告",), frozenset(), ()), None, {"乙局"}, {"乙局", "甲局"}, None),
    ]
    model = shipped_link_model()
    batched = batch_candidates(findings, best, records, model=model)
    for row, rec in enumerate(records):
        alone = score_candidates(candidates(findings, best[row], rec.request, rec.reasons, rec.bounced, rec.chain,
                                            rec.final, final_outside=rec.final_outside), model)
        assert [(c.finding.id, c.features, c.probability) for c in batched[row]] == \
            [(c.finding.id, c.features, c.probability) for c in alone]
        for c in alone:  # the per-candidate sum over the non-zero features, in feature order
            total = sum((model.weights()[k] * v for k, v in c.features.items() if v), 0.0)
            assert c.probability == round(1.0 / (1.0 + math.exp(-max(min(model.intercept_ + total, 50.0), -50.0))), 4)
    assert batched[0][0].finding.id == "F1" and batched[0][0].features["request_objects"] == 1.0
    assert len(batched[1]) == 0  # shares nothing, no clause scores: no candidate
    assert batched[3][0] == list(batched[3])[0]  # the first alone is the first of the sorted list
    assert [c.finding.id for c in batched[3]][0] == "F2" and len(batched[3]) == 3  # named first; the others by clause
    assert [c.features["nothing_shared"] for c in batched[3]] == [0.0, 1.0, 1.0]
    assert link_probabilities(np.zeros((1, len(LINK_FEATURES))), model) == \
        [round(1.0 / (1.0 + math.exp(-model.intercept_)), 4)]


def test_a_batch_cut_into_smaller_matrices_links_the_same(monkeypatch):
    # Memory stays bounded when a corpus has thousands of findings: records go through in slices.
    import duty_analyzer.hotline.links as links

    noise = _topic_finding("F1", "噪声", ["甲局", "乙局"], C[:2])
    works = _topic_finding("F3", "施工", ["甲局", "丙局"], [C[0], C[2]])
    findings = [noise, works]
    best = FindingIndex(findings, C).best_clauses(np.array([[0.3, 0.1, 0.05], [0.2, 0.2, 0.6], [0.0, 0.0, 0.0]],
                                                           dtype=np.float32))
    records = [
        LinkInputs(Terms(("噪声", "施工"), frozenset(), ("施工",)), None, {"甲局"}, {"甲局", "乙局"}, "甲局"),
        LinkInputs(Terms((), frozenset(), ("施工",)), None, {"丙局"}, {"丙局"}, None),
        LinkInputs(Terms(("噪声",), frozenset(), ()), None, set(), set(), None),
    ]
    model = shipped_link_model()
    whole = [[(c.finding.id, c.features, c.probability) for c in opts] for opts in batch_candidates(findings, best, records, model=model)]
    monkeypatch.setattr(links, "MATRIX_CELLS", 1)
    sliced = [[(c.finding.id, c.features, c.probability) for c in opts] for opts in batch_candidates(findings, best, records, model=model)]
    assert sliced == whole and len(whole) == 3 and whole[0]
    works_first = dict((fid, feats) for fid, feats, _ in whole[0])["F3"]
    assert works_first["request_objects"] == 1.0 and works_first["request_words"] == 1.0


from duty_analyzer.hotline.links import FindingTerms, bigrams, object_part  # noqa: E402


def test_a_request_saying_part_of_a_findings_object_gets_the_share_it_says():
    waste = _topic_finding("F1", "生活垃圾、垃圾分类", ["甲局", "乙局"], C[:2])
    parts = FindingTerms.of([waste]).parts[0]
    assert object_part(["小区门口的垃圾池满了"], parts) == pytest.approx(1 / 3)  # 垃圾 of 生活垃圾; 垃圾分类 1/3 too
    assert object_part(["生活垃圾没人清运"], parts) == pytest.approx(1 / 3)  # named whole: only 垃圾分类's share counts
    assert object_part(["楼道灯坏了", "不属于我局"], parts) == 0.0
    assert object_part(["垃圾", "分类收运"], parts) == pytest.approx(1 / 3)  # one text's share, not the union's
    assert bigrams("垃圾垃圾") == ("垃圾", "圾垃")
    best = FindingIndex([waste], C).best_clauses(np.array([[0.1, 0.1, 0.0]], dtype=np.float32))
    rec = LinkInputs(Terms((), frozenset(), ("清运",)), None, {"甲局"}, {"甲局"}, None, texts=("垃圾池没人清运",))
    [options] = batch_candidates([waste], best, [rec])
    assert options[0].features["object_part"] == pytest.approx(1 / 3)

"""Pair features: a shared word that names a kind of the dictionary's objects (垃圾 of 建筑垃圾) counts as a thing
managed, so an overlap on an object in no dictionary that is such a kind is found and explained."""

from duty_analyzer.compare import CROSS, decide, find_overlaps
from duty_analyzer.compare.engine import OverlapConfig, candidate_pairs
from duty_analyzer.compare.pairs import FEATURE_NAMES, FEATURES, object_heads
from duty_analyzer.segment import default_segmenter

from .test_cases import BOILERPLATE, FILLER, corpus_of

KIND = FEATURE_NAMES.index("anchor_kind")


def test_the_kinds_are_the_heads_of_the_longer_object_names():
    assert object_heads({"建筑垃圾", "餐厨垃圾", "农贸市场", "停车", "预付卡"}) == {"垃圾", "市场"}
    assert object_heads(set()) == frozenset()


def county_with(duties: dict[str, str]) -> dict[str, list[str]]:
    """Six filler departments of one county plus `duties` (department → its one distinctive duty)."""
    depts = {"临河县" + name: [text] + BOILERPLATE for name, text in list(FILLER.items())[:6]}
    depts.update({"临河县" + name: [text] + BOILERPLATE for name, text in duties.items()})
    return depts


def floating_litter() -> dict[str, list[str]]:
    return county_with({"水利局": "负责组织打捞水库库区的漂浮垃圾，督促乡镇落实库岸巡查。",
                        "城市管理局": "负责县城建成区水面漂浮垃圾的清捞转运和沿岸环境卫生监督。"})


def test_a_shared_kind_of_object_is_marked_and_weighs_for_an_overlap():
    seg = default_segmenter()
    assert "漂浮垃圾" not in seg.lexicon.objects and "垃圾" not in seg.lexicon.objects.values()
    (gov,) = candidate_pairs(corpus_of(floating_litter()), OverlapConfig(), seg)
    (pair,) = [c for c in gov.candidates if c.kind == CROSS]
    assert pair.anchor == "垃圾" and pair.x[KIND] == 1.0
    model = decide.load_default()
    without = pair.x.copy()
    without[KIND] = 0.0
    assert model.predict_proba(pair.x[None])[0] > model.predict_proba(without[None])[0]


def test_the_overlap_on_a_kind_of_object_is_listed_with_its_full_name_and_reason():
    (found,) = [f for f in find_overlaps(corpus_of(floating_litter())).overlaps if f.kind == CROSS]
    assert found.departments == ["临河县城市管理局", "临河县水利局"]
    assert found.topic == "漂浮垃圾"
    assert FEATURES["anchor_kind"] in found.why


def test_a_way_of_working_shared_by_two_departments_is_no_kind_of_object():
    depts = {"临河县" + name: [text] + BOILERPLATE for name, text in list(FILLER.items())[:6]}
    depts["临河县交通运输局"] = ["负责精简交通运输行政审批事项，推行网上办理。"] + BOILERPLATE
    depts["临河县商务局"] = ["负责精简商贸流通领域审批事项，推行告知承诺制。"] + BOILERPLATE
    (gov,) = candidate_pairs(corpus_of(depts), OverlapConfig(), default_segmenter())
    assert gov.candidates and all(c.x[KIND] == 0.0 for c in gov.candidates)


SECTOR = FEATURE_NAMES.index("own_sector")


def bidding() -> dict[str, list[str]]:
    return county_with({"水利局": "负责监督管理水利工程的招标投标活动和工程质量。",
                        "住房和城乡建设局": "负责监督管理房屋建筑工程的招标投标活动和施工许可。"})


def test_an_object_qualified_by_the_departments_own_sector_is_marked_and_weighs_against():
    # 水利工程的招标投标 is the 水利局's share of bidding, not bidding at large: a look-alike, not an overlap.
    (gov,) = candidate_pairs(corpus_of(bidding()), OverlapConfig(), default_segmenter())
    (pair,) = [c for c in gov.candidates if c.kind == CROSS]
    assert pair.x[SECTOR] == 1.0
    model = decide.load_default()
    without = pair.x.copy()
    without[SECTOR] = 0.0
    assert model.predict_proba(pair.x[None])[0] < model.predict_proba(without[None])[0]
    (gov,) = candidate_pairs(corpus_of(floating_litter()), OverlapConfig(), default_segmenter())
    assert all(c.x[SECTOR] == 0.0 for c in gov.candidates)  # 水利局's 水库库区的漂浮垃圾 names no sector word


def test_the_sector_word_is_the_name_without_place_branch_or_body():
    from duty_analyzer.names import sector_word

    assert sector_word("临河县水利局") == "水利"
    assert sector_word("青川市生态环境局临河分局") == "生态环境"
    assert sector_word("临河县发展和改革委员会") == "发展和改革"


def test_a_shared_run_is_titled_by_whole_words_without_drafting_words():
    from duty_analyzer.compare.pairs import whole_words

    seg = default_segmenter()
    title = lambda run, term: whole_words(run, term, seg.tokens, seg.lexicon.stop)  # noqa: E731
    assert title("法占用林地", "占用林地") == "占用林地"  # 违法占用林地 / 非法占用林地
    assert title("负责古树名木", "古树名木") == "古树名木"
    assert title("技术规范并组织", "技术规范") == "技术规范"
    assert title("古树名木", "古树名木") == "古树名木"

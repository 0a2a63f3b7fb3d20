"""The matching core's public interface: units, department-weighted space, top-k neighbours."""

from duty_analyzer.match import Background, WeightConfig, build_space, collect_units, neighbour_pairs
from duty_analyzer.model import Corpus, DutyItem, Location, ParsedFile
from duty_analyzer.segment import default_segmenter


def _corpus(departments):
    pf = ParsedFile(path="g.txt", kind="sanding")
    for dept, duties in departments.items():
        for i, text in enumerate(duties, start=1):
            pf.duties.append(DutyItem(dept, "主要职责", f"（{i}）", text, Location("g.txt", line=i)))
    return Corpus(files=[pf])


def test_clauses_sharing_a_rare_object_are_neighbours_only_across_departments():
    seg = default_segmenter()
    common = "负责本部门安全生产和保密工作。"
    corpus = _corpus({
        "甲县城市管理局": ["负责县城公共停车泊位设置管理。", common],
        "甲县住房和城乡建设局": ["组织公共停车设施建设。", common],
        "甲县教育局": ["负责中小学教育教学管理。", common],
    })
    units = collect_units(corpus, seg)
    assert all(u.item_key and u.terms for u in units) and len(units) == 6
    # Three departments are too few to learn word weights from: the shipped background city supplies them.
    space = build_space(units, WeightConfig(), set(seg.lexicon.objects.values()), Background.shipped())
    assert space.weight("停车") > space.weight("负责")
    pairs = {(units[i].text, units[j].text) for i, j, _ in neighbour_pairs(space, units, WeightConfig(min_score=0.05))}
    assert ("负责县城公共停车泊位设置管理", "组织公共停车设施建设") in pairs
    assert all(units[i].department != units[j].department for i, j, _ in neighbour_pairs(space, units, WeightConfig(min_score=0.05)))

"""Grouping pairs into findings: a smaller group on the same duty item joins a larger one only when both are
about one kind of thing, so a reviewer never gets two unrelated matters in one ledger row."""

from types import SimpleNamespace

from duty_analyzer.compare import CROSS
from duty_analyzer.compare.engine import absorb, same_kind


def group(members: set[str], items: set[tuple], anchor: str, score: float = 0.5):
    return (CROSS, frozenset(members), set(items), [SimpleNamespace(anchor=anchor, score=score)])


def test_objects_of_one_kind():
    assert same_kind({"生活垃圾"}, {"餐厨垃圾"})
    assert same_kind({"垃圾"}, {"建筑垃圾"})
    assert not same_kind({"停车"}, {"地下管线"})
    assert not same_kind(set(), {"停车"})


def test_a_part_on_the_same_kind_of_object_joins_the_whole():
    whole = group({"城管局", "环保局", "市监局"}, {("城管局", 4), ("环保局", 6)}, "餐厨垃圾")
    part = group({"城管局", "环保局"}, {("城管局", 4)}, "生活垃圾")
    (joined,) = absorb([whole, part])
    assert {p.anchor for p in joined[3]} == {"餐厨垃圾", "生活垃圾"}
    assert joined[1] == whole[1]


def test_a_part_on_another_matter_of_the_same_item_stays_its_own_finding():
    whole = group({"城管局", "住建局", "交通局"}, {("城管局", 2), ("住建局", 3)}, "地下管线")
    part = group({"城管局", "住建局"}, {("城管局", 2)}, "停车")
    assert sorted(g[3][0].anchor for g in absorb([whole, part])) == ["停车", "地下管线"]

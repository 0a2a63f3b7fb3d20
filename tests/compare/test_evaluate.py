"""The team's scoring rule: bigram cover of 60 %, whitespace ignored, two departments make an overlap found."""

from duty_analyzer.compare.engine import Evidence, Overlap
from duty_analyzer.compare.evaluate import TruthGroup, TruthItem, covers, finds


def _finding(*evidence):
    return Overlap("JC-x", "cross", "t", sorted({e.department for e in evidence}), [], 0.9, False, None, list(evidence), "")


def test_cover_ignores_line_breaks_and_needs_sixty_percent():
    item = "负责城区公共停车泊位的设置和管理"
    assert covers("前文。负责城区公共停车\n泊位的设置和管理。后文", item)
    assert not covers("负责城区公共停车", item)


def test_overlap_found_only_when_two_departments_are_covered():
    group = TruthGroup("O1", [TruthItem("甲县城管局", "主要职责", None, "负责停车泊位设置管理"),
                              TruthItem("甲县住建局", "主要职责", None, "负责停车设施建设运营")])
    both = _finding(Evidence("甲县城管局", None, "f", "主要职责", "1", "负责停车泊位设置管理"),
                    Evidence("甲县住建局", None, "f", "主要职责", "2", "负责停车设施建设运营"))
    one = _finding(Evidence("甲县城管局", None, "f", "主要职责", "1", "负责停车泊位设置管理"),
                   Evidence("甲县交通局", None, "f", "主要职责", "3", "负责停车设施建设运营"))
    assert finds(both, group) and not finds(one, group)

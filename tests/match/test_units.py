"""Clause terms: a compound that jieba keeps whole still shares its object with the plain wording."""

from duty_analyzer.match import collect_units
from duty_analyzer.model import Corpus, DutyItem, Location, ParsedFile
from duty_analyzer.segment import default_segmenter, split_action


def test_a_compound_ending_in_an_action_is_its_object_plus_that_action():
    seg = default_segmenter()
    lex = seg.lexicon
    assert split_action("污水处理", lex) == ("污水", lex.actions["处理"])
    assert split_action("污水", lex) == ("污水", None)  # too short to split
    plain = seg.terms("督促乡镇开展集镇污水治理")
    compound = seg.terms("检查集镇污水处理设施出水水质")
    assert "污水" in set(plain.content) & set(compound.content)
    assert lex.actions["处理"] in compound.actions


def test_a_numbered_reform_item_is_not_a_duty_to_compare():
    # Every department's 三定 ends its 主要职责 with “职能转变。……” in the same reform words; comparing
    # them would make every pair of departments overlap on 放管服.
    duties = [
        DutyItem("甲县测试局", "主要职责", "（一）", "负责全县古桥梁的保护管理。", Location("a.txt", line=3)),
        DutyItem("甲县测试局", "主要职责", "（二）", "职能转变。县测试局要深化放管服改革，减少审批事项，加强事中事后监管。",
                 Location("a.txt", line=4)),
    ]
    units = collect_units(Corpus([ParsedFile("a.txt", "sanding", duties=duties)]), default_segmenter())
    assert [u.item for u in units] == ["（一）"]


def test_use_control_is_a_supervisory_action():
    seg = default_segmenter()
    assert seg.lexicon.actions["监督管理"] in seg.terms("履行国土空间用途管制职责").actions

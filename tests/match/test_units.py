"""Clause terms: a compound that jieba keeps whole still shares its object with the plain wording."""

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

from duty_analyzer.segment import Lexicon, clauses, default_segmenter


def test_variants_read_as_one_object():
    seg = default_segmenter()
    a = seg.terms("拟订城市公共停车泊位设置计划")
    b = seg.terms("牵头组织全市公共停车场（库）等停车设施建设")
    assert "停车" in a.objects and "停车" in b.objects
    assert "设置" in a.actions and "建设" in b.actions


def test_exclusions_are_not_part_of_the_duty():
    seg = default_segmenter()
    terms = seg.terms("监督检查工矿商贸生产经营单位的安全生产条件和有关设备（特种设备除外）")
    assert "电梯" not in terms.objects


def test_stop_words_and_single_characters_are_dropped():
    seg = default_segmenter()
    terms = seg.terms("负责组织实施全市有关工作")
    assert terms.words == () and terms.objects == ()


def test_user_lexicon_extends_the_shipped_one(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("object\t充电桩\t充电桩 换电站\n", encoding="utf-8")
    lex = Lexicon.load(extra)
    assert lex.objects["换电站"] == "充电桩" and lex.objects["停车场"] == "停车"


def test_clauses_split_sentences():
    assert clauses("负责停车管理。拟订停车计划；监督停车收费。") == ["负责停车管理", "拟订停车计划", "监督停车收费"]


def test_the_contravening_form_reads_as_the_illegal_object():
    # “违反X的建设行为” is how a 三定 drafts 违法建设; both forms must meet on the dictionary's object.
    seg = default_segmenter()
    drafted = seg.terms("依法查处违反村庄规划的建设行为")
    assert seg.lexicon.objects["违法建设"] in drafted.objects
    assert "村庄" in drafted.words  # what was contravened still counts as words of the clause
    assert not seg.terms("依法查处擅自改变房屋用途的行为").objects

"""三定 numbering variants, staffing and 职责分工, on small generated documents."""

from textwrap import dedent

from duty_analyzer.parse import parse_file

STYLE_A = dedent("""\
    云溪市测试局职能配置、内设机构和人员编制规定
    第一条 根据有关规定，制定本规定。
    第二条 云溪市测试局是市政府工作部门，为正处级。
    第三条 市测试局贯彻落实党中央决策部署。主要职责是：
    （一）负责全市停车设施建设管理。
    （二）负责本部门安全生产工作。
    （三）完成市委、市政府交办的其他任务。
    （四）职能转变。市测试局应当加强事中事后监管。
    第四条 市测试局设下列内设机构：
    （一）办公室。负责机关日常运转工作。
    （二）停车管理科。负责停车设施规划建设。承担停车收费监督。
    第五条 市测试局机关行政编制二十五名。设局长1名，副局长3名；正科级领导职数6名（含机关党委专职副书记1名）。
    第六条 其他事项。
    （一）与市城市管理局、市公安局的有关职责分工。市测试局负责停车设施建设。
    1.市城市管理局负责路内停车泊位监督管理。
    2.市公安局负责道路交通秩序。
    （二）所属事业单位的设置、职责和编制事项另行规定。
    第七条 本规定由市委机构编制委员会办公室负责解释。
""")

STYLE_B = dedent("""\
    《云溪市样例委员会职能配置、内设机构和人员编制规定》
    一、职能转变
    市样例委员会要进一步简政放权。
    二、主要职责
    1.拟订全市样例发展规划。
    2.负责样例项目审批。
    三、内设机构
    （一）办公室。负责文电、会务。
    （二）规划科：负责样例规划编制。
    四、人员编制
    市样例委员会机关行政编制18名，事业编制3名。设主任1名、副主任2名。
    五、其他事项
    1.与市测试局的职责分工。市样例委员会负责规划，市测试局负责实施。
""")

STYLE_C = dedent("""\
    云溪市示例局职能配置、内设机构和人员编制规定
    主要职责
    (1)负责河道采砂监督管理。
    (2)完成市委、市政府交办的其他任务。
    内设机构
    1.办公室。负责机关运转。
    2.河湖管理科：负责河道采砂许可。
    人员编制
    市示例局机关行政编制12名。设局长1名，副局长2名。
    职责分工
    （一）与市自然资源和规划局的职责分工：市示例局负责河道管理范围内采砂。
    附则
    本规定自印发之日起施行。
""")


def test_style_a_articles(tmp_path, write):
    parsed = parse_file(write(tmp_path / "a.txt", STYLE_A))
    dept = parsed.departments[0]
    assert (dept.name, dept.short_name, dept.level) == ("云溪市测试局", "测试局", "正处级")
    main = [d for d in parsed.duties if d.section == "主要职责"]
    assert [d.label for d in main] == ["（一）", "（二）", "（三）", "（四）"]
    assert main[0].text == "负责全市停车设施建设管理。"
    assert main[0].location.line == 5
    units = [d for d in parsed.duties if d.section == "内设机构"]
    assert [u.unit for u in units] == ["办公室", "停车管理科"]
    assert units[1].text == "负责停车设施规划建设。承担停车收费监督。"
    staffing = parsed.staffing[0]
    assert staffing.counts == {"行政编制": 25}
    assert [(l.title, l.count) for l in staffing.leaders] == [("局长", 1), ("副局长", 3), ("正科级领导职数", 6)]
    (clause,) = parsed.divisions
    assert clause.counterparts == ["市城市管理局", "市公安局"]
    assert "路内停车泊位" in clause.text and "道路交通秩序" in clause.text
    assert parsed.unrecognized == []


def test_style_b_sections(tmp_path, write):
    parsed = parse_file(write(tmp_path / "b.txt", STYLE_B))
    assert parsed.departments[0].name == "云溪市样例委员会"
    assert [(d.section, d.label) for d in parsed.duties if d.unit is None] == [
        ("职能转变", ""), ("主要职责", "1."), ("主要职责", "2."),
    ]
    assert [d.unit for d in parsed.duties if d.unit] == ["办公室", "规划科"]
    assert parsed.staffing[0].counts == {"行政编制": 18, "事业编制": 3}
    assert [(l.title, l.count) for l in parsed.staffing[0].leaders] == [("主任", 1), ("副主任", 2)]
    assert parsed.divisions[0].counterparts == ["市测试局"]


def test_style_c_bare_headings(tmp_path, write):
    parsed = parse_file(write(tmp_path / "c.txt", STYLE_C))
    assert [d.label for d in parsed.duties if d.section == "主要职责"] == ["(1)", "(2)"]
    assert [d.unit for d in parsed.duties if d.unit] == ["办公室", "河湖管理科"]
    assert parsed.divisions[0].counterparts == ["市自然资源和规划局"]
    assert parsed.divisions[0].text.endswith("采砂。")
    assert parsed.unrecognized == []


def test_stray_paragraph_in_units_is_reported_not_dropped(tmp_path, write):
    text = STYLE_A.replace("第五条", "离退休干部工作另行安排\n第五条")
    parsed = parse_file(write(tmp_path / "a.txt", text))
    assert [u.text for u in parsed.unrecognized] == ["离退休干部工作另行安排"]
    assert "内设机构" in parsed.unrecognized[0].reason


def test_traditional_input_is_converted_and_noted(tmp_path, write):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(STYLE_C)
    parsed = parse_file(write(tmp_path / "t.txt", traditional))
    assert parsed.departments[0].name == "云溪市示例局"
    assert any("繁体" in n for n in parsed.notes)
    assert parsed.duties[0].text == "负责河道采砂监督管理。"


def test_gbk_text_file(tmp_path, write):
    parsed = parse_file(write(tmp_path / "gbk.txt", STYLE_A, encoding="gbk"))
    assert len([d for d in parsed.duties if d.section == "主要职责"]) == 4
    assert any("GBK" in n for n in parsed.notes)


NATIONAL_STYLE = dedent("""\
    中共云溪市委组织部职能配置、内设机构和人员编制规定
    第三条 市委组织部主要职责是：
    （一）负责全市干部队伍建设。
    （二）完成市委交办的其他任务。
    （三）与市人力资源和社会保障局的有关职责分工。市委组织部负责公务员管理，市人力资源和社会保障局负责事业单位人事管理。
    第四条 市委组织部设下列内设机构：
    （一）办公室。负责机关日常运转。
    第五条 市委组织部机关行政编制为三十名。设部长1名，副部长3名。
""")


def test_division_clause_among_main_duties_and_staffing_with_wei(tmp_path, write):
    parsed = parse_file(write(tmp_path / "n.txt", NATIONAL_STYLE))
    dept = parsed.departments[0]
    assert (dept.name, dept.short_name) == ("中共云溪市委组织部", "市委组织部")
    assert [d.label for d in parsed.duties if d.section == "主要职责"] == ["（一）", "（二）"]
    assert parsed.divisions[0].counterparts == ["市人力资源和社会保障局"]
    assert parsed.staffing[0].counts == {"行政编制": 30}


# ---------------------------------------------------------------- held-out county documents

def test_heldout_county_documents_parse_completely():
    """Two county 三定 written by another author (第X条, items 1., units 股): every duty, unit and clause found."""
    import json

    from tests.conftest import FIXTURES

    folder = FIXTURES / "heldout"
    truth = json.loads((folder / "heldout_truth.json").read_text(encoding="utf-8"))
    for path in sorted(folder.glob("三定_*.txt")):
        parsed = parse_file(path)
        (dept,) = [d.name for d in parsed.departments]
        main = [d for d in parsed.duties if d.section == "主要职责"]
        assert len(main) == truth["main_duties"][dept], path.name
        assert sorted({d.unit for d in parsed.duties if d.unit}) == sorted(truth["units"][dept]), path.name
        assert len(parsed.divisions) == 1 and parsed.divisions[0].counterparts
        (staffing,) = parsed.staffing
        assert staffing.counts.get("行政编制") and any(p.title == "局长" for p in staffing.leaders)
        assert not parsed.unrecognized

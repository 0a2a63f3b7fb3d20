"""Findings name the departments they concern and cite sources a reviewer can find."""

from duty_analyzer.findings import UNNAMED, DepartmentFinder, file_label, own_unit, source_name, unique_ids, Finding

NAMES = ["云岭市城市管理局", "云岭市住房和城乡建设局", "云岭市民政局", "云岭市市场监督管理局", "云岭市商务局"]


def test_departments_from_the_post_the_file_name_and_the_statement():
    finder = DepartmentFinder(NAMES)
    assert finder.for_statement("市住建局村镇建设科科长", "notes/访谈.txt", "人手不够") == ["云岭市住房和城乡建设局"]
    assert finder.for_statement("", "20250101_城管局执法科访谈记录.docx", "人手不够") == ["云岭市城市管理局"]
    assert finder.for_statement("", "座谈会.txt", "小区物业的指导，住建、民政和街道口径不一") == ["云岭市住房和城乡建设局", "云岭市民政局"]
    assert finder.for_statement("市商务局科长", "x.txt", "市场监管局也在管") == ["云岭市商务局", "云岭市市场监督管理局"]


def test_bare_stems_only_when_listed_as_bodies():
    finder = DepartmentFinder(NAMES)
    assert finder.named("推动电子商务发展，做好民政工作宣传") == []


def test_own_unit_when_no_corpus_department_is_named():
    assert own_unit("溪口区东关街道党工委副书记", "a.txt") == "溪口区东关街道党工委"
    assert own_unit("", "20250301_青石镇调研座谈纪要.txt") == "青石镇"
    assert own_unit("", "城市管理领域座谈会记录.docx") == ""
    assert UNNAMED.startswith("（")


def test_sources_never_carry_local_folders():
    assert source_name("/home/someone/材料/三定/城管局三定规定.docx") == "城管局三定规定.docx"
    assert source_name("C:\\Users\\someone\\城管局.pdf") == "城管局.pdf"
    assert file_label("/home/someone/材料/tools/a.py") == "tools/a.py"


def test_two_findings_on_one_topic_get_distinct_ids():
    def f(scope):
        return Finding("JC-1", "部门间职责边界不清", "d", scope, "e", "职责交叉", 0.5, "需编办关注解决", topic="JC｜停车场", scope=scope)

    ids = [x.id for x in unique_ids([f(["甲局", "乙局"]), f(["丙局", "丁局"])])]
    assert len(set(ids)) == 2 and ids[0] == "JC-1"

"""三定 as offices have them: web copies, PDF text, Word tables, the 2008 layout — every layout of one
invented regulation must give the same items, units and 职责分工 as its clean form."""

from textwrap import dedent

import pytest

from duty_analyzer.parse import parse_file, parse_paths
from duty_analyzer.parse.layout import restructure, wrap_width
from duty_analyzer.parse.sources import Line
from duty_analyzer.model import Location

TITLE = "溪南县测绘局职能配置、内设机构和人员编制规定"
ARTICLES = [
    ("第一条", "根据县机构改革方案，制定本规定。"),
    ("第二条", "溪南县测绘局是县政府工作部门，为正科级。"),
    ("第三条", "县测绘局贯彻落实上级关于测绘工作的决策部署。主要职责是："),
]
ITEMS = [
    "（一）贯彻执行测绘法律法规，拟订全县测绘事业发展规划并组织实施，统筹基础测绘和地理信息资源建设。",
    "（二）负责测绘资质的初审和测绘市场的日常监督，查处无资质从事测绘活动的行为。",
    "（三）负责界桩和测量标志的保护管理，组织测量标志的普查和维护。",
    "（四）完成县委、县政府交办的其他任务。",
]
UNITS = [
    ("第四条", "县测绘局设下列内设机构："),
    ("", "办公室。负责文电、会务、档案和后勤工作。"),
    ("", "测量标志股。负责测量标志的登记、保护和维护。"),
]
OTHER = [
    ("第五条", "县测绘局机关行政编制6名。设局长1名，副局长1名。"),
    ("第六条", "职责分工"),
    ("", "（一）与县自然资源局的有关职责分工。县自然资源局负责不动产测绘成果的审核，县测绘局负责测绘成果质量的监督。"),
    ("", "（二）与县住房和城乡建设局的有关职责分工。县住房和城乡建设局负责房产面积测算的管理，县测绘局给予技术指导。"),
    ("第七条", "本规定由县委机构编制委员会办公室负责解释。"),
]


def paragraphs() -> list[str]:
    """The clean form: one paragraph per line, 第X条 with its text."""
    out = [TITLE]
    out += [f"{a}　{t}" for a, t in ARTICLES]
    out += ITEMS
    out += [f"{a}　{t}" if a else t for a, t in UNITS + OTHER]
    return out


def counts(path, kind=None):
    parsed = parse_file(path, kind)
    return (
        parsed.departments[0].name,
        [(d.label, d.text) for d in parsed.duties if d.section == "主要职责"],
        [d.unit for d in parsed.duties if d.section == "内设机构"],
        [c.counterparts for c in parsed.divisions],
    )


@pytest.fixture
def clean(tmp_path, write):
    return counts(write(tmp_path / "clean.txt", "\n".join(paragraphs())))


def test_clean_form_reads_everything(clean):
    name, items, units, divisions = clean
    assert name == "溪南县测绘局"
    assert [label for label, _ in items] == ["（一）", "（二）", "（三）", "（四）"]
    assert units == ["办公室", "测量标志股"]
    assert divisions == [["县自然资源局"], ["县住房和城乡建设局"]]


def test_one_line_web_copy_with_ideographic_spaces(tmp_path, write, clean):
    body = "　　".join(paragraphs()[1:])
    text = TITLE + "\n发布时间：2020-01-01　来源：县政府网站\n" + "　　" + body + "\n版权所有：溪南县人民政府\n"
    assert counts(write(tmp_path / "web.txt", text)) == clean


def test_one_line_web_copy_with_nbsp_and_single_spaces(tmp_path, write, clean):
    nbsp = TITLE + "\n" + "\xa0\xa0\xa0\xa0".join(paragraphs()[1:])
    assert counts(write(tmp_path / "nbsp.txt", nbsp)) == clean
    # Line breaks replaced by single spaces, items right after the lead-in's colon.
    single = " ".join(paragraphs()).replace("：\n", "：")
    assert counts(write(tmp_path / "single.txt", single)) == clean


def test_article_marker_alone_on_its_line_with_items_run_together(tmp_path, write, clean):
    lines = [TITLE]
    for a, t in ARTICLES[:2]:
        lines += [a, t]
    lines += [ARTICLES[2][0], ARTICLES[2][1] + "".join(ITEMS)]
    lines += [UNITS[0][0], UNITS[0][1] + "".join(t for _, t in UNITS[1:])]
    lines += [OTHER[0][0], OTHER[0][1], OTHER[1][0], OTHER[1][1] + "".join(t for _, t in OTHER[2:4]), OTHER[4][0], OTHER[4][1]]
    assert counts(write(tmp_path / "alone.txt", "\n".join(lines))) == clean


def test_traditional_article_marker_alone(tmp_path, write):
    text = "第一條\n根據有關規定，制定本規定。\n第二條\n溪南縣測繪局是縣政府工作部門，為正科級。\n第三條\n主要職責是：\n（一）負責測繪工作。\n（二）負責測量標誌保護。\n"
    name, items, _, _ = counts(write(tmp_path / "t.txt", text), "sanding")
    assert name == "溪南县测绘局" and len(items) == 2


def wrapped(width: int = 20, per_page: int = 12) -> str:
    """PDF text: indented paragraphs hard-wrapped at `width`, a running head and `— n —` on every page."""
    lines = []
    for p in paragraphs():
        p = "　　" + p
        lines += [p[i:i + width] for i in range(0, len(p), width)]
    pages, out = [lines[i:i + per_page] for i in range(0, len(lines), per_page)], []
    for n, page in enumerate(pages, start=1):
        out += ["溪南县机构编制委员会文件"] + page + [f"— {n} —"]
    return "\n".join(out)


def test_hard_wrapped_text_with_page_furniture(tmp_path, write, clean):
    assert counts(write(tmp_path / "pdf.txt", wrapped())) == clean


def test_wrap_width_is_found_only_in_wrapped_text():
    as_lines = lambda text: [Line(t, Location("x", line=i)) for i, t in enumerate(text.splitlines())]
    assert wrap_width(as_lines(wrapped(width=24))) == 24
    assert wrap_width(as_lines("\n".join(paragraphs()))) is None


def test_page_numbers_and_the_running_heads_next_to_them_are_dropped():
    lines = [Line(t, Location("x", line=i)) for i, t in enumerate([
        "溪南县文件", "　　（一）负责测量标志保护。", "— 1 —", "溪南县文件", "　　（二）负责测绘。",
        "第 2 页", "溪南县文件", "　　（三）负责地图审核。", "溪南县文件",
    ])]
    texts = [l.text for l in restructure(lines)]
    assert texts == ["（一）负责测量标志保护。", "（二）负责测绘。", "（三）负责地图审核。"]


OLD_LAYOUT = dedent("""\
    根据国务院机构改革方案，设立国家测绘保障局，为国务院直属机构。
    一、职责调整
    (一)将原测绘办公室的职责划入国家测绘保障局。
    (二)取消已由国务院公布取消的行政审批事项。
    (三)加强测绘成果共享的统筹协调职责。
    二、主要职责
    (一)拟订测绘事业发展规划并组织实施。
    (二)负责测绘资质管理。
    (三)负责测量标志的保护管理。
    三、内设机构
    根据上述职责，国家测绘保障局设3个内设机构：
    (一)办公厅。负责文电、会务、机要、档案等机关日常运转工作。
    (二)规划司。拟订测绘事业规划。
    (三)测量标志司。承担测量标志保护的监督工作。
    四、人员编制
    国家测绘保障局机关行政编制为80名。其中：局长1名、副局长3名。
    五、其他事项
    (一)与自然资源部的有关职责分工。自然资源部负责不动产测绘管理，国家测绘保障局负责基础测绘。
    (二)所属事业单位的设置、职责和编制事项另行规定。
""")


def test_2008_layout_keeps_duty_adjustments_as_their_own_section(tmp_path, write):
    path = write(tmp_path / "old.txt", OLD_LAYOUT)
    corpus = parse_paths([path])
    assert corpus.errors == []  # recognised as 三定 without a title or articles
    parsed = corpus.files[0]
    assert parsed.departments[0].name == "国家测绘保障局"
    assert any("取自正文" in n for n in parsed.notes)
    sections = [d.section for d in parsed.duties]
    assert sections.count("职责调整") == 3 and sections.count("主要职责") == 3
    assert [d.unit for d in parsed.duties if d.section == "内设机构"] == ["办公厅", "规划司", "测量标志司"]
    assert [c.counterparts for c in parsed.divisions] == [["自然资源部"]]
    assert parsed.staffing[0].counts == {"行政编制": 80}


def test_ascii_bracket_items_and_units(tmp_path, write):
    text = dedent("""\
        溪南县档案局职能配置、内设机构和人员编制规定
        第一条 根据有关规定，制定本规定。
        第二条 溪南县档案局是县委工作机关，为正科级。
        第三条 主要职责是:
        (1)负责档案收集。
        (2)负责档案利用。
        (3)负责档案安全。
        第四条 县档案局设下列内设机构:
        (1)办公室。负责日常运转。
        (2)业务股:负责档案业务指导。
    """)
    name, items, units, _ = counts(write(tmp_path / "a.txt", text))
    assert [l for l, _ in items] == ["(1)", "(2)", "(3)"]
    assert units == ["办公室", "业务股"]


def test_no_title_copy_is_recognised_and_named_from_article_two(tmp_path, write):
    text = dedent("""\
        第一条 根据党中央关于机构改革的决定，制定本规定。
        第二条 国家测绘保障局是自然资源部管理的国家局,为副部级。
        第三条 国家测绘保障局贯彻落实党中央决策部署。主要职责是:
        (一)负责基础测绘。
        (二)负责测绘成果管理。
        (三)负责测量标志保护管理，组织
    """)
    path = write(tmp_path / "无标题.txt", text)
    corpus = parse_paths([path])
    assert corpus.errors == []
    dept = corpus.departments[0]
    assert (dept.name, dept.level) == ("国家测绘保障局", "副部级")
    assert len([d for d in corpus.duties if d.section == "主要职责"]) == 3  # the cut-off last item counts
    assert any("第二条" in n for n in corpus.files[0].notes)


def test_first_article_sentence_is_never_the_department(tmp_path, write):
    text = "第一条 为规范溪南县测绘局的职能配置、内设机构和人员编制，制定本规定。\n第二条 本局为正科级。\n第三条 主要职责是：\n（一）负责测绘。\n"
    name, _, _, _ = counts(write(tmp_path / "溪南县测绘局三定规定.txt", text), "sanding")
    assert name == "溪南县测绘局"  # from the file name, since neither the title nor 第二条 names it


@pytest.mark.parametrize("sentence, rank", [
    ("国家测绘保障局是国务院直属机构，为正部级。", "正部级"),
    ("溪南市测绘局是市政府工作部门，为正厅（局）级。", "正厅级"),
    ("溪南县测绘局是县政府工作部门，为正科级。", "正科级"),
    ("溪南市测绘局溪口分局是溪南市测绘局的派出机构，为正处级。", "正处级"),
])
def test_rank_from_article_two_at_every_level(tmp_path, write, sentence, rank):
    text = f"测绘局职能配置、内设机构和人员编制规定\n第一条 制定本规定。\n第二条 {sentence}\n第三条 主要职责是：\n（一）负责测绘。\n"
    parsed = parse_file(write(tmp_path / "r.txt", text))
    assert parsed.departments[0].level == rank


def test_word_table_of_units_in_document_order(tmp_path):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph(TITLE)
    for a, t in ARTICLES:
        doc.add_paragraph(a)
        doc.add_paragraph(t)
    for item in ITEMS:
        doc.add_paragraph(item)
    doc.add_paragraph("第四条")
    doc.add_paragraph("县测绘局设下列内设机构：")
    table = doc.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("内设机构", "主要职责"), ("办公室", "负责文电、会务、档案和后勤工作。"),
                                       ("测量标志股", "负责测量标志的登记、保护和维护。")]):
        row.cells[0].text, row.cells[1].text = cells
    for a, t in OTHER:
        doc.add_paragraph(f"{a}　{t}" if a else t)
    path = tmp_path / "table.docx"
    doc.save(path)
    name, items, units, divisions = counts(path)
    assert (name, len(items), units, len(divisions)) == ("溪南县测绘局", 4, ["办公室", "测量标志股"], 2)
    parsed = parse_file(path)
    unit = next(d for d in parsed.duties if d.unit == "测量标志股")
    assert unit.text == "负责测量标志的登记、保护和维护。"


def test_pinyin_insertions_and_database_escapes_are_removed(tmp_path, write, clean):
    text = "\\r\\n".join(paragraphs()).replace("测绘", "测(cè)绘", 3)
    assert counts(write(tmp_path / "dump.txt", text)) == clean


def test_web_copy_with_html_tags_left_in(tmp_path, write, clean):
    text = "<p>" + "</p><p>".join(paragraphs()[:4]) + "</p>" + "<br/>".join(paragraphs()[4:])
    assert counts(write(tmp_path / "page.txt", text)) == clean


def test_numbered_items_run_together_after_the_lead_in(tmp_path, write):
    text = (TITLE + "\n第三条 县测绘局的主要职责是： 1.负责基础测绘。2.负责测绘市场监督，查处违法测绘行为。3.负责测量标志保护。"
            "\n第四条 其他事项。\n（一）与县自然资源局的有关职责分工。县自然资源局负责审核。1.县测绘局负责监督。2.县测绘局负责指导。3.其他。\n")
    parsed = parse_file(write(tmp_path / "n.txt", text))
    assert [d.label for d in parsed.duties if d.section == "主要职责"] == ["1.", "2.", "3."]
    # Sub-points after a sentence (not after a colon) stay inside their 职责分工 paragraph.
    assert len(parsed.divisions) == 1 and "1.县测绘局负责监督。2." in parsed.divisions[0].text


def test_word_soft_breaks_and_three_column_unit_table(tmp_path, clean):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph(TITLE)
    for a, t in ARTICLES:
        doc.add_paragraph(f"{a}　{t}")
    para = doc.add_paragraph(ITEMS[0])  # all items in one paragraph, separated by soft line breaks
    for item in ITEMS[1:]:
        para.add_run().add_break()
        para.add_run(item)
    doc.add_paragraph(f"{UNITS[0][0]}　{UNITS[0][1]}")
    table = doc.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("序号", "机构名称", "主要职责"), ("1", "办公室", "负责文电、会务、档案和后勤工作。"),
                                       ("2", "测量标志股", "负责测量标志的登记、保护和维护。")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    for a, t in OTHER:
        doc.add_paragraph(f"{a}　{t}" if a else t)
    path = tmp_path / "soft.docx"
    doc.save(path)
    assert counts(path) == clean


def test_labels_read_one_byte_off_get_their_number_back(tmp_path, write):
    def shifted(item: str) -> str:  # what a page shows when the GBK bytes are read one byte off
        return "?" + (b"\xa1" + item.encode("gbk")).decode("gbk", errors="replace")

    lines = ["设立国家测绘保障局，为国务院直属机构。", "一、职责调整", shifted("（一）将测绘职责划入。"), shifted("（二）取消审批事项。"),
             "二、主要职责", "(一)负责基础测绘。", shifted("（二）负责测绘资质管理。")]
    assert lines[2].startswith("?。")
    parsed = parse_file(write(tmp_path / "old.txt", "\n".join(lines)), "sanding")
    assert [(d.section, d.label) for d in parsed.duties] == [
        ("职责调整", "（一）"), ("职责调整", "（二）"), ("主要职责", "(一)"), ("主要职责", "（二）")]


@pytest.mark.parametrize("sentence, name", [
    ("青溪市测绘局溪口分局是青溪市测绘局的派出机构，为正科级。", "青溪市测绘局溪口分局"),
    ("国家测绘保障局是国务院直属机构，为正部级。", "国家测绘保障局"),
    ("中共溪南县委测绘工作委员会是县委工作机关，为正科级。", "中共溪南县委测绘工作委员会"),
    ("溪南县人民政府办公室是县政府工作部门，为正科级。", "溪南县人民政府办公室"),
])
def test_department_from_article_two_at_every_level(tmp_path, write, sentence, name):
    text = f"第一条 根据机构改革方案，制定本规定。\n第二条 {sentence}\n第三条 主要职责是：\n（一）负责测绘。\n"
    corpus = parse_paths([write(tmp_path / "x.txt", text)])
    assert corpus.errors == [] and corpus.departments[0].name == name


def test_odd_spacing_inside_a_unit_paragraph_does_not_orphan_its_second_half(tmp_path, write, clean):
    text = "\n".join(paragraphs()).replace("负责文电、会务、", "负责文电、会务、   ")
    name, items, units, divisions = counts(write(tmp_path / "s.txt", text))
    parsed = parse_file(tmp_path / "s.txt")
    assert units == clean[2] and parsed.unrecognized == []

"""The cases issue 16 names, on small invented governments: an object claimed by three of eight departments,
a prefecture bureau's county branch beside the county's departments, and an object in no dictionary."""

from duty_analyzer.compare import CROSS, find_overlaps
from duty_analyzer.compare.government import branch_of, governments
from duty_analyzer.model import Corpus, DutyItem, Location, ParsedFile
from duty_analyzer.segment import default_segmenter

BOILERPLATE = ["负责本部门安全生产、保密和意识形态工作。", "完成县委、县政府交办的其他任务。"]
FILLER = {
    "教育体育局": "负责全县中小学教育教学管理，指导学校体育和校园足球工作。",
    "卫生健康局": "负责全县医疗机构执业监督和公共卫生服务管理。",
    "民政局": "负责全县社会救助、婚姻登记和殡葬管理工作。",
    "人力资源和社会保障局": "负责全县就业创业和社会保险经办管理工作。",
    "文化广电旅游局": "负责全县文物保护和公共文化服务体系建设。",
    "统计局": "负责全县统计调查和国民经济核算工作。",
    "司法局": "负责全县人民调解和法律援助工作。",
    "审计局": "负责全县财政收支和政府投资项目审计。",
    "档案馆": "负责全县档案收集整理和利用工作。",
    "信访局": "负责全县来信来访受理和督查督办工作。",
    "科学技术局": "负责全县科技项目管理和科技成果转化工作。",
}
PARKING = {
    "城市管理局": "负责县城道路公共停车泊位的施划、收费和日常秩序管理。",
    "住房和城乡建设局": "组织实施县城公共停车场建设，监督管理公共停车设施的运营维护。",
    "交通运输局": "负责城区公共停车场的行业管理和经营性停车场服务规范的监督检查。",
}


def corpus_of(departments: dict[str, list[str]]) -> Corpus:
    pf = ParsedFile(path="invented.txt", kind="sanding")
    for dept, duties in departments.items():
        for i, text in enumerate(duties, start=1):
            pf.duties.append(DutyItem(dept, "主要职责", f"（{i}）", text, Location("invented.txt", line=i)))
    return Corpus(files=[pf])


def county(place: str, filler: int) -> dict[str, list[str]]:
    names = dict(PARKING, **dict(list(FILLER.items())[:filler]))
    return {place + name: [text] + BOILERPLATE for name, text in names.items()}


def cross(report):
    return [f for f in report.overlaps if f.kind == CROSS]


def test_an_object_claimed_by_three_of_eight_departments_is_one_finding_as_with_fourteen():
    for filler in (5, 11):  # 3 of 8 and 3 of 14 departments claim 停车
        depts = county("临河县", filler)
        found = [f for f in cross(find_overlaps(corpus_of(depts))) if "停车" in f.topic]
        assert len(found) == 1, (len(depts), [f.topic for f in cross(find_overlaps(corpus_of(depts)))])
        assert set(found[0].departments) == {"临河县" + n for n in PARKING}, len(depts)


def test_a_prefecture_bureaus_county_branch_is_compared_with_that_county():
    depts = {
        "临河县城市管理局": ["负责查处县城建成区内社会生活噪声和建筑施工噪声污染行为。"] + BOILERPLATE,
        "临河县教育体育局": ["负责全县中小学教育教学管理。"] + BOILERPLATE,
        "石门市生态环境局临河分局": ["负责临河县环境噪声污染防治的统一监督管理，查处建筑施工噪声超标排放行为。"] + BOILERPLATE,
        "石门市城市管理局": ["负责市区道路照明设施的维护管理。"] + BOILERPLATE,
    }
    assert branch_of("石门市生态环境局临河分局") == "临河"
    place = governments(list(depts))
    assert place["石门市生态环境局临河分局"] == place["临河县城市管理局"] == "临河县"
    assert place["石门市城市管理局"] == "石门市"
    (f,) = cross(find_overlaps(corpus_of(depts)))
    assert f.departments == ["临河县城市管理局", "石门市生态环境局临河分局"]


def test_national_bodies_form_one_level_apart_from_local_ones():
    place = governments(["交通运输部", "国家市场监督管理总局", "临河县交通运输局", "国家税务总局临河县税务局"])
    assert place["交通运输部"] == place["国家市场监督管理总局"] != place["临河县交通运输局"]
    assert place["国家税务总局临河县税务局"] == place["临河县交通运输局"] == "临河县"


def test_an_overlap_on_an_object_in_no_dictionary_is_found_and_explained():
    word = "房车营地"
    seg = default_segmenter()
    assert word not in seg.lexicon.objects
    depts = {
        "临河县文化广电旅游局": [f"负责全县{word}的规划布局和经营服务质量的监督管理。"] + BOILERPLATE,
        "临河县自然资源局": [f"负责{word}建设用地的审批和监督管理，查处违法占地建设{word}行为。"] + BOILERPLATE,
        "临河县教育体育局": ["负责全县中小学教育教学管理。"] + BOILERPLATE,
        "临河县民政局": ["负责全县社会救助和婚姻登记工作。"] + BOILERPLATE,
    }
    found = [f for f in cross(find_overlaps(corpus_of(depts))) if word in f.topic]
    assert len(found) == 1
    assert found[0].departments == ["临河县文化广电旅游局", "临河县自然资源局"]
    assert "概率" in found[0].why and "起决定作用的是" in found[0].why

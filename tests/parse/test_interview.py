"""Interview notes: 问/答 pairs, speaker paragraphs, prose."""

from textwrap import dedent

from duty_analyzer.parse import parse_file
from duty_analyzer.parse.interview import split_person

QA = dedent("""\
    云溪市机构编制评估访谈记录（住建局）
    时间：2026年3月12日
    访谈对象：市住建局城建科科长 刘某某
    问：停车场建设中遇到哪些问题？
    答：停车场建设和管理涉及多个部门，职责交叉。
    另外编制紧张，人手不够。
    问：有什么建议？
    答：建议明确牵头部门。
""")

MINUTES = dedent("""\
    城市管理领域座谈会记录
    时间：2026年3月25日
    市城管局市容景观科负责人（王某）：户外广告审批和内容监管衔接不畅。
    陈某（市场监管局食品经营科科长）：餐厨垃圾去向检查缺乏依据。
    会议认为，应当进一步理顺职责。
""")


def test_qa_pairs_keep_question_speaker_and_line(tmp_path, write):
    parsed = parse_file(write(tmp_path / "访谈.txt", QA))
    assert parsed.kind == "interview"
    s = parsed.statements
    assert [x.text for x in s] == [
        "停车场建设和管理涉及多个部门，职责交叉。", "另外编制紧张，人手不够。", "建议明确牵头部门。",
    ]
    assert s[0].question == "停车场建设中遇到哪些问题？" and s[1].question == s[0].question
    assert (s[0].speaker, s[0].role) == ("刘某某", "市住建局城建科科长")
    assert s[2].location.line == 8


def test_minutes_speakers_and_prose(tmp_path, write):
    parsed = parse_file(write(tmp_path / "座谈.txt", MINUTES))
    s = parsed.statements
    assert [(x.speaker, x.role) for x in s] == [
        ("王某", "市城管局市容景观科负责人"), ("陈某", "市场监管局食品经营科科长"), ("", ""),
    ]
    assert s[0].text == "户外广告审批和内容监管衔接不畅。"


def test_split_person():
    assert split_person("市住建局城建科科长 刘某某") == ("刘某某", "市住建局城建科科长")
    assert split_person("张三（市商务局）") == ("张三", "市商务局")

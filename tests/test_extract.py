from duty_analyzer.classify import NON_PROBLEM, load_default
from duty_analyzer.extract import extract_problems, sentences
from duty_analyzer.model import InterviewStatement, Location


def test_sentences_split_answers():
    assert sentences("停车场归谁管说不清。我们科人手也不够！好的。") == ["停车场归谁管说不清。", "我们科人手也不够！"]


def test_extract_keeps_problems_with_their_place_and_drops_non_problems():
    statements = [
        InterviewStatement("访谈.txt", "去年我们完成了十四个农贸市场的改造。小区门口违停，交警和城管互相推，群众投诉了三次都没人管。",
                           Location("访谈.txt", line=7), "王某", "科长"),
    ]
    problems = extract_problems(statements, load_default())
    assert [p.text for p in problems] == ["小区门口违停，交警和城管互相推，群众投诉了三次都没人管。"]
    assert problems[0].location.line == 7 and problems[0].prediction.label != NON_PROBLEM


def test_sample_notes_planted_statements(sample_corpus, truth):
    problems = extract_problems(sample_corpus.statements, load_default())
    planted = truth["notes"]["statements"]
    found = [s for s in planted if any(s["sentence"] in p.text or p.text in s["sentence"] for p in problems)]
    assert len(found) >= 0.85 * len(planted)
    right = [s for s in planted for p in problems if p.text == s["sentence"] and p.prediction.label == s["category"]]
    assert len(right) >= 0.75 * len(planted)


def test_statements_of_fact_praise_plans_and_denials_are_not_kept():
    """Non-problems in the voices interview notes use, written for this test, around two real problems."""
    answer = (
        "环卫所是局属的差额拨款事业单位，负责城区主次干道的清扫保洁。"
        "去年全市新增公共厕所四十二座，群众满意度有明显提高。"
        "园林部门在绿化养护方面配合得很好，这里要特别感谢。"
        "我们准备明年把背街小巷的保洁也纳入市场化招标。"
        "经过自查，我们没有发现超编进人或者擅自设立机构的情况。"
        "井盖破损，住建说归管线单位，管线单位说归城管，群众报修三次都没人来换。"
        "所里核定八个编，实际在岗只有五个人，两个还是快退休的。"
    )
    statements = [InterviewStatement("座谈.txt", answer, Location("座谈.txt", line=3), "李某", "所长")]
    kept = [p.text for p in extract_problems(statements, load_default())]
    assert kept == [
        "井盖破损，住建说归管线单位，管线单位说归城管，群众报修三次都没人来换。",
        "所里核定八个编，实际在岗只有五个人，两个还是快退休的。",
    ]


def test_empty_and_one_character_answers_are_reported():
    from duty_analyzer.extract import unclassified_statements

    statements = [
        InterviewStatement("访谈.txt", "", Location("访谈.txt", line=4), "王某", "科长"),
        InterviewStatement("访谈.txt", "对。", Location("访谈.txt", line=6), "王某", "科长"),
        InterviewStatement("访谈.txt", "执法车辆不够用，晚上巡查只能开私家车。", Location("访谈.txt", line=8), "王某", "科长"),
    ]
    reported = unclassified_statements(statements)
    assert [(st.location.line, note) for st, note in reported] == [(4, "文本为空，未分类"), (6, "文本只有一个字，未分类")]
    assert [p.location.line for p in extract_problems(statements, load_default())] == [8]

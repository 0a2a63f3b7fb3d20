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

"""The scorecard file: validated with Chinese messages; scores deterministic and every lost point traced."""

import pytest

from duty_analyzer.findings import Finding
from duty_analyzer.staffing import ScorecardError, Signals, load_scorecard, score_departments, score_table

CARD = '''
["等级"]
"方式" = "分数"
"A" = 90
"B" = 70

[["指标"]]
"名称" = "边界"
"权重" = 60
"计算方式" = "逐项扣分"
"来源" = "职责交叉"
"已分工" = false
"每项扣分" = 25

[["指标"]]
"名称" = "热线"
"权重" = 40
"计算方式" = "区间"
"信号" = "每编热线退单"
"满分值" = 0.0
"零分值" = 2.0
'''


def finding(fid, departments, source="职责交叉", category="部门间职责边界不清"):
    return Finding(fid, category, "……", departments, "证据", source, 0.9, "需编办关注解决")


@pytest.fixture
def card(tmp_path):
    path = tmp_path / "评分表.toml"
    path.write_text(CARD, encoding="utf-8")
    return load_scorecard(path)


def test_the_shipped_scorecard_loads_and_sums_to_100():
    card = load_scorecard()
    assert card.total == 100 and card.rules.vacancy_share > 0


def test_points_lost_name_their_findings_and_signal(card):
    signals = {"甲局": Signals("甲局", posts=10, hotline_bounces=5), "乙局": Signals("乙局", posts=10)}
    findings = [finding("JC-1", ["甲局", "乙局"]), finding("JC-2", ["甲局"]), finding("JC-3", ["甲局"]),
                finding("JC-4", ["乙局"])]
    scores = score_departments(card, signals, findings, settled_ids={"JC-4"})
    by = {s.department: s for s in scores}
    assert by["甲局"].points == {"边界": 0.0, "热线": 30.0}  # 3 × 25 capped at 60; 0.5 bounces per post of 2.0
    assert by["乙局"].score == 75 and by["乙局"].grade == "B"  # JC-4 is settled: not this indicator's
    assert [d.finding_ids for d in by["甲局"].deductions if d.indicator == "边界"] == [["JC-1", "JC-2", "JC-3"]]
    header, rows = score_table(card, scores)
    assert header[:4] == ["名次", "部门", "总分", "等级"] and rows[0][1] == "乙局"
    assert "JC-2" in rows[1][-1]


def test_a_finding_marked_rejected_costs_nothing(card):
    signals = {"甲局": Signals("甲局", posts=10)}
    findings = [finding("JC-1", ["甲局"])]
    assert score_departments(card, signals, findings, statuses={"JC-1": "不予采纳"})[0].score == 100


def test_grades_by_share_rank_departments(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(CARD.replace('"方式" = "分数"', '"方式" = "比例"\n"A比例" = 0.25\n"C比例" = 0.25'), encoding="utf-8")
    card = load_scorecard(path)
    signals = {d: Signals(d, posts=10, hotline_bounces=n) for d, n in zip("甲乙丙丁", (0, 4, 8, 12))}
    assert [s.grade for s in score_departments(card, signals, [])] == ["A", "B", "B", "C"]


@pytest.mark.parametrize("text, words", [
    ('[["指标"]]\n"名称" = "x"\n"权重" = 10\n"计算方式" = "随便"\n', "计算方式"),
    ('[["指标"]]\n"名称" = "x"\n"权重" = "十"\n"计算方式" = "逐项扣分"\n', "权重"),
    ('[["指标"]]\n"名称" = "x"\n"权重" = 10\n"计算方式" = "区间"\n"信号" = "人均幸福感"\n', "信号"),
    ('["等级"]\n"方式" = "分数"\n', "没有任何"),
    ('这不是 TOML = = \n', "格式有误"),
])
def test_bad_scorecards_are_refused_with_the_file_and_the_problem(tmp_path, text, words):
    path = tmp_path / "坏的评分表.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScorecardError) as exc:
        load_scorecard(path)
    assert "坏的评分表.toml" in str(exc.value) and words in str(exc.value)

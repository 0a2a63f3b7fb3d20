"""One test per screening rule: each fires on its case and stays quiet just inside the stated share."""

import pytest

from duty_analyzer.model import Corpus, Department, DutyItem, LeaderPost, Location, ParsedFile, Staffing, StaffingRecord
from duty_analyzer.staffing import PERSONNEL, VIOLATION, ScreeningRules, screen, staffing_findings

DEPT = "某县林业局"


def corpus(*records, approved=12, leaders=(("局长", 1), ("副局长", 2), ("股级领导职数", 3)), units=("办公室", "资源保护股")):
    loc = Location(file="三定.txt", line=30)
    sanding = ParsedFile("三定.txt", "sanding", departments=[Department(DEPT, "林业局")],
                         staffing=[Staffing(DEPT, {"行政编制": approved}, [LeaderPost(t, n) for t, n in leaders],
                                            f"县林业局机关行政编制{approved}名。", loc)],
                         duties=[DutyItem(DEPT, "内设机构", "", "负责……", loc, unit=u) for u in units])
    export = ParsedFile("台账.xlsx", "staffing", staffing_records=list(records))
    return Corpus(files=[sanding, export])


def record(**kw):
    base = dict(unit=DEPT, department=DEPT, unit_level="机关", staff_type="行政编制", approved=12, actual=11,
                location=Location(file="台账.xlsx", row=4, sheet="Sheet"), columns={"单位名称": DEPT})
    base.update(kw)
    return StaffingRecord(**base)


def rules_fired(c, rules=None):
    return sorted((i.rule, i.category) for i in screen(c, rules))


def test_a_clean_department_raises_nothing():
    assert rules_fired(corpus(record(leaders={"副职": [2, 2]}, seconded_out=1, contract_staff=3, absent=0))) == []


def test_over_establishment_is_a_violation_with_both_figures_in_evidence():
    (issue,) = screen(corpus(record(actual=14)))
    assert (issue.rule, issue.category) == ("超编", VIOLATION)
    assert "核定 12 名，实有 14 名" in issue.description
    assert "〔台账.xlsx〕" in issue.evidence[0] and "第4行" in issue.evidence[0] and "三定.txt" in issue.evidence[1]


def test_leader_posts_beyond_the_sanding_are_a_violation():
    assert rules_fired(corpus(record(leaders={"副职": [2, 3]}))) == [("超职数配备", VIOLATION)]


def test_export_and_sanding_disagreeing_on_the_approved_figure():
    fired = screen(corpus(record(approved=13)))
    assert [(i.rule, i.category) for i in fired] == [("核定数不一致", PERSONNEL)]
    assert "13" in fired[0].description and "12" in fired[0].description


@pytest.mark.parametrize("actual, months, expected", [
    (9, 14, [("长期空编", PERSONNEL)]),  # 3 of 12 vacant (25 %) for 14 months
    (9, 6, []),                         # vacant, but not for long
    (11, 30, []),                       # 1 of 12 is under the share
    (9, None, [("空编较多", PERSONNEL)]),  # no duration column: the share alone is said, not "long-term"
])
def test_vacancies_need_the_share_and_the_duration(actual, months, expected):
    assert rules_fired(corpus(record(actual=actual, vacant_months=months))) == expected


def test_secondment_and_contract_staff_use_the_stated_shares():
    c = corpus(record(actual=11, approved=12, seconded_in=2, contract_staff=5))
    assert rules_fired(c) == [("借调过多", PERSONNEL), ("编外人员过多", PERSONNEL)]
    assert rules_fired(c, ScreeningRules(secondment_share=0.25, contract_share=0.5)) == []


def test_absent_staff_is_a_violation():
    assert rules_fired(corpus(record(absent=1))) == [("在编不在岗", VIOLATION)]


def test_an_internal_unit_the_sanding_does_not_set_up():
    unit = record(unit="宣传股", unit_level="内设机构", approved=None, actual=2)
    known = record(unit="资源保护股", unit_level="内设机构", approved=None, actual=3)
    fired = screen(corpus(unit, known))
    assert [(i.rule, i.unit) for i in fired] == [("擅自设立机构", "宣传股")]


def test_findings_have_stable_ids_source_and_disposition():
    first = staffing_findings(screen(corpus(record(actual=14))))
    again = staffing_findings(screen(corpus(record(actual=15))))
    assert first[0].id == again[0].id and first[0].source == "编制数据筛查"
    assert first[0].departments == [DEPT] and first[0].disposition == "需被评估单位整改"

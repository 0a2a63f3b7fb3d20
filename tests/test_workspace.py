"""The workspace recognises a finding again by what it is about, not by its exact department set."""

import sqlite3

from duty_analyzer.findings import Finding, topic_id
from duty_analyzer.workspace import GONE, KEPT, NEW, RESCOPED, identity, import_review, ledger, merge


def _overlap(obj, departments, prefix="JC"):
    topic = f"{prefix}｜{obj}"
    return Finding(topic_id(prefix, f"{prefix}｜{obj.split('、')[0]}"), "部门间职责边界不清", f"“{obj}”职责交叉", list(departments),
                   "证据", "职责交叉", 0.9, "需编办关注解决", topic=topic, scope=list(departments))


def _decide(path, fid, status="已确认", comment="属实"):
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE findings SET status=?, comment=? WHERE id=?", (status, comment, fid))


def _by_topic(rows):
    return {r.finding.topic: r for r in rows}


def test_a_department_leaving_keeps_the_decision_as_a_scope_change(tmp_path):
    ws = tmp_path / "w.sqlite"
    first = merge(ws, [_overlap("停车场", ["甲局", "乙局", "丙局"]), _overlap("菜市场", ["甲局", "丁局"])])
    parking = _by_topic(first)["JC｜停车场"].finding.id
    _decide(ws, parking)
    rows = _by_topic(merge(ws, [_overlap("停车场", ["甲局", "乙局"]), _overlap("菜市场", ["甲局", "丁局"])]))
    assert rows["JC｜停车场"].finding.id == parking
    assert (rows["JC｜停车场"].presence, rows["JC｜停车场"].status, rows["JC｜停车场"].comment) == (RESCOPED, "已确认", "属实")
    assert rows["JC｜菜市场"].presence == KEPT
    assert not [r for r in ledger(ws) if r.presence in (NEW, GONE)]


def test_merged_and_renamed_departments_and_a_second_object_name_still_match(tmp_path):
    ws = tmp_path / "w.sqlite"
    fid = merge(ws, [_overlap("停车场", ["甲局", "乙局"])])[0].finding.id
    _decide(ws, fid)
    # 乙局 merged into 戊局 and the matter is now also called 停车设施, listed first.
    rows = merge(ws, [_overlap("停车设施、停车场", ["甲局", "戊局"])])
    current = [r for r in rows if r.presence != GONE]
    assert len(current) == 1 and current[0].finding.id == fid and current[0].status == "已确认"
    # With no department in common it is another matter: the decided one is not silently reused.
    rows = merge(ws, [_overlap("停车场", ["己局", "庚局"])])
    assert {r.presence for r in rows} == {NEW, GONE}
    assert next(r for r in rows if r.presence == GONE).status == "已确认"


def test_two_groups_on_one_object_keep_their_own_ids_and_decisions(tmp_path):
    ws = tmp_path / "w.sqlite"
    rows = merge(ws, [_overlap("停车场", ["甲局", "乙局"]), _overlap("停车场", ["丙局", "丁局"])])
    ids = {frozenset(r.finding.scope): r.finding.id for r in rows}
    assert len(set(ids.values())) == 2
    _decide(ws, ids[frozenset({"丙局", "丁局"})], "不予采纳")
    # Next run lists the groups the other way round; each decision stays with its departments.
    again = merge(ws, [_overlap("停车场", ["丁局", "丙局"]), _overlap("停车场", ["乙局", "甲局"])])
    by_scope = {frozenset(r.finding.scope): r for r in again}
    assert by_scope[frozenset({"丙局", "丁局"})].finding.id == ids[frozenset({"丙局", "丁局"})]
    assert by_scope[frozenset({"丙局", "丁局"})].status == "不予采纳"
    assert by_scope[frozenset({"甲局", "乙局"})].status == "待核实"


def test_text_keyed_findings_follow_a_renamed_department(tmp_path):
    ws = tmp_path / "w.sqlite"
    gap = Finding(topic_id("QD", "QD｜三定职责无清单事项｜负责某项审批"), "工作职责未明确", "甲局：三定职责无清单事项", ["甲局"], "证据",
                  "三定清单对照", 0.8, "需编办关注解决", topic="QD｜三定职责无清单事项｜负责某项审批", scope=["甲局"])
    fid = merge(ws, [gap])[0].finding.id
    _decide(ws, fid)
    gap.departments, gap.scope = ["甲乙局"], ["甲乙局"]
    row = merge(ws, [gap])[0]
    assert row.finding.id == fid and row.status == "已确认" and row.presence == RESCOPED


def test_workspace_from_an_older_version_keeps_decisions_by_the_old_id(tmp_path):
    ws = tmp_path / "old.sqlite"
    with sqlite3.connect(ws) as conn:  # the schema before topics existed
        conn.executescript("""
            CREATE TABLE findings (id TEXT PRIMARY KEY, category TEXT, tool_category TEXT, description TEXT, departments TEXT,
              evidence TEXT, source TEXT, confidence REAL, disposition TEXT, status TEXT DEFAULT '待核实', comment TEXT DEFAULT '',
              reviewer TEXT DEFAULT '', review_date TEXT DEFAULT '', presence TEXT, first_seen TEXT, last_seen TEXT, rank INTEGER DEFAULT 0);
            CREATE TABLE history (finding_id TEXT, at TEXT, field TEXT, old TEXT, new TEXT, by TEXT);
            INSERT INTO findings (id, category, tool_category, description, departments, evidence, source, confidence, disposition,
              status, comment, presence) VALUES ('JC-old', '部门间职责边界不清', '部门间职责边界不清', 'x', '[]', 'e', '职责交叉', 0.9,
              '需编办关注解决', '已确认', '老决定', '持续');
        """)
    f = _overlap("停车场", ["甲局", "乙局"])
    f.aliases = ["JC-old"]
    row = merge(ws, [f])[0]
    assert (row.finding.id, row.status, row.comment) == ("JC-old", "已确认", "老决定")
    assert identity(ws)[0]


def test_import_without_export_state_compares_with_the_workspace(tmp_path):
    ws = tmp_path / "w.sqlite"
    fid = merge(ws, [_overlap("停车场", ["甲局", "乙局"])])[0].finding.id
    result = import_review(ws, [{"_row": "2", "编号": fid, "状态": "已确认", "复核意见": "", "复核人": "", "复核日期": "",
                                  "问题类别": "", "建议处置": ""}], "t.csv")
    assert result.changed == 1 and result.notes
    assert ledger(ws)[0].status == "已确认"


def test_a_file_that_is_not_a_workspace_gets_a_clear_message(tmp_path):
    from typer.testing import CliRunner

    from duty_analyzer.cli import app

    bogus = tmp_path / "x.workspace.sqlite"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    result = CliRunner().invoke(app, ["review", "status", "--workspace", str(bogus)])
    assert result.exit_code == 1 and "不是工作区文件" in result.output and "Traceback" not in result.output

"""Two runs on one workspace: the second waits for the first, or gets a message; never an IntegrityError."""

import threading

import pytest

import duty_analyzer.workspace as workspace
from duty_analyzer.findings import Finding
from duty_analyzer.workspace import WorkspaceError, ledger, merge, run_transaction


def findings(*ids):
    return [Finding(i, "部门间职责边界不清", f"问题{i}", ["甲局", "乙局"], "证据", "职责交叉", 0.9, "提请协调") for i in ids]


def test_concurrent_runs_wait_for_each_other(tmp_path):
    path = tmp_path / "ws.sqlite"
    entered, release, errors = threading.Event(), threading.Event(), []

    def first():
        with run_transaction(path) as run:
            merge(path, findings("a", "b"), run=run)
            entered.set()
            release.wait(10)

    t = threading.Thread(target=first)
    t.start()
    entered.wait(10)
    threading.Timer(0.5, release.set).start()
    with run_transaction(path) as run:  # waits for the first to commit, then sees its rows
        rows = merge(path, findings("a", "b", "c"), run=run)
    t.join()
    assert {r.finding.id: r.presence for r in rows} == {"a": "持续", "b": "持续", "c": "新增"}


def test_a_run_that_cannot_get_the_workspace_gets_a_message(tmp_path, monkeypatch):
    path = tmp_path / "ws.sqlite"
    monkeypatch.setattr(workspace, "BUSY_SECONDS", 0.2)
    with run_transaction(path):
        with pytest.raises(WorkspaceError, match="另一次运行正在使用这个工作区"):
            with run_transaction(path):
                pass


def test_a_killed_run_leaves_no_trace_and_new_findings_stay_new(tmp_path):
    path = tmp_path / "ws.sqlite"
    with run_transaction(path) as run:
        merge(path, findings("a"), run=run)
        shown = run.token
    with pytest.raises(KeyboardInterrupt):
        with run_transaction(path) as run:
            merge(path, findings("a", "b"), run=run, shown=shown)
            raise KeyboardInterrupt
    assert [r.finding.id for r in ledger(path)] == ["a"]
    # a run that committed but whose outputs never replaced OUT (shown is still the first run)
    with run_transaction(path) as run:
        merge(path, findings("a", "b"), run=run, shown=shown)
    with run_transaction(path) as run:
        rows = merge(path, findings("a", "b"), run=run, shown=shown)
    assert {r.finding.id: r.presence for r in rows} == {"a": "持续", "b": "新增"}


def test_a_corrupt_workspace_is_a_message(tmp_path):
    path = tmp_path / "ws.sqlite"
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(WorkspaceError, match="不是工作区文件"):
        ledger(path)

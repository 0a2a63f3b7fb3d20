"""The workspace: a SQLite file that keeps findings by stable id across runs, with staff decisions.

Re-running `analyze` after documents change keeps every status and comment, marks new findings 新增 and
vanished ones 已消失. `review import` writes staff edits from findings.xlsx, validated as a whole (one
bad row and nothing is applied); corrected categories become training rows for `train --with-reviews`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .findings import CATEGORIES, DISPOSITIONS, STATUSES, Finding

SCHEMA = """
CREATE TABLE IF NOT EXISTS findings (
    id TEXT PRIMARY KEY, category TEXT, tool_category TEXT, description TEXT, departments TEXT,
    evidence TEXT, source TEXT, confidence REAL, disposition TEXT, status TEXT DEFAULT '待核实',
    comment TEXT DEFAULT '', reviewer TEXT DEFAULT '', review_date TEXT DEFAULT '',
    presence TEXT, first_seen TEXT, last_seen TEXT, rank INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS history (
    finding_id TEXT, at TEXT, field TEXT, old TEXT, new TEXT, by TEXT
);
CREATE TABLE IF NOT EXISTS reviews (
    finding_id TEXT PRIMARY KEY, text TEXT, category TEXT, at TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT UNIQUE, at TEXT
);
"""
# How long a second run waits for the first to finish writing before it gives up with a message.
BUSY_SECONDS = 30.0
NEW, KEPT, GONE = "新增", "持续", "已消失"
STATEMENT_SOURCES = ("访谈记录",)  # findings whose description is a problem statement, usable as training text
EDITABLE = {"状态": "status", "问题类别": "category", "建议处置": "disposition", "复核意见": "comment", "复核人": "reviewer", "复核日期": "review_date"}


class WorkspaceError(Exception):
    """A review file that cannot be applied; the message names the rows."""


@dataclass
class LedgerRow:
    finding: Finding
    status: str
    comment: str
    reviewer: str
    review_date: str
    presence: str


def default_path(out_dir: Path) -> Path:
    return out_dir.parent / f"{out_dir.name}.workspace.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_SECONDS)
    try:
        conn.executescript(SCHEMA)
        if "first_run" not in {r[1] for r in conn.execute("PRAGMA table_info(findings)")}:
            conn.execute("ALTER TABLE findings ADD COLUMN first_run INTEGER DEFAULT 0")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise WorkspaceError(_busy_message(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(f"{path}：工作区文件损坏或不是本工具的工作区（{exc}）") from None
    return conn


def _busy_message(path: Path, exc: Exception) -> str:
    if "locked" in str(exc) or "busy" in str(exc):
        return f"{path}：另一次运行正在使用这个工作区（等待 {BUSY_SECONDS:.0f} 秒仍未结束），请等它完成后再试"
    return f"{path}：无法打开工作区（{exc}）"


@dataclass
class Run:
    """One analyze run inside an open workspace transaction: `seq` orders runs, `token` names it."""

    conn: sqlite3.Connection
    seq: int
    token: str


@contextmanager
def run_transaction(path: Path) -> Iterator[Run]:
    """A write transaction for one run, taken at once (BEGIN IMMEDIATE): a concurrent run waits, then
    gets a message. Nothing is committed unless the block finishes, so a killed run leaves no trace."""
    conn = _connect(path)
    conn.isolation_level = None
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise WorkspaceError(_busy_message(path, exc)) from None
        token = uuid.uuid4().hex
        seq = conn.execute("INSERT INTO runs (token, at) VALUES (?, ?)", (token, datetime.now().isoformat(timespec="seconds"))).lastrowid
        try:
            yield Run(conn, seq, token)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


def merge(path: Path, findings: list[Finding], now: str | None = None, run: Run | None = None,
          shown: str | None = None) -> list[LedgerRow]:
    """Store this run's findings in their order of importance, keep staff decisions, and return the ledger
    (current findings in this run's order, then vanished ones).

    Inside `run` (run_transaction) nothing is committed here. `shown` is the token of the run whose
    outputs the user has (OUT's marker): a finding first stored by a later run that never reached the
    outputs (killed before the swap) is still 新增, never 持续."""
    now = now or datetime.now().isoformat(timespec="seconds")
    with (nullcontext(run.conn) if run else closing(_connect(path))) as conn, (nullcontext() if run else conn):
        shown_seq = _run_seq(conn, shown)
        known = {r[0]: r for r in conn.execute("SELECT id, category, tool_category, status, disposition, first_run FROM findings")}
        current = set()
        for rank, f in enumerate(findings):
            current.add(f.id)
            if f.id in known:
                _, category, tool_category, status, disposition, first_run = known[f.id]
                corrected = category != tool_category
                presence = NEW if (first_run or 0) > shown_seq else KEPT
                conn.execute(
                    "UPDATE findings SET tool_category=?, category=?, description=?, departments=?, evidence=?, source=?,"
                    " confidence=?, presence=?, last_seen=?, rank=? WHERE id=?",
                    (f.category, category if corrected else f.category, f.description, json.dumps(f.departments, ensure_ascii=False),
                     f.evidence, f.source, f.confidence, presence, now, rank, f.id),
                )
            else:
                conn.execute(
                    "INSERT INTO findings (id, category, tool_category, description, departments, evidence, source, confidence,"
                    " disposition, presence, first_seen, last_seen, rank, first_run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (f.id, f.category, f.category, f.description, json.dumps(f.departments, ensure_ascii=False), f.evidence,
                     f.source, f.confidence, f.disposition, NEW, now, now, rank, run.seq if run else 0),
                )
        for fid in set(known) - current:
            conn.execute("UPDATE findings SET presence=? WHERE id=?", (GONE, fid))
        if run:
            return ledger(path, conn)
    return ledger(path)


def _run_seq(conn: sqlite3.Connection, token: str | None) -> int:
    """The sequence number of a run by token; with no token known, every stored run counts as shown."""
    row = conn.execute("SELECT seq FROM runs WHERE token=?", (token,)).fetchone() if token else None
    if row:
        return row[0]
    return 1 << 62


def ledger(path: Path, conn: sqlite3.Connection | None = None) -> list[LedgerRow]:
    with (nullcontext(conn) if conn else closing(_connect(path))) as conn:
        rows = conn.execute(
            "SELECT id, category, description, departments, evidence, source, confidence, disposition, status, comment,"
            " reviewer, review_date, presence, rank FROM findings"
        ).fetchall()
    order = {NEW: 0, KEPT: 0, GONE: 1}
    out = [
        LedgerRow(Finding(r[0], r[1], r[2], json.loads(r[3] or "[]"), r[4], r[5], r[6], r[7]), r[8], r[9], r[10], r[11], r[12])
        for r in rows
    ]
    rank = {r[0]: r[13] for r in rows}
    out.sort(key=lambda x: (order[x.presence], rank[x.finding.id], x.finding.id))
    return out


def import_review(path: Path, edits: list[dict[str, str]], source: str, now: str | None = None) -> int:
    """Apply rows read from the 问题台账 sheet; raises WorkspaceError listing every bad row, applying none."""
    now = now or datetime.now().isoformat(timespec="seconds")
    allowed = {"状态": STATUSES, "问题类别": CATEGORIES, "建议处置": DISPOSITIONS}
    with closing(_connect(path)) as conn:
        known = {r[0]: r for r in conn.execute(
            "SELECT id, status, category, disposition, comment, reviewer, review_date, description, tool_category, source FROM findings"
        )}
    errors, changes = [], []
    for edit in edits:
        row, fid = edit.get("_row", "?"), (edit.get("编号") or "").strip()
        if not fid:
            continue
        if fid not in known:
            errors.append(f"第 {row} 行：编号 {fid} 不在工作区中")
            continue
        for column, values in allowed.items():
            value = (edit.get(column) or "").strip()
            if value and value not in values:
                errors.append(f"第 {row} 行：{column}“{value}”无效，可选：{'、'.join(values)}")
        current = dict(zip(("status", "category", "disposition", "comment", "reviewer", "review_date"), known[fid][1:7]))
        for column, field in EDITABLE.items():
            value = (edit.get(column) or "").strip()
            if column in edit and value != (current[field] or "") and (value or field in ("comment", "reviewer", "review_date")):
                changes.append((fid, field, current[field], value))
    if errors:
        raise WorkspaceError(f"{source}：有 {len(errors)} 处错误，未导入任何修改：\n" + "\n".join(errors))
    with closing(_connect(path)) as conn, conn:
        for fid, field, old, new in changes:
            conn.execute(f"UPDATE findings SET {field}=? WHERE id=?", (new, fid))
            by = next((e.get("复核人", "") for e in edits if e.get("编号") == fid), "")
            conn.execute("INSERT INTO history VALUES (?,?,?,?,?,?)", (fid, now, field, old, new, by))
            if field == "category" and new != known[fid][8] and known[fid][9] in STATEMENT_SOURCES:
                conn.execute("INSERT OR REPLACE INTO reviews VALUES (?,?,?,?)", (fid, known[fid][7], new, now))
    return len(changes)


def status_counts(path: Path) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Counts by status, and by category × status (the 销号 progress board)."""
    with closing(_connect(path)) as conn:
        rows = conn.execute("SELECT category, status, COUNT(*) FROM findings WHERE presence != ? GROUP BY category, status", (GONE,)).fetchall()
    by_status: dict[str, int] = {s: 0 for s in STATUSES}
    by_category: dict[str, dict[str, int]] = {}
    for category, status, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        by_category.setdefault(category, {s: 0 for s in STATUSES})[status] = n
    return by_status, by_category


def reviewed_examples(path: Path) -> list[tuple[str, str]]:
    """(text, corrected category) pairs for `train --with-reviews`."""
    if not path.exists():
        return []
    with closing(_connect(path)) as conn:
        return [(t, c) for t, c in conn.execute("SELECT text, category FROM reviews")]

"""The workspace: a SQLite file that keeps findings across runs, with staff decisions.

A finding is recognised again by what it is about (its topic: kind and object) and by the departments it
concerns matched by overlap, not equality — between assessment rounds departments merge, split and are
renamed, and a decision must follow the matter (变化 = 范围变化) rather than fall off as 已消失 next to an
undecided 新增. Findings a reviewer adds in the ledger (来源 人工补充) are kept across runs.

`review import` is stale-safe: every ledger carries the workspace it came from, the workspace revision and
each row's state at export (see `LedgerMeta`); only cells the reviewer changed since that export are
applied, and a row decided elsewhere after the export is refused, listing the rows. Import is validated as a
whole (one bad row and nothing is applied); corrected categories become training rows for
`train --with-reviews`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .findings import CATEGORIES, DISPOSITIONS, MANUAL, STATUSES, Finding, proposed_disposition
from .mask import mask_text

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
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT UNIQUE, at TEXT
);
"""
# How long a second run waits for the first to finish writing before it gives up with a message.
BUSY_SECONDS = 30.0
# Columns added after the first release; added to older workspaces on open.
MIGRATIONS = {
    "findings": {"topic": "TEXT DEFAULT ''", "scope": "TEXT DEFAULT '[]'", "aliases": "TEXT DEFAULT '[]'",
                 "first_run": "INTEGER DEFAULT 0"},
    "history": {"revision": "INTEGER DEFAULT 0", "source": "TEXT DEFAULT ''"},
}
NEW, KEPT, GONE, RESCOPED = "新增", "持续", "已消失", "范围变化"
STATEMENT_SOURCES = ("访谈记录",)  # findings whose description is a problem statement, usable as training text
# Sources keyed by their own text (a 三定 item, a sentence): a renamed department still matches.
TEXT_KEYED = ("三定清单对照", "访谈记录", MANUAL)
EDITABLE = {"状态": "status", "问题类别": "category", "建议处置": "disposition", "复核意见": "comment", "复核人": "reviewer", "复核日期": "review_date"}
ALLOWED = {"状态": STATUSES, "问题类别": CATEGORIES, "建议处置": DISPOSITIONS}


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

    def state(self) -> dict[str, str]:
        """The editable cells as the ledger shows them (what `review import` compares against)."""
        f = self.finding
        return {"状态": self.status, "问题类别": f.category, "建议处置": f.disposition, "复核意见": self.comment or "",
                "复核人": self.reviewer or "", "复核日期": self.review_date or ""}


@dataclass
class LedgerMeta:
    """Where a ledger came from, carried inside it (hidden sheet): which workspace (id and path), which
    revision of it, which analysis, and each row's editable cells at export."""

    workspace_id: str
    workspace: str
    revision: int
    analysis: str
    exported_at: str
    rows: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class ImportResult:
    changed: int = 0
    added: list[str] = field(default_factory=list)  # ids of reviewer rows stored as 人工补充 findings
    notes: list[str] = field(default_factory=list)  # warnings the CLI prints


def default_path(out_dir: Path) -> Path:
    return out_dir.parent / f"{out_dir.name}.workspace.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_SECONDS)
    try:
        conn.executescript(SCHEMA)
        for table, columns in MIGRATIONS.items():
            have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns.items():
                if name not in have:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        if conn.execute("SELECT value FROM meta WHERE key='id'").fetchone() is None:
            conn.execute("INSERT INTO meta VALUES ('id', ?)", (uuid.uuid4().hex,))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('revision', '0')")
        conn.commit()
    except sqlite3.OperationalError as exc:
        conn.close()
        raise WorkspaceError(_busy_message(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(f"{path}：不是工作区文件，无法打开（{exc}）") from None
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


def _run_seq(conn: sqlite3.Connection, token: str | None) -> int:
    """The sequence number of a run by token; with no token known, every stored run counts as shown."""
    row = conn.execute("SELECT seq FROM runs WHERE token=?", (token,)).fetchone() if token else None
    return row[0] if row else 1 << 62


def _meta(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else default


def identity(path: Path) -> tuple[str, int]:
    """(workspace id, revision): the revision grows with every import and every analysis run."""
    with closing(_connect(path)) as conn:
        return _meta(conn, "id"), int(_meta(conn, "revision", "0"))


def _bump(conn: sqlite3.Connection) -> int:
    revision = int(_meta(conn, "revision", "0")) + 1
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (str(revision),))
    return revision


# ---------------------------------------------------------------- recognising a finding again

@dataclass
class Known:
    """What a stored finding is matched on."""

    id: str
    source: str
    topic: str
    scope: frozenset[str]
    aliases: frozenset[str]


def _jaccard(a: frozenset | set, b: frozenset | set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _objects(topic: str) -> frozenset[str]:
    """The objects a topic names ('JC｜停车场、停车设施' → {停车场, 停车设施}); text-keyed topics are one key."""
    return frozenset(topic.rsplit("｜", 1)[-1].split("、"))


def _prefix(topic: str) -> str:
    return topic.rsplit("｜", 1)[0] if "｜" in topic else ""


def _bucket(source: str, topic: str) -> tuple[str, str]:
    """Candidates are looked up per bucket: the whole text for text-keyed sources, the kind otherwise."""
    return (source, topic) if source in TEXT_KEYED else (source, _prefix(topic))


def match(findings: list[Finding], known: list[Known]) -> dict[int, tuple[str, bool]]:
    """For each current finding (by position) the stored id it continues and whether its scope changed.

    Greedy in order of importance: a stored finding continues the current one with the same source and
    kind whose objects intersect and whose scope overlaps most (text-keyed sources: same text, any
    scope); earlier ids (aliases) match too, so workspaces from older versions keep their decisions."""
    by_prefix: dict[tuple[str, str], list[Known]] = {}
    by_alias: dict[str, Known] = {}
    for k in known:
        if k.topic:
            by_prefix.setdefault(_bucket(k.source, k.topic), []).append(k)
        by_alias[k.id] = k
        for a in k.aliases:
            by_alias.setdefault(a, k)
    claimed: set[str] = set()
    out: dict[int, tuple[str, bool]] = {}
    for i, f in enumerate(findings):
        scope, objects = frozenset(f.scope), _objects(f.topic)
        best, best_score = None, 0.0
        for k in by_prefix.get(_bucket(f.source, f.topic), []):
            if k.id in claimed:
                continue
            if f.source in TEXT_KEYED:
                if k.topic != f.topic:
                    continue
                score = 1.0 + _jaccard(scope, k.scope) + (k.id == f.id) * 0.5
            else:
                if not objects & _objects(k.topic) or not scope & k.scope:
                    continue
                score = _jaccard(scope, k.scope) + _jaccard(objects, _objects(k.topic)) + (k.id == f.id) * 0.01
            if score > best_score:
                best, best_score = k, score
        if best is None:
            for a in [f.id, *f.aliases]:
                k = by_alias.get(a)
                if k is not None and k.id not in claimed and not k.topic:  # a row from before topics existed
                    best = k
                    break
        if best is not None:
            claimed.add(best.id)
            out[i] = (best.id, bool(best.topic) and best.scope != scope)
    return out


def _fresh_id(f: Finding, used: set[str]) -> str:
    """A new finding's id: its topic id, or one that also covers its scope when the topic id is taken."""
    if f.id not in used:
        return f.id
    prefix = f.id.split("-", 1)[0]
    base = prefix + "-" + hashlib.sha1("|".join([f.topic, *sorted(f.scope)]).encode("utf-8")).hexdigest()[:10]
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def merge(path: Path, findings: list[Finding], now: str | None = None, run: Run | None = None,
          shown: str | None = None) -> list[LedgerRow]:
    """Store this run's findings in their order of importance, keep staff decisions, and return the ledger
    (current findings in this run's order, then vanished ones). Each finding takes the id of the stored
    finding it continues; reviewer-added findings stay.

    Inside `run` (run_transaction) nothing is committed here. `shown` is the token of the run whose outputs
    the user has (OUT's marker): a finding first stored by a later run that never reached the outputs
    (killed before the swap) is still 新增, never 持续."""
    now = now or datetime.now().isoformat(timespec="seconds")
    with (nullcontext(run.conn) if run else closing(_connect(path))) as conn, (nullcontext() if run else conn):
        shown_seq = _run_seq(conn, shown)
        stored = conn.execute("SELECT id, category, tool_category, source, topic, scope, aliases, rank, first_run FROM findings").fetchall()
        first_run = {r[0]: r[8] or 0 for r in stored}
        known = [Known(r[0], r[3], r[4] or "", frozenset(json.loads(r[5] or "[]")), frozenset(json.loads(r[6] or "[]")))
                 for r in stored if r[3] != MANUAL]
        corrected = {r[0]: r[1] != r[2] for r in stored}
        matched = match(findings, known)
        used = {r[0] for r in stored}
        current = {r[0] for r in stored if r[3] == MANUAL}
        for rank, f in enumerate(findings):
            departments, scope = json.dumps(f.departments, ensure_ascii=False), json.dumps(sorted(f.scope), ensure_ascii=False)
            if rank in matched:
                old_id, rescoped = matched[rank]
                aliases = json.dumps(sorted({*f.aliases, f.id} - {old_id}), ensure_ascii=False)
                f.id = old_id
                conn.execute(
                    "UPDATE findings SET tool_category=?, category=CASE WHEN ? THEN category ELSE ? END, description=?,"
                    " departments=?, evidence=?, source=?, confidence=?, presence=?, last_seen=?, rank=?, topic=?, scope=?,"
                    " aliases=? WHERE id=?",
                    (f.category, corrected[old_id], f.category, f.description, departments, f.evidence, f.source,
                     f.confidence, NEW if first_run[old_id] > shown_seq else RESCOPED if rescoped else KEPT, now, rank,
                     f.topic, scope, aliases, old_id),
                )
            else:
                f.id = _fresh_id(f, used)
                conn.execute(
                    "INSERT INTO findings (id, category, tool_category, description, departments, evidence, source, confidence,"
                    " disposition, presence, first_seen, last_seen, rank, topic, scope, aliases, first_run)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (f.id, f.category, f.category, f.description, departments, f.evidence, f.source, f.confidence,
                     f.disposition, NEW, now, now, rank, f.topic, scope, json.dumps(f.aliases, ensure_ascii=False),
                     run.seq if run else 0),
                )
            used.add(f.id)
            current.add(f.id)
        for fid in {r[0] for r in stored} - current:
            conn.execute("UPDATE findings SET presence=? WHERE id=?", (GONE, fid))
        manual_rank = len(findings)
        conn.execute("UPDATE findings SET rank=?, presence=CASE WHEN presence=? THEN ? ELSE presence END WHERE source=?"
                     " AND first_seen<?", (manual_rank, NEW, KEPT, MANUAL, now))
        _bump(conn)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('analysis', ?)", (now,))
        if run:
            return ledger(path, conn)
    return ledger(path)


def ledger(path: Path, conn: sqlite3.Connection | None = None) -> list[LedgerRow]:
    with (nullcontext(conn) if conn else closing(_connect(path))) as conn:
        rows = conn.execute(
            "SELECT id, category, description, departments, evidence, source, confidence, disposition, status, comment,"
            " reviewer, review_date, presence, rank, topic, scope, aliases FROM findings"
        ).fetchall()
    order = {NEW: 0, KEPT: 0, RESCOPED: 0, GONE: 1}
    out = [
        LedgerRow(Finding(r[0], r[1], r[2], json.loads(r[3] or "[]"), r[4], r[5], r[6], r[7], r[14] or "",
                          json.loads(r[15] or "[]"), json.loads(r[16] or "[]")),
                  r[8], r[9] or "", r[10] or "", r[11] or "", r[12])
        for r in rows
    ]
    rank = {r[0]: r[13] for r in rows}
    out.sort(key=lambda x: (order.get(x.presence, 0), rank[x.finding.id], x.finding.id))
    return out


def export_meta(path: Path, rows: list[LedgerRow], ledger_dir: Path | None = None,
                conn: sqlite3.Connection | None = None) -> LedgerMeta:
    """What a ledger written now (into `ledger_dir`) must carry to be imported safely later. The workspace is
    recorded relative to the ledger's folder (../out.workspace.sqlite), never as an absolute path that may
    name the user's home folder."""
    with (nullcontext(conn) if conn else closing(_connect(path))) as conn:  # inside a run: its own transaction
        wid, revision, analysis = _meta(conn, "id"), int(_meta(conn, "revision", "0")), _meta(conn, "analysis")
    where = path.name
    if ledger_dir is not None:
        rel = Path(os.path.relpath(path.resolve(), ledger_dir.resolve()))
        if rel.parts.count("..") <= 2 and not rel.is_absolute():
            where = rel.as_posix()
    return LedgerMeta(wid, where, revision, analysis, datetime.now().isoformat(timespec="seconds"),
                      {r.finding.id: r.state() for r in rows})


def locate(ledger_file: Path, meta: LedgerMeta | None) -> Path | None:
    """The workspace a ledger came from: the path it records, relative to the ledger's folder (so a copied
    project still works), checked against the recorded workspace id; else the workspace beside the ledger's
    output folder (out/findings.xlsx → out.workspace.sqlite)."""
    candidates = []
    if meta is not None:
        recorded = Path(meta.workspace)
        candidates += [ledger_file.parent / recorded, ledger_file.parent.parent / recorded.name, ledger_file.parent / recorded.name]
        if recorded.is_absolute():
            candidates.append(recorded)
    candidates.append(default_path(ledger_file.parent.resolve()))
    for c in candidates:
        try:
            if c.is_file() and (meta is None or identity(c)[0] == meta.workspace_id):
                return c.resolve()
        except WorkspaceError:
            continue
    return None


# ---------------------------------------------------------------- review import

def _manual_id(edit: dict[str, str]) -> str:
    text = "|".join((edit.get("问题描述") or "").split()) + "|" + (edit.get("涉及部门") or "")
    return "RG-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def import_review(path: Path, edits: list[dict[str, str]], source: str, now: str | None = None,
                  meta: LedgerMeta | None = None, header: list[str] | None = None, force: bool = False) -> ImportResult:
    """Apply rows read from the 问题台账 sheet; raises WorkspaceError listing every bad row, applying none.

    With `meta` (the ledger's export state) only cells that differ from their exported value are applied and
    a row changed in the workspace after that export is a conflict (refused unless `force`). Without it
    (a CSV, a ledger from an older version) cells are compared with the workspace."""
    now = now or datetime.now().isoformat(timespec="seconds")
    result = ImportResult()
    header = header if header is not None else (list(edits[0]) if edits else [])
    with closing(_connect(path)) as conn:
        wid = _meta(conn, "id")
        known = {r[0]: r for r in conn.execute(
            "SELECT id, status, category, disposition, comment, reviewer, review_date, description, tool_category, source FROM findings"
        )}
        later: set[str] = set()
        origin = f"{source}@{meta.revision}@{meta.exported_at}" if meta is not None else source
        if meta is not None:  # decisions taken after this ledger was exported, by anything but this ledger
            later = {r[0] for r in conn.execute(
                "SELECT DISTINCT finding_id FROM history WHERE revision>? AND source!=?", (meta.revision, origin))}
    if meta is not None and meta.workspace_id != wid:
        raise WorkspaceError(f"{source}：该台账来自另一个工作区（{meta.workspace}），不是 {path}；请用 --workspace 指定台账所属的工作区")
    if meta is None:
        result.notes.append(f"{source}：台账中没有导出时的记录（CSV 或旧版本台账），按与工作区现有取值不同的单元格导入")
    missing = [c for c in EDITABLE if c not in header]
    if missing:
        result.notes.append(f"{source}：台账缺少“{'”“'.join(missing)}”列，这些列的修改无法导入")
    errors, conflicts, changes, additions = [], [], [], []
    for edit in edits:
        row, fid = edit.get("_row", "?"), (edit.get("编号") or "").strip()
        for column, values in ALLOWED.items():
            value = (edit.get(column) or "").strip()
            if value and value not in values:
                errors.append(f"第 {row} 行：{column}“{value}”无效，可选：{'、'.join(values)}")
        if not fid or fid not in known:
            description = (edit.get("问题描述") or "").strip()
            if not description:
                if fid:
                    errors.append(f"第 {row} 行：编号 {fid} 不在工作区中，且没有问题描述")
                continue
            if not (edit.get("问题类别") or "").strip():
                errors.append(f"第 {row} 行：新增的问题请填写问题类别")
                continue
            new_id = fid if fid and len(fid) <= 40 and not fid.startswith(("JC-", "NB-", "QD-", "RX-", "FT-")) else _manual_id(edit)
            if fid and new_id != fid:
                result.notes.append(f"第 {row} 行：编号 {fid} 不在工作区中，按人工补充的问题新增为 {new_id}")
            elif fid:
                result.notes.append(f"第 {row} 行：编号 {fid} 不在工作区中，按人工补充的问题新增")
            if new_id not in known and new_id not in {a[0] for a in additions}:
                additions.append((new_id, edit, row))
            continue
        current = dict(zip(("status", "category", "disposition", "comment", "reviewer", "review_date"), known[fid][1:7]))
        baseline = meta.rows.get(fid) if meta is not None else None
        row_changes = []
        for column, fieldname in EDITABLE.items():
            if column not in edit:
                continue
            value = (edit.get(column) or "").strip()
            before = (baseline.get(column, "") if baseline is not None else (current[fieldname] or "")).strip()
            if value == before or value == (current[fieldname] or ""):
                continue
            if not value and fieldname in ("status", "category", "disposition"):
                continue  # a cleared drop-down is not a decision
            row_changes.append((fid, fieldname, current[fieldname], value, edit.get("复核人", "")))
        if row_changes and fid in later and not force:
            conflicts.append(f"第 {row} 行（编号 {fid}）：导出后已在别处修改（工作区现为 状态“{current['status']}”，"
                             f"复核意见“{current['comment'] or ''}”）")
            continue
        changes.extend(row_changes)
    if errors:
        raise WorkspaceError(f"{source}：有 {len(errors)} 处错误，未导入任何修改：\n" + "\n".join(errors))
    if conflicts:
        raise WorkspaceError(
            f"{source}：{len(conflicts)} 行在导出本台账之后已由别人或另一份台账作出决定，为免覆盖，未导入任何修改：\n"
            + "\n".join(conflicts) + "\n请重新运行 analyze 取得最新的台账后再修改，或确认要覆盖时加 --force"
        )
    with closing(_connect(path)) as conn, conn:
        revision = _bump(conn)
        for fid, fieldname, old, new, by in changes:
            conn.execute(f"UPDATE findings SET {fieldname}=? WHERE id=?", (new, fid))
            conn.execute("INSERT INTO history (finding_id, at, field, old, new, by, revision, source) VALUES (?,?,?,?,?,?,?,?)",
                         (fid, now, fieldname, old, new, by, revision, origin))
            if fieldname == "category" and new != known[fid][8] and known[fid][9] in STATEMENT_SOURCES:
                conn.execute("INSERT OR REPLACE INTO reviews VALUES (?,?,?,?)", (fid, known[fid][7], new, now))
        for fid, edit, _ in additions:
            category = edit["问题类别"].strip()
            departments = [d for d in (edit.get("涉及部门") or "").replace("，", "、").replace(",", "、").split("、") if d.strip()]
            conn.execute(
                "INSERT INTO findings (id, category, tool_category, description, departments, evidence, source, confidence,"
                " disposition, status, comment, reviewer, review_date, presence, first_seen, last_seen, rank, topic, scope, aliases)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (fid, category, category, mask_text(edit["问题描述"].strip()), json.dumps(departments, ensure_ascii=False),
                 mask_text((edit.get("依据与证据") or "").strip()) or "复核人员补充", MANUAL, 1.0,
                 (edit.get("建议处置") or "").strip() or proposed_disposition(category, MANUAL),
                 (edit.get("状态") or "").strip() or STATUSES[0], (edit.get("复核意见") or "").strip(),
                 (edit.get("复核人") or "").strip(), (edit.get("复核日期") or "").strip(), NEW, now, now, 10 ** 6,
                 f"RG｜{edit['问题描述'].strip()}", json.dumps(departments, ensure_ascii=False), "[]"),
            )
            conn.execute("INSERT INTO history (finding_id, at, field, old, new, by, revision, source) VALUES (?,?,?,?,?,?,?,?)",
                         (fid, now, "added", "", mask_text(edit["问题描述"].strip()), edit.get("复核人", ""), revision, origin))
    result.changed = len(changes)
    result.added = [a[0] for a in additions]
    return result


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


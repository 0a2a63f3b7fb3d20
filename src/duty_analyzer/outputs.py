"""One run's outputs replaced as a set: staged beside OUT, swapped in at the end, recovered after a kill.

`analyze` writes every file into `OUT.staging-<pid>`, writes a marker naming its run, commits the
workspace, then swaps: OUT → `OUT.old-<pid>`, staging → OUT, old removed. Whatever moment the process
dies, OUT holds either the previous or the new complete set, and the next run (under the same lock)
tidies up: staging folders are deleted, an `OUT.old-*` is put back when OUT is missing (killed between
the two renames) or removed, and leftover temporaries of our own outputs are deleted.

The marker's run token is what the workspace compares against: a run that committed but never reached
OUT (killed before the swap) has its new findings still shown as 新增 next time (workspace.merge `shown`).

Files in OUT that the tool did not write (the user's own) are carried over into the new set.

Output folders also mark themselves (`.duty-analyzer-output.json`, the manifest), so the tool never reads
back what it wrote: `analyze 材料 --out 材料/out` is a common habit, and without a mark the next run reads
last run's hotline_records.csv and problems.csv as new input. The input walker skips any folder that
holds a manifest.
"""


from __future__ import annotations

import errno
import glob
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: msvcrt locks a byte range instead
    fcntl = None
    import msvcrt

MARKER = ".duty-analyzer-run.json"
MANIFEST = ".duty-analyzer-output.json"
WORKSPACE = re.compile(r"\.workspace\.sqlite(-journal|-wal|-shm)?$")
# What earlier versions wrote into OUT (before the marker listed it): never carried over as the user's.
KNOWN_OUTPUTS = frozenset({
    "parsed.json", "overlaps.json", "problems.csv", "hotline_records.csv", "hotline_hotspots.csv",
    "hotline_records.jsonl", "hotline_hotspots.jsonl", "findings.xlsx", "report.html", "report.docx",
    "scorecard.csv", MANIFEST,
})
LOCK_WAIT_SECONDS = 10.0
_TMP = re.compile(r"\.tmp$")


KILL_AT_ENV = "DUTY_ANALYZER_KILL_AT"


def checkpoint(name: str) -> None:
    """Test hook: SIGKILL this process at the named point when DUTY_ANALYZER_KILL_AT names it."""
    if os.environ.get(KILL_AT_ENV) == name:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


class OutputError(Exception):
    """The output folder is busy or cannot be replaced; the message is for the user."""


@dataclass
class Staging:
    """The folder this run writes into, and the run whose outputs OUT holds now (for 新增/持续)."""

    dir: Path
    shown: str | None

    def complete(self, token: str) -> None:
        """Mark the staged set whole: listed files, run token; flushed to disk before the commit."""
        names = sorted(p.name for p in self.dir.iterdir() if p.name != MARKER)
        path = self.dir / MARKER
        with path.open("w", encoding="utf-8") as fh:
            json.dump({"token": token, "outputs": names}, fh)
            fh.flush()
            os.fsync(fh.fileno())


def read_marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("token"), str) else None


def _siblings(out: Path, kind: str) -> list[Path]:
    return sorted(Path(p) for p in glob.glob(os.path.join(glob.escape(str(out.parent)), glob.escape(out.name) + f".{kind}-*")))


def _ours(folder: Path) -> set[str]:
    marker = read_marker(folder)
    listed = set(marker.get("outputs", [])) if marker else set()
    return listed | KNOWN_OUTPUTS | {MARKER}


def _is_our_temporary(name: str, ours: set[str]) -> bool:
    return bool(_TMP.search(name)) and any(name.startswith(o + ".") for o in ours)


def carry_foreign(old: Path, new: Path) -> None:
    """Move what the user keeps in OUT (anything the tool did not write) from the old set into the new."""
    ours = _ours(old)
    for entry in old.iterdir():
        if entry.name in ours or _is_our_temporary(entry.name, ours) or (new / entry.name).exists():
            continue
        os.rename(entry, new / entry.name)


def remove_temporaries(folder: Path) -> None:
    if not folder.is_dir():
        return
    ours = _ours(folder)
    for entry in folder.iterdir():
        if entry.is_file() and _is_our_temporary(entry.name, ours):
            entry.unlink(missing_ok=True)


def swap(out: Path, stage: Path) -> None:
    """OUT → OUT.old-<pid>, staging → OUT, the user's files carried over, the old set removed."""
    aside = out.parent / f"{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, aside)
        checkpoint("swap-aside")
    os.rename(stage, out)
    checkpoint("swap-in")
    if aside.exists():
        carry_foreign(aside, out)
        checkpoint("swap-carried")
        shutil.rmtree(aside, ignore_errors=True)


def recover(out: Path) -> None:
    """Bring OUT back to one complete set after a killed run (call under `output_lock`)."""
    for stage in _siblings(out, "staging"):
        shutil.rmtree(stage, ignore_errors=True)
    asides = _siblings(out, "old")
    if not out.exists() and asides:
        os.rename(asides.pop(), out)
    for aside in asides:
        if out.is_dir():
            carry_foreign(aside, out)
        shutil.rmtree(aside, ignore_errors=True)
    remove_temporaries(out)


@contextmanager
def output_lock(out: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """One run at a time per output folder: a second waits `wait` seconds, then gets a message."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.lock"
    fh = path.open("a+")
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                else:
                    fh.seek(0)
                    msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    raise OutputError(f"{out}：另一次 analyze 正在写入这个输出文件夹，请等它完成后再运行") from None
                time.sleep(0.2)
        yield
    finally:
        fh.close()


@contextmanager
def staged_outputs(out: Path) -> Iterator[Staging]:
    """Lock OUT, recover it, hand out a fresh staging folder; swap it in when the block succeeds.

    The caller writes every output into `Staging.dir`, calls `complete(token)` and commits its workspace
    transaction inside the block; a failure or kill before the swap leaves OUT as it was.
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}：已存在同名文件，不是文件夹，请换一个输出文件夹")
    with output_lock(out):
        recover(out)
        stage = out.parent / f"{out.name}.staging-{os.getpid()}"
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(parents=True)
        shown = (read_marker(out) or {}).get("token") if out.is_dir() else None
        try:
            yield Staging(stage, shown)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        if read_marker(stage) is None:  # the caller never declared the set complete
            shutil.rmtree(stage, ignore_errors=True)
            raise OutputError(f"{out}：输出未写完，未替换原有结果")
        swap(out, stage)


# ---------------------------------------------------------------- the manifest

def is_output_folder(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def output_folders(root: Path) -> list[Path]:
    """Folders under `root` (itself included) that hold a manifest."""
    return sorted(m.parent for m in root.rglob(MANIFEST) if m.is_file())


def written_by_tool(path: Path, folders: Iterable[Path]) -> bool:
    """A file inside a marked output folder, or a workspace (`OUT.workspace.sqlite` beside OUT)."""
    return WORKSPACE.search(path.name) is not None or any(folder in path.parents for folder in folders)


def mark_output(out_dir: Path, files: Iterable[Path] = ()) -> Path:
    """Write the manifest (tool, version, time, files written) into `out_dir`."""
    from . import __version__

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MANIFEST
    data = {
        "tool": "duty-analyzer", "version": __version__,
        "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "files": sorted({Path(f).name for f in files}),
        "note": "duty-analyzer 的输出文件夹：作为输入时会被跳过",
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def skipped_notes(paths: Iterable[Path], out_dir: Path | None = None) -> list[str]:
    """One note per output folder found inside the inputs (the current OUT among them)."""
    notes, seen = [], set()
    out = out_dir.resolve() if out_dir is not None else None
    for p in map(Path, paths):
        if not p.is_dir():
            continue
        found = output_folders(p)
        if out is not None and p.resolve() in out.parents and out not in [f.resolve() for f in found]:
            found.append(out_dir)
        for folder in found:
            if folder.resolve() not in seen:
                seen.add(folder.resolve())
                notes.append(f"已跳过 {folder}：这是本工具的输出文件夹，不作为输入读取")
    return notes

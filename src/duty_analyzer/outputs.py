"""Output folders mark themselves, so the tool never reads back what it wrote.

`analyze 材料 --out 材料/out` is a common habit; without a mark the next run reads last run's
hotline_records.csv and problems.csv as new input (the hotline count snowballs). Every output folder gets a
manifest, `.duty-analyzer-output.json`, and the input walker skips any folder that holds one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

MANIFEST = ".duty-analyzer-output.json"
WORKSPACE = re.compile(r"\.workspace\.sqlite(-journal|-wal|-shm)?$")


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

"""Office formats the parsers cannot read directly: .doc/.wps (Word/WPS text) and .et (WPS spreadsheet) are
converted by LibreOffice (`soffice --headless --convert-to`) into a temporary folder and parsed from there;
results still name the original file. Without LibreOffice the message says how to get it or what to re-save
as. OFD (版式文件) has no reader here; the message says what to export it to.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from .errors import ParseError

# Extension -> the format LibreOffice converts it to.
CONVERTIBLE = {".doc": "docx", ".wps": "docx", ".et": "xlsx"}
TIMEOUT = 120  # seconds for one file: a hostile or huge file must not hang the batch
SOFFICE_ENV = "DUTY_ANALYZER_SOFFICE"  # full path to soffice when it is not on PATH
_WINDOWS_SOFFICE = (r"C:\Program Files\LibreOffice\program\soffice.exe", r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")

OFD_MESSAGE = ("是 OFD 版式文件，本工具不能直接读取：请用 OFD 阅读器（数科、福昕等）导出为带文字层的 PDF，"
               "或另存为 .docx 后重试")


def install_hint(ext: str) -> str:
    target = CONVERTIBLE.get(ext, "docx")
    return (f"是 {ext} 格式，需要 LibreOffice 自动转换，但本机没有找到 LibreOffice。请安装 LibreOffice"
            f"（Windows：从 LibreOffice 官网下载安装；Linux：apt install libreoffice-writer libreoffice-calc），"
            f"或设置环境变量 {SOFFICE_ENV} 为 soffice 的完整路径；也可以在 WPS/Office 中另存为 .{target} 后重试")


def find_soffice() -> str | None:
    """The LibreOffice command: $DUTY_ANALYZER_SOFFICE, soffice/libreoffice on PATH, the usual Windows place."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return configured if Path(configured).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _WINDOWS_SOFFICE if os.name == "nt" and Path(p).is_file()), None)


def needs_conversion(path: Path) -> bool:
    return path.suffix.lower() in CONVERTIBLE


def convert(path: Path, out_dir: Path, timeout: float | None = None) -> Path:
    """The converted copy of `path` in `out_dir`; ParseError with a Chinese reason when it cannot be made."""
    ext = path.suffix.lower()
    target = CONVERTIBLE[ext]
    soffice = find_soffice()
    if soffice is None:
        raise ParseError(str(path), install_hint(ext))
    profile = out_dir / "profile"  # own profile: works while the user has LibreOffice open
    command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(out_dir), str(path)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        raise ParseError(str(path), f"无法启动 LibreOffice（{soffice}：{exc.strerror or exc}）") from None
    try:
        _, err = process.communicate(timeout=timeout or TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise ParseError(str(path), f"LibreOffice 转换超过 {timeout or TIMEOUT} 秒仍未完成，已放弃；请手动另存为 .{target}") from None
    result = out_dir / f"{path.stem}.{target}"
    if process.returncode != 0 or not result.is_file():
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"退出码 {process.returncode}"]
        raise ParseError(str(path), f"LibreOffice 未能把 {ext} 转换为 .{target}（{detail[0][:200]}）；请手动另存为 .{target} 后重试")
    return result


def _kill(process: subprocess.Popen) -> None:
    """soffice starts soffice.bin: end the whole session it leads, not only the wrapper."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, OSError):
        process.kill()
    process.communicate()


def relabel(value: Any, old: str, new: str) -> Any:
    """Every string equal to `old` (a converted copy's path) inside dataclasses/lists/dicts becomes `new`."""
    if isinstance(value, str):
        return new if value == old else value
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            setattr(value, f.name, relabel(getattr(value, f.name), old, new))
        return value
    if isinstance(value, list):
        return [relabel(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: relabel(v, old, new) for k, v in value.items()}
    return value


def parse_converted(path: Path, kind: str | None, parse: Callable[[Path, str | None], Any]) -> Any:
    """Convert, parse the copy with `parse`, and name the original file in everything it returns."""
    with tempfile.TemporaryDirectory(prefix="duty-analyzer-convert-") as tmp:
        copy = convert(path, Path(tmp))
        try:
            parsed = parse(copy, kind)
        except ParseError as exc:
            raise ParseError(str(path), exc.message) from None
        parsed = relabel(parsed, str(copy), str(path))
    parsed.notes.append(f"已用 LibreOffice 从 {path.suffix.lower()} 转换为 .{CONVERTIBLE[path.suffix.lower()]} 后读取")
    return parsed

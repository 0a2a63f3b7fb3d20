"""Legacy Office files go through LibreOffice when it is there, and say how to get it when it is not.
No test needs LibreOffice: a stand-in `soffice` on PATH copies a prepared .docx into --outdir."""

import os
import stat
import sys
from pathlib import Path

import pytest
from docx import Document

from duty_analyzer.parse import parse_file, parse_paths
from duty_analyzer.parse import convert

FAKE = """#!{python}
import shutil, sys, time
args = sys.argv[1:]
if {sleep}:
    time.sleep(30)
out = args[args.index("--outdir") + 1]
src = args[-1]
stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
target = args[args.index("--convert-to") + 1]
shutil.copy({prepared!r}, out + "/" + stem + "." + target)
"""


def fake_soffice(folder: Path, prepared: Path, sleep: bool = False) -> Path:
    folder.mkdir(exist_ok=True)
    script = folder / "soffice"
    script.write_text(FAKE.format(python=sys.executable, sleep=sleep, prepared=str(prepared)), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture
def interview_docx(tmp_path):
    doc = Document()
    for line in ("访谈记录", "问：工作中有什么问题？", "答：停车场的管理职责交叉，几个部门都管又都不管。"):
        doc.add_paragraph(line)
    path = tmp_path / "prepared.docx"
    doc.save(path)
    return path


@pytest.fixture(autouse=True)
def no_configured_soffice(monkeypatch):
    monkeypatch.delenv(convert.SOFFICE_ENV, raising=False)


def test_doc_and_wps_are_converted_and_keep_their_own_name(tmp_path, interview_docx, monkeypatch):
    fake_soffice(tmp_path / "bin", interview_docx)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    for name in ("访谈.doc", "座谈.wps"):
        legacy = tmp_path / name
        legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
        parsed = parse_file(legacy)
        assert parsed.kind == "interview" and parsed.path == str(legacy)
        assert all(s.location.file == str(legacy) and s.source_file == str(legacy) for s in parsed.statements)
        assert any("LibreOffice" in n for n in parsed.notes)


def test_without_libreoffice_the_message_says_how(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(convert, "_WINDOWS_SOFFICE", ())
    (tmp_path / "docs").mkdir()
    for name in ("a.doc", "b.et"):
        (tmp_path / "docs" / name).write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 10)
    corpus = parse_paths([tmp_path / "docs"])
    messages = {Path(e.path).name: e.message for e in corpus.errors}
    assert "安装 LibreOffice" in messages["a.doc"] and "另存为 .docx" in messages["a.doc"]
    assert "另存为 .xlsx" in messages["b.et"]


def test_a_hanging_conversion_is_cut_off(tmp_path, interview_docx, monkeypatch):
    soffice = fake_soffice(tmp_path / "bin", interview_docx, sleep=True)
    monkeypatch.setenv(convert.SOFFICE_ENV, str(soffice))
    monkeypatch.setattr(convert, "TIMEOUT", 1)
    legacy = tmp_path / "慢.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 10)
    corpus = parse_paths([legacy])
    assert "超过 1 秒" in corpus.errors[0].message


def test_ofd_says_what_it_needs(tmp_path):
    ofd = tmp_path / "通知.ofd"
    ofd.write_bytes(b"PK\x03\x04" + b"\0" * 20)
    corpus = parse_paths([ofd])
    assert "OFD" in corpus.errors[0].message and "PDF" in corpus.errors[0].message

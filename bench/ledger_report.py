"""Figures for the ledger and the reports: file sizes, write time, open time in a browser, printed pages.

    PYTHONPATH=src python bench/ledger_report.py corpora/sample [--shots docs/]

Analyses the folder into a temporary directory, then (when installed) opens report.html in headless
Chromium (load time, A4 print pages) and prints findings.xlsx through LibreOffice (A4 landscape pages; pages
of the 问题台账 sheet and whether each has the header and the last column). With --shots it also writes the
screenshots used in docs/: the first printed ledger page and the top of the report.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from duty_analyzer.pipeline import analyze


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_load_seconds(page: Path, tmp: Path, repeat: int = 3) -> tuple[float, float]:
    """(time from navigation to the load event with every chart drawn, as the page itself measures it,
    wall time of the whole headless Chromium run), best of `repeat`."""
    best_page, best_wall = float("inf"), float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        dom = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp / 'chr'}",
                              "--virtual-time-budget=3000", "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
        best_wall = min(best_wall, time.perf_counter() - t)
        m = re.search(r'data-load-ms="(\d+)"', dom)
        if m:
            best_page = min(best_page, int(m.group(1)) / 1000)
    return best_page, best_wall


def pdf_pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1)), re.search(r"Page size:\s+(.*)", info).group(1).strip()


def ledger_pages(pdf: Path, pages: int) -> tuple[int, int]:
    """(pages of the 问题台账 sheet, of which pages showing the header and the last column)."""
    found = complete = 0
    for p in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True, text=True).stdout
        if re.search(r"(JC|NB|RX|QD|FT)-[0-9a-f]{10}", text) and "置信度" in text:
            found += 1
            complete += "依据与证据" in text and "变化" in text
    return found, complete


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--shots", type=Path, help="write docs screenshots into this folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    out = tmp / "out"
    t = time.perf_counter()
    result = analyze([args.folder], out)
    print(f"analyze: {time.perf_counter() - t:.1f} s; ledger rows {len(result.summary.ledger)}; file problems {len(result.corpus.errors)}")
    for name in ("findings.xlsx", "report.html", "report.docx"):
        print(f"{name}: {(out / name).stat().st_size / 1024:.0f} KiB")
    from duty_analyzer.ledger import write_ledger
    from duty_analyzer.report import write_report
    from duty_analyzer.report_docx import write_docx
    from duty_analyzer.workspace import default_path, export_meta

    rows = result.summary.ledger
    for label, fn in (("findings.xlsx", lambda: write_ledger(tmp / "l.xlsx", rows, result.overlaps, None, result.corpus.errors,
                                                             export_meta(default_path(out), rows, out))),
                      ("report.html", lambda: write_report(tmp / "r.html", rows, result.overlaps, None)),
                      ("report.docx", lambda: write_docx(tmp / "r.docx", rows, result.overlaps, None))):
        t = time.perf_counter()
        fn()
        print(f"write {label}: {time.perf_counter() - t:.2f} s")
    if chromium():
        on_page, wall = browser_load_seconds(out / "report.html", tmp)
        print(f"report.html open (navigation → load, charts drawn): {on_page:.2f} s; whole headless Chromium run {wall:.2f} s")
        pdf = tmp / "report.pdf"
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp / 'chr'}", f"--print-to-pdf={pdf}", (out / "report.html").as_uri()],
                       capture_output=True, timeout=120)
        if shutil.which("pdfinfo"):
            print("report.html printed: %d pages, %s" % pdf_pages(pdf))
        if args.shots:
            shot = tmp / "report-full.png"
            subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1150,1900",
                            f"--user-data-dir={tmp / 'chr'}", f"--screenshot={shot}", (out / "report.html").as_uri()],
                           capture_output=True, timeout=120)
            from PIL import Image

            Image.open(shot).convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(args.shots / "report.png", optimize=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf", "--outdir", str(tmp),
                        str(out / "findings.xlsx")], capture_output=True, timeout=300)
        pdf = tmp / "findings.pdf"
        if pdf.exists() and shutil.which("pdfinfo"):
            pages, size = pdf_pages(pdf)
            found, complete = ledger_pages(pdf, pages)
            print(f"findings.xlsx printed (LibreOffice, all sheets): {pages} pages, {size}; 问题台账 {found} pages, "
                  f"{complete} with header and every column")
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/lo", "--convert-to", "pdf", "--outdir", str(tmp / "docx"),
                            str(out / "report.docx")], capture_output=True, timeout=300)
            if (tmp / "docx" / "report.pdf").exists():
                print("report.docx printed (LibreOffice Writer): %d pages, %s" % pdf_pages(tmp / "docx" / "report.pdf"))
            if args.shots and shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(tmp / "ledger")], check=True)
                from PIL import Image

                Image.open(tmp / "ledger.png").convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(
                    args.shots / "ledger-print.png", optimize=True)


if __name__ == "__main__":
    main()

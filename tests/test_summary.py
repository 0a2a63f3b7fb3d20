"""The printed summary: failures and warnings apart, and never a bare "nothing found" when files failed."""

from duty_analyzer.model import Corpus, FileError
from duty_analyzer.overlaps import OverlapReport
from duty_analyzer.summary import format_overlaps, format_summary, summarize


def test_warnings_are_listed_apart_from_failures():
    corpus = Corpus(errors=[FileError("a.docx", "文件已损坏"), FileError("b.txt", "没有主要职责", severity="warning")])
    text = format_summary(summarize(corpus, OverlapReport([], [])))
    assert "失败 1 个" in text and "内容为空 1 个" in text
    assert "错误：a.docx：文件已损坏" in text and "警告：b.txt：没有主要职责" in text
    assert "1 个文件解析失败" in text and "1 个文件没有解析出可用内容" in text


def test_no_overlaps_says_how_many_files_failed_or_were_empty():
    report = OverlapReport([], [])
    assert format_overlaps(report) == "未发现职责交叉。"
    text = format_overlaps(report, [FileError("a", "x"), FileError("b", "y", severity="warning"), FileError("c", "z", severity="warning")])
    assert "1 个文件解析失败" in text and "2 个文件没有解析出可用内容" in text

"""Kind sniffing and what each kind of bad input gets: a Chinese message naming the file, the batch going on."""

import shutil

import pytest

from duty_analyzer.parse import ParseError, parse_file, parse_paths, sniff_kind

from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"

EXPECTED_MESSAGES = {
    "损坏的三定.docx": "不是有效的 DOCX",
    "加密的三定.pdf": "已加密",
    "扫描件.pdf": "OCR",
    "空文件.txt": "文件为空",
    "未知编码.txt": "无法识别文件编码",
    "无表头.xlsx": "找不到可识别的表头",
    "照片.png": "不支持的文件格式",
    "会议通知.txt": "无法识别文档类型",
}


@pytest.mark.parametrize("name, message", sorted(EXPECTED_MESSAGES.items()))
def test_each_bad_input_gets_a_clear_message(name, message):
    with pytest.raises(ParseError) as info:
        parse_file(BAD / name)
    assert message in info.value.message
    assert info.value.path.endswith(name)


def test_batch_goes_on_past_bad_files(tmp_path, write):
    for name in EXPECTED_MESSAGES:
        shutil.copy(BAD / name, tmp_path / name)
    write(tmp_path / "访谈.txt", "访谈记录\n问：有何问题？\n答：职责交叉。\n")
    corpus = parse_paths([tmp_path])
    assert len(corpus.files) == 1 and len(corpus.statements) == 1
    assert sorted(e.path.rsplit("/", 1)[-1] for e in corpus.errors) == sorted(EXPECTED_MESSAGES)


def test_kind_is_sniffed_from_content_not_file_name(tmp_path, write):
    notes_named_like_sanding = write(tmp_path / "三定规定.txt", "座谈会记录\n问：情况如何？\n答：还好。\n")
    assert sniff_kind(notes_named_like_sanding) == "interview"
    hotline_named_like_list = write(tmp_path / "权责清单.csv", "工单编号,诉求内容,首派单位\nA1,噪音扰民,市公安局\n")
    assert sniff_kind(hotline_named_like_list) == "hotline"


def test_forced_kind_must_fit_the_format(tmp_path, write):
    path = write(tmp_path / "x.csv", "工单编号,诉求内容\nA1,噪音\n")
    with pytest.raises(ParseError, match="不能是 .csv"):
        parse_file(path, kind="sanding")


def test_office_lock_and_hidden_files_are_not_documents(tmp_path, write):
    write(tmp_path / "~$三定.docx", "lock")
    write(tmp_path / ".DS_Store", "x")
    corpus = parse_paths([tmp_path])
    assert corpus.files == [] and corpus.errors == []

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


def test_files_that_parse_to_nothing_are_warnings_not_silence(tmp_path, write):
    write(tmp_path / "三定.txt", "溪南县测绘局职能配置、内设机构和人员编制规定\n第一条 制定本规定。\n第二条 本局是县政府工作部门。\n")
    write(tmp_path / "清单.csv", "溪南县测绘局权责清单\n事项名称,职权类型,设定依据\n")
    write(tmp_path / "工单.csv", "工单编号,诉求内容,首派单位,退单单位\n")
    write(tmp_path / "好的.txt", "溪南县档案局职能配置、内设机构和人员编制规定\n第三条 主要职责是：\n（一）负责档案工作。\n")
    corpus = parse_paths([tmp_path])
    assert corpus.failures == []
    warned = {e.path.rsplit("/", 1)[-1]: e.message for e in corpus.warnings}
    assert set(warned) == {"三定.txt", "清单.csv", "工单.csv"}
    assert "主要职责" in warned["三定.txt"] and "数据行" in warned["清单.csv"] and "工单" in warned["工单.csv"]
    assert len(corpus.files) == 4  # what they did give is kept


def test_title_less_copy_starting_at_article_one_is_a_sanding(tmp_path, write):
    path = write(tmp_path / "copy.txt", "第一条 根据机构改革方案，制定本规定。\n第二条 溪南县测绘局是县政府工作部门，为正科级。\n"
                 "第三条 主要职责是：\n（一）负责测绘。\n")
    assert sniff_kind(path) == "sanding"

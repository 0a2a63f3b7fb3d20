"""Personal data masked in every form it is written; the facts staff need kept. Invented examples only."""

import pytest

from duty_analyzer.model import Bounce, Corpus, DutyItem, HotlineRecord, InterviewStatement, Location, ParsedFile
from duty_analyzer.privacy import id_check_ok, mask_corpus, mask_name, mask_record, mask_statement, mask_text

# (kind, text, the secret that must be gone, the placeholder or masked form expected)
MASKED = [
    ("mobile", "电话13812345678。", "13812345678", "[手机号]"),
    ("mobile dashed", "电话138-1234-5678。", "1234-5678", "[手机号]"),
    ("mobile spaced", "电话138 1234 5678。", "1234 5678", "[手机号]"),
    ("mobile +86", "联系方式+86 13812345678", "13812345678", "[手机号]"),
    ("mobile +86 dashed", "联系方式+86-138-1234-5678", "1234-5678", "[手机号]"),
    ("mobile 0086", "电话008613812345678", "13812345678", "[手机号]"),
    ("landline dash", "电话0591-83456789。", "83456789", "[固定电话]"),
    ("landline space", "电话0591 83456789。", "83456789", "[固定电话]"),
    ("landline full-width bracket", "电话（0591）83456789。", "83456789", "[固定电话]"),
    ("landline half-width bracket", "电话(0591)83456789。", "83456789", "[固定电话]"),
    ("landline local only", "座机是62345678。", "62345678", "[固定电话]"),
    ("ID 18", "身份证110101199003071233。", "110101199003071233", "[身份证号]"),
    ("ID 18 with X", "身份证号11010519491231002X，", "11010519491231002X", "[身份证号]"),
    ("ID 15", "身份证号码110101900307123，", "110101900307123", "[身份证号]"),
    ("bank card", "退款到6222021234567890128，", "6222021234567890128", "[银行卡号]"),
    ("bank card spaced", "卡号 6222 0212 3456 7890", "6222 0212 3456 7890", "[银行卡号]"),
    ("plate", "车牌闽A·12345。", "12345", "[车牌号]"),
    ("plate new energy", "车牌闽AD12345。", "AD12345", "[车牌号]"),
    ("plate spaced lower case", "车牌闽a 3k5x7，", "3k5x7", "[车牌号]"),
    ("e-mail", "邮箱abc.de_1@example.com。", "example.com", "[邮箱]"),
    ("WeChat", "微信号：zhang_san88，", "zhang_san88", "[微信号]"),
    ("WeChat wxid", "加我wxid_ab12cd34ef", "wxid_ab12cd34ef", "[微信号]"),
    ("QQ", "QQ号是123456789。", "123456789", "[QQ号]"),
    ("name after 市民", "市民孙立新反映路灯不亮。", "孙立新", "孙某某"),
    ("name after 村民", "村民赵春梅说水渠堵了。", "赵春梅", "赵某某"),
    ("name after 居民", "居民钱海涛，电话未留。", "钱海涛", "钱某某"),
    ("name after 来电人", "来电人：周玉珍，要求回复。", "周玉珍", "周某某"),
    ("name after 联系人", "联系人吴国栋（物业）", "吴国栋", "吴某某"),
    ("name after 业主", "业主郑晓东称楼顶漏水。", "郑晓东", "郑某某"),
    ("name after 我叫", "我叫冯丽娟，住在河边。", "冯丽娟", "冯某某"),
    ("name after 本人", "本人陈德福反映", "陈德福", "陈某某"),
    ("name after a role", "来电人：养殖场负责人黄宝山，称", "黄宝山", "黄某某"),
    ("name before 来电", "何振宇来电称门口积水。", "何振宇", "何某某"),
    ("name after the caller's 组", "湾头村二组谢长林，电话未留", "谢长林", "谢某某"),
    ("surname with a title", "村民卢师傅说", "卢师傅", "某师傅"),
    ("surname with 大爷", "魏大爷来电", "魏大爷", "某大爷"),
    ("signed after a dash", "能不能取消？——蒋老师，电话未留", "蒋老师", "某老师"),
    ("surname with 老四", "村民韩老四，", "韩老四", "某老四"),
    ("老 + surname", "来电人老钟，七十岁", "老钟", "老某"),
    ("surname + 某", "居民刘某不愿留名", "刘某", "某某"),
    ("house number", "住太平路27号，", "27号", "太平路*号"),
    ("building unit room", "住金桂园3栋2单元1502室，", "1502", "*栋*单元*室"),
    ("floor and room", "住和平街8号3楼301", "301", "和平街*号*楼*"),
    ("village group", "住白水乡河湾村3组", "河湾村", "白水乡某某村*组"),
    ("village group in words", "家在石桥村五组", "石桥村", "某某村*组"),
    ("village after township", "家在青山镇柳溪村，", "柳溪村", "青山镇某某村"),
    ("village one is from", "来电人，青山镇柳溪村的，说", "柳溪村", "青山镇某某村"),
    ("village of a villager", "本人是河西区柳湾村村民", "柳湾村", "某某村村民"),
    ("the neighbour's room", "住锦江苑4栋502，楼上602漏水", "602", "楼上*"),
    ("estate after 街道", "住东城街道梧桐苑小区", "梧桐苑", "东城街道某小区"),
]

# (kind, text that must come out unchanged)
KEPT = [
    ("date", "2024年3月15日上午9:30来电"),
    ("date with 号", "12月5号以后一直没人来"),
    ("ISO date", "受理时间2024-03-15"),
    ("document number", "依据榕政〔2023〕15号文件"),
    ("order number", "按第12号令执行"),
    ("order number short", "按3号令办理"),
    ("article number", "违反第三十二条第二款第3项"),
    ("metro line", "地铁3号线施工围挡"),
    ("amount", "办卡花了3800元，还剩1200多元"),
    ("amount 万元", "投资150万元改造"),
    ("count", "全市共有农贸市场87个，其中42个已改造"),
    ("year", "2023年以来投诉了5次"),
    ("work-order id", "与工单GD202403150012是同一件事"),
    ("departments and places", "市城管局和东城区住建局都说不归他们管，城关镇政府也不管"),
    ("bare surname with 先生/女士", "来电人王先生和李女士一起反映"),
    ("already masked", "访谈对象：科长 刘某某"),
    ("ordinary words", "老人家说学校老师和饭店老板都知道，老房子要拆了"),
    ("the word 村", "村里说村口的路归镇上管"),
    ("bus route", "17路公交车改线了"),
    ("village complained about", "举报：青山镇柳溪村有一户在农田上盖楼"),
    ("percent", "办结率96%，满意率也在提高"),
]


@pytest.mark.parametrize("kind,text,secret,expected", MASKED, ids=[m[0] for m in MASKED])
def test_each_form_of_personal_data_is_masked(kind, text, secret, expected):
    out = mask_text(text)
    assert secret not in out
    assert expected in out


@pytest.mark.parametrize("kind,text", KEPT, ids=[k[0] for k in KEPT])
def test_each_kept_form_survives(kind, text):
    assert mask_text(text) == text


def test_eighteen_digits_with_a_wrong_check_digit_are_not_an_id():
    assert id_check_ok("110101199003071233")
    assert not id_check_ok("110101199003071234")


def test_names_from_the_name_column_are_masked_everywhere_and_stably():
    text = "来电人称，邻居说罗永福家的狗咬人，罗永福不管。"
    out = mask_text(text, ["罗永福"])
    assert "罗永福" not in out and out.count("罗某某") == 2


def test_anonymous_or_citizen_in_the_name_column_masks_nothing():
    text = "市民反映，匿名举报的那家店还开着。"
    assert mask_text(text, ["匿名"]) == text
    assert mask_text(text, ["市民"]) == text


def test_placeholders():
    assert mask_name("周启航") == "周某某"
    assert mask_name("王芳") == "王某某"
    assert mask_name("欧阳明远") == "欧阳某某"
    assert mask_name("欧阳先生") == "欧阳先生"
    assert mask_name("张先生") == "张先生"
    assert mask_name("王某") == "某某"
    assert mask_name("刘某某") == "刘某某"
    assert mask_name("老黄") == "老某"
    assert mask_name("和老师") == "某老师"
    assert mask_name("匿名") == "匿名"
    assert mask_name("") == ""


def _record(request: str, **extra: str) -> HotlineRecord:
    return HotlineRecord("GD202401020003", "2024-01-02 10:00:00", request, "市城管局",
                         [Bounce("市城管局", f"经联系{extra.get('诉求人', '')}，不属于我局职责")], "市住建局",
                         Location("工单.csv", row=2), extra)


def test_a_hotline_record_keeps_its_id_and_masks_its_personal_columns():
    r = mask_record(_record("我叫邹建军，电话13912345678", 诉求人="邹建军", 联系电话="13912345678", 所属区域="东城区"))
    assert r.record_id == "GD202401020003"
    assert r.request == "我叫邹某某，电话[手机号]"
    assert r.extra == {"诉求人": "邹某某", "联系电话": "[已遮盖]", "所属区域": "东城区"}
    assert r.bounces[0].reason == "经联系邹某某，不属于我局职责"


def test_an_interviewee_name_in_the_role_is_masked():
    st = InterviewStatement("访谈.txt", "我是范文斌，我们科只有两个人。", Location("访谈.txt", line=3), "范文斌", "市水利局河湖科科长 范文斌")
    m = mask_statement(st)
    assert (m.speaker, m.role) == ("范某某", "市水利局河湖科科长 范某某")
    assert "范文斌" not in m.text


def test_parsed_corpus_masks_callers_but_not_the_regulation_wording():
    duty = DutyItem("市某局", "主要职责", "（三）", "负责城市道路、桥梁的养护管理，按第12号令组织实施。", Location("三定.txt", line=9))
    sanding = ParsedFile("三定.txt", "sanding", duties=[duty])
    hotline = ParsedFile("工单.csv", "hotline", hotline=[_record("村民柯长顺说桥坏了", 诉求人="柯长顺")])
    masked = mask_corpus(Corpus(files=[sanding, hotline]))
    assert masked.files[0].duties[0].text == duty.text
    assert masked.files[1].hotline[0].request == "村民柯某某说桥坏了"
    assert hotline.hotline[0].request == "村民柯长顺说桥坏了"  # the input corpus is not changed

from duty_analyzer.mask import mask_name, mask_text


def test_each_kind_of_personal_number_is_masked():
    text = "市民王建国（身份证470102198807150036，手机13975260418，座机0877-6123456）反映澜A12345占道"
    masked = mask_text(text)
    for secret in ("470102198807150036", "13975260418", "0877-6123456", "澜A12345"):
        assert secret not in masked
    assert "[身份证号]" in masked and "[手机号]" in masked and "[固定电话]" in masked and "[车牌号]" in masked


def test_ordinary_numbers_survive():
    assert mask_text("全市现有农贸市场87个，2026年完成改造14个") == "全市现有农贸市场87个，2026年完成改造14个"


def test_names():
    assert mask_name("周启航") == "周某某"
    assert mask_name("王某") == "某某"  # a surname with 某 is a planted name too (issue 14)
    assert mask_name("") == ""

from duty_analyzer.names import DepartmentIndex, short_name, split_place

CORPUS = ["云溪市城市管理局", "云溪市住房和城乡建设局", "云溪市市场监督管理局", "云溪市公安局"]


def test_short_names():
    assert short_name("云溪市市场监督管理局") == "市场监管局"
    assert short_name("云溪市住房和城乡建设局") == "住建局"
    assert short_name("临江县农业农村局") == "农业农村局"
    assert split_place("城市管理局") == ("", "城市管理局")


def test_resolve_mentions_people_type():
    index = DepartmentIndex(CORPUS)
    assert index.resolve("市城管局") == "云溪市城市管理局"
    assert index.resolve("城管局") == "云溪市城市管理局"
    assert index.resolve("市城市管理局") == "云溪市城市管理局"
    assert index.resolve("住建部门") == "云溪市住房和城乡建设局"
    assert index.resolve("市市场监督管理局") == "云溪市市场监督管理局"
    assert index.resolve("市场监管局") == "云溪市市场监督管理局"
    assert index.resolve("市公安局交警支队") == "云溪市公安局"


def test_district_bodies_and_unknown_units_stay_unresolved():
    index = DepartmentIndex(CORPUS)
    assert index.resolve("溪口区城管执法局") is None
    assert index.resolve("云城区人民政府") is None
    assert index.resolve("市教育局") is None
    assert index.resolve("") is None


def test_national_bodies_are_not_cities():
    assert split_place("国家市场监督管理总局") == ("", "国家市场监督管理总局")
    assert split_place("中共中央办公厅") == ("", "中央办公厅")
    assert split_place("江西省南昌市水利局") == ("江西省南昌市", "水利局")
    assert split_place("云溪市民政局") == ("云溪市", "民政局")


def test_short_national_names_resolve():
    index = DepartmentIndex(["国家市场监督管理总局", "国家林业和草原局", "住房和城乡建设部", "云溪市卫生健康委员会"])
    assert index.resolve("市场监管总局") == "国家市场监督管理总局"
    assert index.resolve("国家林草局") == "国家林业和草原局"
    assert index.resolve("住建部") == "住房和城乡建设部"
    assert index.resolve("住房城乡建设部") == "住房和城乡建设部"  # by rule: no 和
    assert index.resolve("市卫健委") == "云溪市卫生健康委员会"
    assert short_name("国家市场监督管理总局") == "市场监管总局"


def test_jurisdiction_of_a_branch_is_the_area_it_serves():
    from duty_analyzer.names import jurisdiction, place_stem

    assert jurisdiction("青溪市自然资源和规划局溪口分局") == "溪口"
    assert jurisdiction("云溪市城市管理局") == "云溪市"
    assert place_stem("溪口县") == "溪口"


def test_rule_made_short_forms_and_units_in_brackets_resolve():
    index = DepartmentIndex(["溪南县测绘监督管理局", "溪南县城市管理局"])
    assert index.resolve("县测绘监管局") == "溪南县测绘监督管理局"  # 监督管理 → 监管, by rule
    assert index.resolve("县城管局（市容科）") == "溪南县城市管理局"  # a unit named after its department


def test_a_county_short_form_is_not_taken_by_a_national_alias():
    assert DepartmentIndex(["溪南县林业和草原局"]).resolve("林草局") == "溪南县林业和草原局"
    assert DepartmentIndex(["国家林业和草原局"]).resolve("林草局") == "国家林业和草原局"


def test_resolve_function_finds_the_department_of_the_same_kind():
    index = DepartmentIndex(["北岭市城市管理局", "北岭市市场监督管理局", "北岭市卫生健康委员会", "北岭市公安局",
                             "南江市生态环境局北岭分局"])
    # District and county bureaus, their branches and other names of the same body do the same kind of work.
    assert index.resolve_function("石桥区市场监管局") == "北岭市市场监督管理局"
    assert index.resolve_function("东城区城管执法局") == "北岭市城市管理局"
    assert index.resolve_function("河西县综合行政执法局") == "北岭市城市管理局"
    assert index.resolve_function("河西县卫生健康局") == "北岭市卫生健康委员会"
    assert index.resolve_function("生态环境分局") == "南江市生态环境局北岭分局"
    assert index.resolve_function("河西县公安局交警大队") == "北岭市公安局"
    # What `resolve` finds comes first; bodies of no corpus kind stay unresolved.
    assert index.resolve_function("市城管局") == "北岭市城市管理局"
    assert index.resolve("东城区城管执法局") is None
    assert index.resolve_function("石桥镇人民政府") is None
    assert index.resolve_function("东城区民政局") is None
    assert index.resolve_function("") is None


def test_resolve_function_leaves_two_bodies_of_one_kind_apart():
    index = DepartmentIndex(["北岭市城市管理局", "北岭市综合行政执法局"])
    assert index.resolve_function("东城区城管执法局") is None
    assert index.resolve_function("综合执法局") == "北岭市综合行政执法局"

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

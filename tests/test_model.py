import pickle

from duty_analyzer.model import Bounce, Corpus, HotlineRecord, Location


def test_corpus_round_trips_through_json(sample_corpus):
    import json

    data = json.loads(json.dumps(sample_corpus.to_dict(), ensure_ascii=False))
    again = Corpus.from_dict(data)
    assert again == sample_corpus


def test_hotline_record_round_trips_through_pickle():
    record = HotlineRecord("A1", "2026-01-02 08:00:00", "门口路灯不亮", "甲局", [Bounce("甲局", "不归我局"), Bounce("乙局", "")],
                           "丙局", Location("导出.csv", row=7, sheet="表1"), {"来电人": "王某"})
    again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == record and again.location.sheet == "表1" and again.bounces[0] == Bounce("甲局", "不归我局")
    assert pickle.loads(pickle.dumps(Location("x.txt", page=3, line=9))) == Location("x.txt", page=3, line=9)

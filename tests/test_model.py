from duty_analyzer.model import Corpus


def test_corpus_round_trips_through_json(sample_corpus):
    import json

    data = json.loads(json.dumps(sample_corpus.to_dict(), ensure_ascii=False))
    again = Corpus.from_dict(data)
    assert again == sample_corpus

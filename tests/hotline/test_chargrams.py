"""The fast character n-gram tf-idf gives scikit-learn's matrix exactly, and steps aside when it cannot."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from duty_analyzer.hotline.chargrams import CharTfidf, supported

TRAIN = ["负责城区道路的清扫保洁", "监督管理农贸市场的食品安全", "查处占道经营和流动摊贩", "Ab  cd\t12"]
TEXTS = ["小区门口每天有流动摊贩占道经营", "", "   ", "农贸市场 ABC 卖的菜有问题？", "İstanbul 路灯不亮", "道路"]


def test_rows_equal_scikit_learns_for_every_supported_setting():
    for ngrams in ((1, 1), (2, 2), (1, 2)):
        vec = TfidfVectorizer(analyzer="char", ngram_range=ngrams, sublinear_tf=True).fit(TRAIN)
        assert supported(vec)
        fast, slow = CharTfidf(vec).transform(TEXTS), vec.transform(TEXTS)
        assert fast.shape == slow.shape
        assert np.array_equal(fast.toarray(), slow.toarray())


def test_an_unsupported_vectorizer_falls_back_to_its_own_transform():
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).fit(TRAIN)
    assert not supported(vec)
    assert np.array_equal(CharTfidf(vec).transform(TEXTS).toarray(), vec.transform(TEXTS).toarray())


def test_the_gram_table_finds_what_the_sorted_keys_find():
    for ngrams in ((1, 1), (2, 2), (1, 2)):
        vec = TfidfVectorizer(analyzer="char", ngram_range=ngrams, sublinear_tf=True).fit(TRAIN)
        table, search = CharTfidf(vec), CharTfidf(vec)
        search.table = None  # as for a vocabulary over more than MAX_ALPHABET characters
        texts = TEXTS + ["\U0001F600道路", "路道 路", "负" * 3]
        assert table.table is not None
        assert (table.counts(texts) != search.counts(texts)).nnz == 0

"""What an office PC (Windows) lacks must not break the batch paths: no os.sched_getaffinity, no fork."""

import os

import pytest

from duty_analyzer.classify import load_default, predict_stream
from duty_analyzer.hotline import analyze_to_rows
from duty_analyzer.overlaps import find_overlaps


@pytest.fixture
def windows_like(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)


def test_classify_stream_without_sched_getaffinity(windows_like):
    texts = ["停车场没人管，几个部门互相推诿。", "今年培训安排得很好。"] * 3
    assert len(list(predict_stream(load_default(), texts))) == len(texts)


def test_hotline_rows_without_sched_getaffinity(windows_like, sample_corpus):
    records = sample_corpus.hotline[:20]
    rows = list(analyze_to_rows(records, sample_corpus, find_overlaps(sample_corpus)))
    assert len(rows) == len(records)

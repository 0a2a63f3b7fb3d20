"""The shipped sample corpus parses to what its authors planted (truth.json) and wrote (corpora/sample-src)."""

import re

import pytest

from duty_analyzer.model import Corpus
from duty_analyzer.parse.sanding import ITEM
from duty_analyzer.text import squeeze, to_simplified

from tests.conftest import SAMPLE, SAMPLE_SRC


def _norm(text: str) -> str:
    return to_simplified(squeeze(text))


def _by_department(corpus: Corpus, name: str):
    duties = [d for d in corpus.duties if d.department == name]
    return duties, [c for c in corpus.divisions if c.department == name], [s for s in corpus.staffing if s.department == name]


def test_every_shipped_file_parses(sample_corpus):
    shipped = {str(p) for p in SAMPLE.rglob("*") if p.is_file() and p.suffix != ".json"}
    assert sample_corpus.errors == []
    assert {f.path for f in sample_corpus.files} == shipped
    assert {f.kind for f in sample_corpus.files} == {"sanding", "list", "hotline", "interview", "staffing"}


def test_formats_the_issue_asks_for():
    formats = [p.suffix for p in (SAMPLE / "sanding").iterdir()]
    assert len(formats) >= 12 and formats.count(".docx") >= 3 and formats.count(".pdf") >= 2


def test_department_counts_match_truth(sample_corpus, truth):
    assert len(sample_corpus.departments) == len(truth["departments"])
    for dept in truth["departments"]:
        duties, divisions, staffing = _by_department(sample_corpus, dept["full_name"])
        parsed = next(d for d in sample_corpus.departments if d.name == dept["full_name"])
        assert parsed.short_name == dept["short_name"], dept["id"]
        assert parsed.source_file.endswith(dept["file"])
        assert len([d for d in duties if d.section == "主要职责"]) == dept["main_duties"], dept["id"]
        assert [d.unit for d in duties if d.section == "内设机构"] == dept["units"], dept["id"]
        assert len(divisions) == dept["division_clauses"], dept["id"]
        expected = {k: v for k, v in dept["staffing"].items() if k != "raw" and v is not None}
        assert staffing[0].counts == expected, dept["id"]
        assert {l.title: l.count for l in staffing[0].leaders} == dept["leaders"], dept["id"]


def _planted_items(truth):
    for topic in truth["topics"]:
        yield from topic["items"]
    for group in truth["lookalikes"] + truth["internal_overlaps"]:
        yield from group["items"]


def test_planted_items_are_parsed_with_label_unit_and_text(sample_corpus, truth):
    items = list(_planted_items(truth))
    assert len(items) >= 40
    for item in items:
        duties, _, _ = _by_department(sample_corpus, item["department"])
        matches = [
            d for d in duties
            if d.label == item["label"] and d.unit == item["unit"] and _norm(d.text) == _norm(item["text"])
        ]
        assert len(matches) == 1, item


def test_division_clauses_with_counterparts(sample_corpus, truth):
    for clause in truth["division_clauses"]:
        _, divisions, _ = _by_department(sample_corpus, clause["department"])
        found = [c for c in divisions if _norm(c.label + c.text) == _norm(clause["text"])]
        assert len(found) == 1, clause["text"][:40]
        full = [n for n in found[0].counterparts]
        assert all(n.startswith("云溪市") for n in full), full
        assert len(full) == len(clause["counterparts"])


def test_topics_are_settled_where_the_plan_says(truth):
    settled = {t["id"] for t in truth["topics"] if t["settled"]}
    assert len(truth["topics"]) >= 10 and 0 < len(settled) < len(truth["topics"])
    for topic in truth["topics"]:
        assert bool(topic["settled_by"]) == topic["settled"], topic["id"]
        assert {i["department"] for i in topic["items"]} == set(topic["departments"]), topic["id"]


def _source_item_bodies(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ITEM.match(line.strip())
        if m and "另行规定" not in line:  # 所属事业单位 boilerplate is recognised, not extracted
            yield line.strip()[m.end():]


@pytest.mark.parametrize("dept_id", sorted(p.stem for p in (SAMPLE_SRC / "sanding").glob("*.txt")))
def test_every_numbered_line_of_the_text_source_survives_the_container(sample_corpus, truth, dept_id):
    """What docx, pdf (re-flowed lines), GB18030 and Traditional containers did to the text: nothing lost."""
    dept = next(d for d in truth["departments"] if d["id"] == dept_id)
    duties, divisions, _ = _by_department(sample_corpus, dept["full_name"])
    def loose(text: str) -> str:
        return re.sub(r"[^\w]", "", _norm(text))

    joined = "\n".join(loose((d.unit or "") + d.text) for d in duties) + "\n".join(loose(c.label + c.text) for c in divisions)
    for body in _source_item_bodies(SAMPLE_SRC / "sanding" / f"{dept_id}.txt"):
        assert loose(body) in joined, body[:40]


def test_lists(sample_corpus, truth):
    for expected in truth["lists"]:
        items = [i for i in sample_corpus.list_items if i.location.file.endswith(expected["shipped"])]
        assert len(items) == expected["rows"], expected["file"]
        assert len({i.matter for i in items}) == expected["matters"]
        assert {i.department for i in items} == {expected["department"]}
        assert all(i.power_type and i.handling_unit for i in items)


def test_hotline_records(sample_corpus, truth):
    records = sample_corpus.hotline
    expected = truth["hotline"]["records"]
    assert len(records) == len(expected) >= 200
    assert [r.record_id for r in records] == [e["id"] for e in expected]
    assert all(r.request for r in records)
    assert sum(1 for r in records if r.bounces) >= 0.9 * len(records)
    assert all(re.match(r"\d{4}-\d{2}-\d{2} ", r.time) for r in records)


def test_interview_statements(sample_corpus, truth):
    for f in truth["notes"]["files"]:
        statements = [s for s in sample_corpus.statements if s.source_file.endswith(f["shipped"])]
        assert len(statements) == f.get("qa_pairs", f.get("paragraphs")), f["file"]
        if f["shape"] == "qa":
            assert all(s.question for s in statements)
        if f["shape"] == "minutes":
            assert sum(1 for s in statements if s.speaker or s.role) >= len(statements) - 1
    for planted in truth["notes"]["statements"]:
        hits = [s for s in sample_corpus.statements if s.source_file.endswith(planted["shipped"]) and planted["sentence"] in s.text]
        assert len(hits) == 1, planted["sentence"]
        if planted["shipped"].endswith(".txt"):
            assert hits[0].location.line == planted["line"]


def test_parsed_json_round_trips(tmp_path, sample_corpus):
    from duty_analyzer.pipeline import analyze

    analyze([SAMPLE], tmp_path)
    import json

    from duty_analyzer.privacy import mask_corpus

    data = json.loads((tmp_path / "parsed.json").read_text(encoding="utf-8"))
    # parsed.json is masked (issue 14): callers and interviewees masked, 三定 and 清单 exactly as parsed.
    assert Corpus.from_dict(data) == mask_corpus(sample_corpus)
    public = [f for f in sample_corpus.files if f.kind in ("sanding", "list")]
    assert [f for f in Corpus.from_dict(data).files if f.kind in ("sanding", "list")] == public


def test_sample_sanding_and_lists_parse_exactly_as_before():
    """Layout recovery (web copies, wrapped text, Word tables) must not change a single item, unit, clause,
    staffing figure or location of the sample's 三定 and 清单 (digest made before that work)."""
    import json

    from tests.parse.digest_sample import digest

    expected = json.loads((SAMPLE.parents[1] / "tests" / "fixtures" / "sample_parse_digest.json").read_text(encoding="utf-8"))
    assert digest() == expected

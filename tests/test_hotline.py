"""Hotline dispute analysis on the sample city: links to planted topics, hot spots, masking, CLI."""

import csv
import json

import pytest
from typer.testing import CliRunner

from duty_analyzer.cli import app
from duty_analyzer.hotline import HotlineAnalysis, analyze_records
from duty_analyzer.overlaps import find_overlaps

from tests.conftest import SAMPLE
from tests.test_overlaps import _planted_match

LINK_RATE = 0.95  # measured 179/180 (1 wrong); heldout2 (another author, never tuned on) measures generalisation


@pytest.fixture(scope="module")
def analysed(sample_corpus):
    overlaps = find_overlaps(sample_corpus)
    summary = HotlineAnalysis()
    results = list(analyze_records(sample_corpus.hotline, sample_corpus, overlaps, summary=summary))
    return overlaps, results, summary


def test_records_link_to_their_planted_topic(analysed, truth):
    overlaps, results, _ = analysed
    finding_of = {}
    for t in truth["topics"]:
        finding_of[t["id"]] = next(f.id for f in overlaps.overlaps if _planted_match(f, t))
    planted = [(r, e["topic"]) for r, e in zip(results, truth["hotline"]["records"]) if e["topic"] != "none"]
    right = [r for r, topic in planted if r.finding and r.finding.id == finding_of[topic]]
    wrong = [r for r, topic in planted if r.finding and r.finding.id != finding_of[topic]]
    assert len(right) >= LINK_RATE * len(planted), (len(right), len(planted))
    assert len(wrong) <= 0.05 * len(planted)
    none = [r for r, e in zip(results, truth["hotline"]["records"]) if e["topic"] == "none"]
    assert sum(1 for r in none if r.finding) <= 0.15 * len(none)


def test_hot_spots_rank_planted_topics_first(analysed, truth):
    _, _, summary = analysed
    planted_ids = {r.finding.id for r in analysed[1] if r.finding}
    top = summary.ranked()[:8]
    assert all(h.finding_id in planted_ids for h in top)
    assert top[0].records >= top[-1].records


def test_settled_topics_still_bouncing_are_flagged_as_execution(analysed):
    _, _, summary = analysed
    settled = [h for h in summary.hotspots.values() if h.settled]
    assert settled and all("执行问题" in h.verdict for h in settled)
    unsettled = [h for h in summary.hotspots.values() if h.finding_id and not h.settled]
    assert all("部门间职责边界不清" in h.verdict for h in unsettled if len(h.owners) >= 2)


def test_division_clause_names_the_responsible_department(analysed):
    _, results, _ = analysed
    ads = [r for r in results if r.finding and r.finding.topic == "广告" and r.assigned_by_division]
    assert ads and all(r.assigned_by_division for r in ads)


def test_bounce_chain_uses_corpus_names(analysed):
    _, results, _ = analysed
    chains = [c for r in results for c in r.chain]
    assert "城管局" in chains and "市城管局" not in chains and "云溪市城市管理局" not in chains


def test_candidates_carry_the_clause(analysed):
    _, results, _ = analysed
    parking = next(r for r in results if r.finding and r.finding.topic == "停车")
    assert parking.candidates and all(c.text and c.file for c in parking.candidates)


PLANTED = {
    "name": "王建国", "mobile": "13975260418", "landline": "0877-6123456", "id": "470102198807150036",
    "plate": "澜A9C277", "house": "7栋2单元501室",
}


def test_cli_masks_every_kind_of_personal_data(tmp_path):
    export = tmp_path / "export.csv"
    text = (f"市民{PLANTED['name']}（电话{PLANTED['mobile']}，座机{PLANTED['landline']}，身份证号{PLANTED['id']}）反映："
            f"家住幸福小区{PLANTED['house']}，楼下停车场车辆{PLANTED['plate']}长期占用消防通道")
    with export.open("w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单号", "来电时间", "来电内容", "诉求人", "派发单位", "退回单位", "退回原因"])
        w.writerow(["A1", "2026/3/1 9:00", text, PLANTED["name"], "市城管局", "市城管局；住建局", "不归我局；不归我局"])
        w.writerow(["A2", "2025/1/1 9:00", "去年的工单", "李某", "市城管局", "", ""])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["hotline", str(export), "--sanding", str(SAMPLE / "sanding"), "--out", str(out), "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    written = "".join(p.read_text(encoding="utf-8-sig") for p in out.iterdir())
    for kind, secret in PLANTED.items():
        assert secret not in written, kind
    rows = list(csv.DictReader((out / "hotline_records.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 1 and rows[0]["关联事项"] == "停车" and rows[0]["流转"].startswith("城管局")


def test_cli_json_and_bad_export(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["hotline", str(SAMPLE / "hotline"), "--sanding", str(SAMPLE / "sanding"), "--out", str(out), "--json"])
    assert result.exit_code == 0
    first = json.loads((out / "hotline_records.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"工单编号", "诉求内容", "争议类别", "需复核", "关联编号", "建议承办部门", "依据", "流转"} <= set(first)
    assert "问题类别" not in first  # the statement classifier's reading of a citizen's request is not written
    bad = tmp_path / "bad.csv"
    bad.write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["hotline", str(bad), "--sanding", str(SAMPLE / "sanding"), "--out", str(out)])
    assert result.exit_code == 1 and "表头" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- semantic link

class _ThemeEncoder:
    """A stand-in encoder whose geometry the test controls: texts about stalls point one way, the rest
    spread over other directions, so the link rule is tested apart from any real model."""

    name = "theme"

    def encode(self, texts):
        import numpy as np

        rows = []
        for t in texts:
            v = np.zeros(64, dtype=np.float32)
            if any(w in t for w in ("摊", "摆", "夜宵", "占道")):
                v[0] = 1.0
            else:
                v[1 + sum(map(ord, t)) % 63] = 1.0
            rows.append(v)
        return np.stack(rows)


def test_a_request_naming_no_object_is_linked_by_meaning_only_with_an_encoder():
    from duty_analyzer.hotline import HotlineConfig
    from duty_analyzer.model import HotlineRecord, Location

    from tests.test_overlaps import _corpus

    matters = ["环境卫生清扫保洁", "建筑市场", "道路桥梁养护", "农村饮水工程", "特种设备安全", "广告经营活动", "城市绿化",
               "生猪定点屠宰", "计量器具", "园林古树", "燃气经营", "供水水质", "排水管网", "路灯照明", "渣土运输", "物业服务"]
    others = [f"负责{m}的{a}工作。" for m in matters for a in ("规划", "检查", "审批", "统计")]
    corpus = _corpus({
        "临江县城市管理局": ["负责城区占道经营、流动摊贩的监督管理和查处。"] + others[:32],
        "临江县市场监督管理局": ["负责集贸市场周边占道经营行为的监督管理。"] + others[32:],
    })
    overlaps = find_overlaps(corpus)
    (finding,) = [f for f in overlaps.overlaps if f.kind == "cross"]
    record = HotlineRecord("T1", "2026-05-01", "晚上有人在马路中间摆桌子卖夜宵，车过不去", "", [], "", Location("r.csv", row=2))
    (plain,) = analyze_records([record], corpus, overlaps)
    assert plain.finding is None
    (linked,) = analyze_records([record], corpus, overlaps, HotlineConfig(encoder=_ThemeEncoder()))
    assert linked.finding is not None and linked.finding.id == finding.id


@pytest.mark.parametrize("text, expected", [
    ("每天早上有早餐车占着盲道卖包子，等车的人没地方站", ["占道经营"]),
    ("楼下KTV营业到凌晨3点，吵得全楼睡不着觉", ["噪声"]),
    ("早餐车的包子很好吃，晚上的公园很安静", []),
    ("诊所把带血的棉球和普通垃圾一起扔", ["医疗废物"]),
])
def test_citizens_descriptions_are_read_as_objects(text, expected):
    """The dictionary's cues need two things together (a place and an act, a time and a sound)."""
    from duty_analyzer.hotline import ObjectScanner
    from duty_analyzer.segment import default_segmenter

    lexicon = default_segmenter().lexicon
    found = ObjectScanner(lexicon.objects, lexicon.cues).find(text)
    assert [o for o in found if o in ("占道经营", "噪声", "医疗废物")] == expected


def test_longest_first_finds_what_the_plain_alternation_finds():
    import re

    from duty_analyzer.hotline import longest_first

    words = ["市场", "市场监管", "市场监管局", "监管", "局", "垃圾", "建筑垃圾", "a.b", "(x)", "b"]
    plain = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    trie = re.compile(longest_first(words))
    for text in ["市场监管局门口的建筑垃圾", "市场监管", "市场监", "垃圾建筑垃圾局局", "a.b(x)ab", "", "无关的话"]:
        assert trie.findall(text) == plain.findall(text)


def test_a_patterns_top_level_alternatives_match_where_the_pattern_does():
    import re

    from duty_analyzer.hotline import alternatives
    from duty_analyzer.segment import default_segmenter

    assert alternatives(r"a|(b|c)d|[|(]x|\|y") == ["a", "(b|c)d", "[|(]x", r"\|y"]
    assert alternatives(r"[]|]z|w") == ["[]|]z", "w"]
    assert alternatives(r"(a)x|\1") == [r"(a)x|\1"]  # a back-reference ties the parts together
    texts = ["凌晨还在施工吵得睡不着", "垃圾桶里有针头", "摊位摆到人行道上", "倒了一堆砖块", "|", ""]
    for _, pattern in default_segmenter().lexicon.cues:
        parts = [re.compile(p) for p in alternatives(pattern)]
        for text in texts:
            assert bool(re.search(pattern, text)) == any(p.search(text) for p in parts)


def _heldout_link_counts(sample_corpus, folder, name):
    import json

    from duty_analyzer.parse import parse_paths

    from tests.conftest import SAMPLE

    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    overlaps = find_overlaps(sample_corpus)
    finding = {t["id"]: next(f.id for f in overlaps.overlaps if _planted_match(f, t)) for t in truth["topics"]}
    records = parse_paths([folder / f"{name}.csv"]).hotline
    expected = json.loads((folder / f"{name}_truth.json").read_text(encoding="utf-8"))["records"]
    topic_of = {e["id"]: e["topic"] for e in expected}
    results = list(analyze_records(records, sample_corpus, overlaps))
    planted = [(r, topic_of[r.record.record_id]) for r in results if topic_of[r.record.record_id] != "none"]
    right = sum(1 for r, t in planted if r.finding and r.finding.id == finding[t])
    wrong = sum(1 for r, t in planted if r.finding and r.finding.id != finding[t])
    stray = sum(1 for r in results if topic_of[r.record.record_id] == "none" and r.finding)
    return right, wrong, len(planted), stray


def test_records_in_another_authors_words_link_to_their_topics(sample_corpus):
    """tests/fixtures/heldout: 98 records by another author. Measured 37/78 before the dictionary's citizen
    vocabulary was extended from this set's misses, 61/78 after: this set now guards that vocabulary."""
    from tests.conftest import FIXTURES

    right, wrong, planted, _ = _heldout_link_counts(sample_corpus, FIXTURES / "heldout", "hotline_heldout")
    assert right >= 0.7 * planted and wrong <= 0.06 * planted, (right, wrong, planted)


def test_records_never_tuned_on_still_link_more_often_than_not(sample_corpus):
    """tests/fixtures/heldout2: 100 records by a third author, never tuned on. Measured 25/78 right before the
    citizen vocabulary, 43/78 after, 4 wrong, 3 of 22 unrelated records linked."""
    from tests.conftest import FIXTURES

    right, wrong, planted, stray = _heldout_link_counts(sample_corpus, FIXTURES / "heldout2", "hotline_heldout2")
    assert right >= 0.5 * planted and wrong <= 0.08 * planted and stray <= 5, (right, wrong, planted, stray)


def test_bounced_records_get_a_dispute_category_never_non_problem(analysed):
    _, results, _ = analysed
    bounced = [r for r in results if r.record.bounces]
    assert bounced and all(r.dispute and r.dispute.label != "非问题" and r.dispute.runner_up for r in bounced)
    assert all(0 < r.dispute.confidence <= 1 for r in bounced)
    # 争议依据 says first why the label was given, in words a reviewer can check against the record
    from duty_analyzer.hotline import RECORD_HEADER, record_row

    col = RECORD_HEADER.index("争议依据")
    assert all(record_row(r)[col].startswith(r.dispute.reason) for r in bounced if r.dispute.reason)
    assert sum(bool(r.dispute.reason) for r in bounced) >= 0.9 * len(bounced)


def test_department_list_is_ranked_with_scores_and_weak_entries_after_the_floor(analysed):
    _, results, _ = analysed
    from duty_analyzer.hotline import HotlineConfig

    cfg = HotlineConfig()
    for r in results:
        strong = [c for c in r.candidates if not c.weak]
        weak = [c for c in r.candidates if c.weak]
        assert r.candidates == strong + weak and all(0 < c.score <= 1 for c in r.candidates)
        assert all(c.cover >= cfg.min_clause_score for c in strong) and all(c.cover < cfg.min_clause_score for c in weak)
        for part in (strong, weak):
            assert [c.score for c in part] == sorted((c.score for c in part), reverse=True)
        assert not weak or len(r.candidates) == cfg.min_departments


def test_workers_render_the_same_text_as_the_rows(sample_corpus):
    # write_hotline has the forked workers format their batches; the file must be what the rows would give.
    from duty_analyzer.hotline import RECORD_HEADER, analyze_to_chunks, analyze_to_rows
    from duty_analyzer.tables import Renderer

    records, overlaps = sample_corpus.hotline[:60], find_overlaps(sample_corpus)
    render = Renderer("csv", tuple(RECORD_HEADER))
    chunks = list(analyze_to_chunks(records, sample_corpus, overlaps, workers=2, render=render))
    assert sum(n for _, n in chunks) == len(records)
    assert "".join(text for text, _ in chunks) == render(list(analyze_to_rows(records, sample_corpus, overlaps, workers=1)))

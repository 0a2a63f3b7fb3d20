"""Bring your own labels: train, classify and evaluate with a label set the tool has never seen (issue 8)."""

import csv
import json
import random

import pytest
from typer.testing import CliRunner

from duty_analyzer.cli import app

runner = CliRunner()

# Small generated 政务留言 in three sectors; each message combines a place, a sector's matter and a plea.
SECTORS = {
    "交通运输": ["公交车班次太少", "客运站门口黑车拉客", "县道路面坑洼不平", "出租车拒载绕路", "公交站台没有遮雨棚", "货车超载压坏乡道"],
    "教育文体": ["学校食堂饭菜太贵", "幼儿园入园难", "教师违规有偿补课", "体育馆长期不开放", "中学强制购买教辅", "图书馆开放时间太短"],
    "卫生计生": ["医院挂号排队太久", "诊所无证行医", "乡镇卫生院缺少医生", "疫苗接种点人太多", "医院乱收检查费", "药店高价卖药"],
}
PLACES = ["A市", "A3区", "B2县", "城关镇", "东风街道", "白沙乡"]
PLEAS = ["请有关部门尽快处理。", "希望领导重视。", "已经反映多次没有结果。", "恳请解决。"]


def messages(n_per_label: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows = []
    for label, matters in SECTORS.items():
        for _ in range(n_per_label):
            rows.append((f"{rng.choice(PLACES)}{rng.choice(matters)}，{rng.choice(PLEAS)}", label))
    rng.shuffle(rows)
    return rows


def write_csv(path, rows, header=("留言详情", "一级分类"), encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("byol")
    data = write_csv(root / "train.csv", messages(12, seed=1), encoding="gbk")
    model = root / "model"
    result = runner.invoke(app, [
        "train", "--data", str(data), "--text-column", "留言详情", "--label-column", "一级分类", "--out", str(model), "--folds", "3",
    ])
    assert result.exit_code == 0, result.output
    return root, model, result.output


def test_train_prints_cross_validated_scores_per_label(trained):
    _, model, output = trained
    assert "宏平均 F1" in output and all(label in output for label in SECTORS)
    meta = json.loads((model / "metadata.json").read_text(encoding="utf-8"))
    assert sorted(meta["labels"]) == sorted(SECTORS) and meta["label_column"] == "预测类别"
    assert meta["cv"]["macro_f1"] > 0 and meta["corpus_hash"] and meta["versions"]["scikit-learn"]


def test_classify_with_the_model_adds_prediction_columns(trained):
    root, model, _ = trained
    fresh = write_csv(root / "new.csv", [(t, "") for t, _ in messages(5, seed=2)], header=("留言详情", "备注"))
    out = root / "out.csv"
    result = runner.invoke(app, ["classify", str(fresh), "--text-column", "留言详情", "--model", str(model), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert list(rows[0]) == ["留言详情", "备注", "预测类别", "置信度", "次选类别", "次选置信度", "需复核"]
    truth = dict(messages(5, seed=2))
    right = sum(truth[r["留言详情"]] == r["预测类别"] for r in rows)
    assert right >= 0.8 * len(rows)


def test_evaluate_the_model_on_labelled_data(trained):
    root, model, _ = trained
    data = write_csv(root / "test.csv", messages(6, seed=3))
    result = runner.invoke(app, [
        "evaluate", "--model", str(model), "--data", str(data), "--text-column", "留言详情", "--label-column", "一级分类", "--json",
    ])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["n"] == 18 and scores["macro_f1"] >= 0.8 and set(scores["per_class"]) == set(SECTORS)


@pytest.mark.parametrize("content, message", [
    ("留言,分类\n公交太少,交通运输\n", "缺少列"),
    ("留言详情,一级分类\n公交太少,交通运输\n,教育文体\n", "第 3 行的文本为空"),
    ("留言详情,一级分类\n" + "公交太少,交通运输\n" * 6 + "学校太远,教育文体\n", "样本太少"),
])
def test_bad_training_data_is_named_without_traceback(tmp_path, content, message):
    data = tmp_path / "bad.csv"
    data.write_text(content, encoding="utf-8")
    result = runner.invoke(app, [
        "train", "--data", str(data), "--text-column", "留言详情", "--label-column", "一级分类", "--out", str(tmp_path / "m"),
    ])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert "bad.csv" in result.output or message == "样本太少"
    assert not (tmp_path / "m").exists()


def test_unreadable_file_is_refused(tmp_path):
    data = tmp_path / "binary.csv"
    data.write_bytes(bytes(range(256)) * 40)
    result = runner.invoke(app, ["train", "--data", str(data), "--text-column", "a", "--label-column", "b", "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "binary.csv" in result.output and "Traceback" not in result.output


def test_a_model_directory_without_its_files_is_refused(tmp_path, write):
    (tmp_path / "m").mkdir()
    src = write(tmp_path / "in.csv", "留言详情\n公交太少\n")
    result = runner.invoke(app, ["classify", str(src), "-c", "留言详情", "--model", str(tmp_path / "m"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "不是模型目录" in result.output

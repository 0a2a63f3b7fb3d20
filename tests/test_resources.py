"""The shipped models and training corpus are found the same way from a checkout and from an install."""

import tomllib

from duty_analyzer import resources
from duty_analyzer.classify import default_model_dir, load_default

from tests.conftest import ROOT


def test_shipped_model_and_training_corpus_are_found():
    assert (resources.model_dir("problems") / "model.skops").is_file()
    assert default_model_dir() == resources.model_dir("problems")
    files = resources.training_files()
    assert files and all(f.suffix == ".csv" for f in files)
    assert load_default().metadata.labels


def test_package_dir_maps_the_data_packages_onto_the_folders_the_code_reads():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for package, folder in resources.CHECKOUT_DIRS.items():
        assert config["package-dir"][package] == folder
        assert (ROOT / folder / "__init__.py").is_file()  # the editable finder needs a regular package
        globs = config["package-data"][package]
        assert "**/*.skops" in globs or "**/*.csv" in globs  # subfolders (models/overlaps …) are picked up

"""Package list only (the rest is in pyproject.toml): every package under src/, plus the two data packages
that pyproject's package-dir maps onto models/ and corpora/problems/ without moving them."""

from setuptools import find_packages, setup

setup(packages=find_packages("src") + ["duty_analyzer.models", "duty_analyzer.training"])

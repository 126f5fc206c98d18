"""The package list, found rather than written out, so a new subpackage is never left out of the wheel;
plus the templates of the top-level prompts/, installed as summarizer.prompts (see pyproject.toml).
Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["summarizer", "summarizer.*"]), "summarizer.prompts"])

"""grader.forbidden: the submission's source read for forbidden names, never run."""

from __future__ import annotations

import json

from grader.forbidden import read_source, trapped_calls

RULES = ("scipy.special.softmax", "sklearn.model_selection", "grader")


def _notebook(*cells: str) -> bytes:
    return json.dumps({"cells": [{"cell_type": "code", "source": c} for c in cells],
                       "nbformat": 4, "nbformat_minor": 5}).encode()


def test_each_spelling_of_an_import_is_found() -> None:
    source = (b"import scipy.special\n"
              b"from sklearn.model_selection import train_test_split\n"
              b"import sklearn\n"
              b"y = scipy.special.softmax([1.0])\n"
              b"z = sklearn.model_selection.KFold\n"
              b"w = scipy.special.logsumexp([1.0])\n"
              b"from scipy.special._logsumexp import softmax\n")
    found = read_source({"softmax.py": source}, RULES).forbidden
    assert [(f.where, f.name) for f in found] == [
        ("softmax.py, line 2", "sklearn.model_selection.train_test_split"),
        ("softmax.py, line 4", "scipy.special.softmax"),
        ("softmax.py, line 5", "sklearn.model_selection.KFold"),
        ("softmax.py, line 7", "scipy.special._logsumexp.softmax"),
    ]


def test_grader_check_stays_allowed_and_the_rest_of_grader_does_not() -> None:
    source = (b"import grader\nfrom grader import check\ngrader.check('softmax')\n"
              b"import grader.cases\nfrom grader.testing import assert_close\n")
    found = read_source({"softmax.py": source}, RULES).forbidden
    assert [f.name for f in found] == ["grader.cases", "grader.testing.assert_close"]


def test_notebook_cells_are_read_with_their_numbers_and_magics_skipped() -> None:
    notebook = _notebook("%matplotlib inline\nimport numpy as np", "",
                         "!pip install scipy\nfrom scipy.special import softmax as s")
    found = read_source({"work.ipynb": notebook}, RULES).forbidden
    assert [f.describe() for f in found] == ["work.ipynb, cell 3, line 2: scipy.special.softmax"]


def test_names_built_at_run_time_are_flagged_for_a_person() -> None:
    source = (b"import importlib\nm = importlib.import_module('scipy.' + 'special')\n"
              b"exec('x = 1')\n__import__('os')\n")
    report = read_source({"softmax.py": source}, RULES)
    assert report.forbidden == []
    assert [(f.where, f.name) for f in report.review] == [
        ("softmax.py, line 2", "import_module"), ("softmax.py, line 3", "exec"),
        ("softmax.py, line 4", "__import__")]


def test_unparsable_code_is_left_to_loading() -> None:
    assert read_source({"softmax.py": b"def (:\n"}, RULES).forbidden == []


def test_only_the_rule_s_own_trapped_calls_count() -> None:
    records = [{"name": "scipy.special.softmax", "file": "softmax.py", "line": 3, "count": 2},
               {"name": "numpy.exp", "file": "softmax.py", "line": 4, "count": 1}, "junk"]
    assert trapped_calls(records, RULES) == [
        "softmax.py, line 3: scipy.special.softmax (called while your code ran, 2 calls)"]

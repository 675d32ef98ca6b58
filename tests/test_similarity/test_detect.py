"""What an instructor expects: disguised copies flagged, honest convergence not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from grader.course import Course
from grader.similarity.compare import TOO_LITTLE, Comparison
from grader.similarity.disguise import as_notebook, disguise

from .conftest import NUMERIC, Class, independent

Compare = Callable[[str, Class], Comparison]


def flagged(comparison: Comparison) -> list[tuple[str, str]]:
    return [p.students for p in comparison.flagged]


def honest_class(course: Course, name: str, *, without: str = "") -> Class:
    script = course.config(name).files[0]
    return {f"honest_{key}": {script: text}
            for key, text in independent(course, name).items() if key != without}


@pytest.mark.parametrize("name", NUMERIC)
def test_a_renamed_recommented_reordered_copy_is_flagged(
    name: str, course: Course, compare_class: Compare
) -> None:
    config = course.config(name)
    original = course.solution(name).read_text()  # type: ignore[union-attr]
    copy = disguise(original, set(config.names), seed=3)
    assert copy != original and "# " in copy
    students = {**honest_class(course, name, without="reference"),
                "orig": {config.files[0]: original}, "copier": {config.files[0]: copy}}
    result = compare_class(name, students)
    assert flagged(result) == [("copier", "orig")]
    assert result.flagged[0].similarity >= config.similarity.threshold


@pytest.mark.parametrize("name", NUMERIC)
def test_independent_correct_implementations_are_not_flagged(
    name: str, course: Course, compare_class: Compare
) -> None:
    students = honest_class(course, name)
    assert len(students) >= 6
    result = compare_class(name, students)
    assert result.status == "compared"
    assert flagged(result) == []
    assert max((p.similarity for p in result.pairs), default=0.0) < result.threshold


@pytest.mark.parametrize("name", NUMERIC)
def test_students_who_only_filled_in_the_stub_are_not_flagged(
    name: str, course: Course, compare_class: Compare
) -> None:
    script = course.config(name).files[0]
    stub = (course.assignments_dir / name / script).read_text()
    notebook = (course.assignments_dir / name / f"{name}.ipynb").read_text()
    students = {
        "as_given": {script: stub},
        "passes": {script: stub.replace("raise NotImplementedError", "pass  #")},
        "notebook": {f"{name}.ipynb": notebook},
        "returns_none": {script: stub.replace("raise NotImplementedError(", "return (")},
    }
    result = compare_class(name, students)
    assert flagged(result) == []
    assert result.status == TOO_LITTLE
    assert "too little distinctive material" in result.message


@pytest.mark.parametrize("name", NUMERIC)
def test_a_notebook_copy_of_a_script_is_flagged(
    name: str, course: Course, compare_class: Compare
) -> None:
    config = course.config(name)
    original = course.solution(name).read_text()  # type: ignore[union-attr]
    notebook = as_notebook(disguise(original, set(config.names), seed=11),
                           demo="print('it works')")
    students = {**honest_class(course, name, without="reference"),
                "script": {config.files[0]: original}, "zz_notebook": {"hw.ipynb": notebook}}
    assert flagged(compare_class(name, students)) == [("script", "zz_notebook")]


def test_what_everyone_writes_is_boilerplate_in_a_large_class(
    course: Course, compare_class: Compare
) -> None:
    """Thirty students hand in the lecture's softmax, word for word: nobody is singled out,
    while a pair that shares more than that still is."""
    lecture = ("import numpy as np\n\n\ndef softmax(x, axis=-1):\n    x = np.asarray(x)\n"
               "    if not np.issubdtype(x.dtype, np.floating):\n"
               "        x = x.astype(np.float64)\n"
               "    z = x - np.max(x, axis=axis, keepdims=True)\n    e = np.exp(z)\n"
               "    return e / np.sum(e, axis=axis, keepdims=True)\n")
    students = {f"s{i:02d}": {"softmax.py": lecture} for i in range(30)}
    original = course.solution("softmax").read_text()  # type: ignore[union-attr]
    students |= {"orig": {"softmax.py": original},
                 "copier": {"softmax.py": disguise(original, {"softmax"}, seed=5)}}
    result = compare_class("softmax", students)
    assert flagged(result) == [("copier", "orig")]


def test_a_tiny_pair_is_listed_but_not_flagged(course: Course, compare_class: Compare) -> None:
    wrapper = ("from scipy.special import softmax as s\n\n\ndef softmax(x, axis=-1):\n"
               "    return s(x, axis=axis)\n")
    students = {**honest_class(course, "softmax"),
                "a": {"softmax.py": wrapper}, "b": {"softmax.py": wrapper}}
    result = compare_class("softmax", students)
    pair = next(p for p in result.pairs if p.students == ("a", "b"))
    assert pair.similarity == 1.0 and not pair.flagged and pair.verdict == TOO_LITTLE


def test_code_that_is_not_python_does_not_stop_the_class(
    course: Course, compare_class: Compare
) -> None:
    original = course.solution("kfold").read_text()  # type: ignore[union-attr]
    students = {"a": {"kfold.py": original}, "b": {"kfold.py": original},
                "junk": {"kfold.py": "\x00\x01 def ((( '''"},
                "deep": {"kfold.py": "x = " + "(" * 5000 + ")" * 5000}}
    assert flagged(compare_class("kfold", students)) == [("a", "b")]

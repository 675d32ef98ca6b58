"""Student names as file names: unchanged when safe, never able to leave the folder."""

from __future__ import annotations

import pytest

from grader.naming import student_filename


@pytest.mark.parametrize("name", ["alice", "bob.smith", "s1234567", "a_b-c+d@uni"])
def test_safe_names_stay_as_they_are(name: str) -> None:
    assert student_filename(name) == name


@pytest.mark.parametrize("name", ["..", "../etc", ".hidden", "a/b", "=sum(A1)", "x y", "", "é"])
def test_unsafe_names_become_clean_and_distinct(name: str) -> None:
    cleaned = student_filename(name)
    assert cleaned and "/" not in cleaned and not cleaned.startswith((".", "=", "-"))
    assert cleaned != student_filename(name + "!")

"""Student names as file names: unchanged when safe, never able to leave the folder."""

from __future__ import annotations

import pytest

from grader.naming import RESERVED, PageNames, student_filename


@pytest.mark.parametrize("name", ["alice", "bob.smith", "s1234567", "a_b-c+d@uni"])
def test_safe_names_stay_as_they_are(name: str) -> None:
    assert student_filename(name) == name


@pytest.mark.parametrize("name", ["..", "../etc", ".hidden", "a/b", "=sum(A1)", "x y", "", "é"])
def test_unsafe_names_become_clean_and_distinct(name: str) -> None:
    cleaned = student_filename(name)
    assert cleaned and "/" not in cleaned and not cleaned.startswith((".", "=", "-"))
    assert cleaned != student_filename(name + "!")


def test_a_name_that_looks_cleaned_cannot_take_a_classmates_file() -> None:
    jane = student_filename("Jane Doe")
    assert jane == "Jane_Doe-01332c87", "cleaned names keep the form links were sent with"
    assert student_filename(jane) != jane
    names = PageNames(["Jane Doe", jane])
    assert names.page("Jane Doe") == "Jane_Doe-01332c87.html"
    assert names.page(jane) != names.page("Jane Doe")


def test_names_differing_only_in_case_get_different_files() -> None:
    names = PageNames(["alice", "Alice", "ALICE", "bob"])
    stems = [names.stem(n) for n in ("alice", "Alice", "ALICE", "bob")]
    assert len({s.casefold() for s in stems}) == 4
    assert names.stem("alice") == "alice" and names.stem("bob") == "bob"
    assert PageNames(["Alice", "bob"]).stem("Alice") == "Alice", "no clash: unchanged"


@pytest.mark.parametrize("name", ["index", "INDEX", "con", "nul.txt", "com1", "lpt9"])
def test_the_summary_and_reserved_device_names_are_never_a_students(name: str) -> None:
    stem = PageNames([name, "alice"]).stem(name)
    assert stem.casefold() != "index" and stem.split(".")[0].casefold() not in RESERVED
    assert name.split(".")[0] in stem


def test_no_class_ever_shares_a_file_name() -> None:
    import itertools

    pool = ["a", "A", "a b", "a_b", "a.b", "index", "Index", "x" * 150, "x" * 151, "é", "e"]
    cleaned = [student_filename(n) for n in pool]
    for size in (2, 3):
        for group in itertools.combinations(pool + cleaned, size):
            names = PageNames(group)
            stems = {names.stem(n).casefold() for n in set(group)}
            assert len(stems) == len(set(group)), group

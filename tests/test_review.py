"""What ``grader.review`` flags in a submission's files, and what it leaves alone."""

from __future__ import annotations

from pathlib import Path

from grader.review import LITERAL_RUN, signs

REPO = Path(__file__).resolve().parents[1]
HONEST = {
    "iris_classifier.py": (REPO / "examples/submissions/lea_iris/iris_classifier.py").read_bytes(),
    "titanic.py": (REPO / "reference/titanic/solution.py").read_bytes(),
    "notes.txt": b", ".join(b"1" for _ in range(500)),  # not code: never read
}


def test_honest_code_shows_no_sign() -> None:
    assert signs(HONEST, ("load_iris", "sklearn.datasets", "open(")) == []


def test_a_pasted_table_and_a_loader_are_named() -> None:
    table = ", ".join(f"{i * 0.1:.1f}" for i in range(LITERAL_RUN + 1))
    code = f"from sklearn.datasets import load_iris\nDATA = [{table}]\n".encode()
    found = signs({"iris_classifier.py": code}, ("load_iris",))
    assert found == [f"the code holds a run of {LITERAL_RUN} or more literal numbers",
                     "the code mentions load_iris"]


def test_a_short_list_of_numbers_is_no_table() -> None:
    short = ("X = [" + ", ".join("1" for _ in range(LITERAL_RUN - 2)) + "]\n").encode()
    assert signs({"a.py": short}) == []

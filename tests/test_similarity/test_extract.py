"""The code that serves an assignment, cut alike from a script and from a notebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.config import AssignmentConfig
from grader.discover import StudentSubmission, discover_student
from grader.similarity.extract import MAX_SOURCE_CHARS, extract

KFOLD = AssignmentConfig("kfold", names=("kfold_indices", "cross_val_score"),
                         files=("kfold.py",))


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                  "execution_count": None, "source": c} for c in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 4})


def cut(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    folder = tmp_path / "alice"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return extract(discover_student(folder, [KFOLD]), KFOLD)


def test_a_notebook_gives_the_named_definitions_and_the_helpers_they_use(tmp_path: Path) -> None:
    found = cut(tmp_path, {"work.ipynb": notebook(
        "import numpy as np\n%matplotlib inline\nSIZE = 3",
        "def _sizes(n, k):\n    return [n // k] * k",
        "def kfold_indices(n, k, shuffle=False, seed=None):\n    return _sizes(n, k)",
        "print(kfold_indices(10, SIZE))\n!ls",
        "def unrelated():\n    return 1",
        "def cross_val_score(f, X, y, k):\n    return 0.0, []",
    )})
    assert found is not None
    assert [s.origin for s in found.segments] == [
        "work.ipynb, cell 2, lines 1-2", "work.ipynb, cell 3, lines 1-2",
        "work.ipynb, cell 6, lines 1-2"]
    assert "print" not in "".join(s.source for s in found.segments)


def test_a_script_is_cut_the_same_way(tmp_path: Path) -> None:
    found = cut(tmp_path, {"kfold.py": (
        "import numpy as np\n\n\ndef kfold_indices(n, k, shuffle=False, seed=None):\n"
        "    return []\n\n\ndef cross_val_score(f, X, y, k):\n    return 0.0, []\n\n\n"
        "if __name__ == '__main__':\n    print(kfold_indices(4, 2))\n")})
    assert found is not None
    assert [s.origin for s in found.segments] == ["kfold.py, lines 4-5", "kfold.py, lines 8-9"]
    assert [s.first_line for s in found.segments] == [4, 8]


def test_a_redefinition_later_in_the_notebook_wins(tmp_path: Path) -> None:
    found = cut(tmp_path, {"work.ipynb": notebook(
        "def kfold_indices(n, k):\n    return 'first try'",
        "def kfold_indices(n, k):\n    return 'second try'")})
    assert found is not None
    assert [s.source for s in found.segments] == [
        "def kfold_indices(n, k):\n    return 'second try'"]


def test_without_the_names_the_whole_file_is_compared(tmp_path: Path) -> None:
    found = cut(tmp_path, {"kfold.py": "def kfold_indices(n, k):\n    return [\n"})
    assert found is not None
    assert [s.parsed for s in found.segments] == [False]
    assert "the whole file is compared" in found.notes[0]


def test_nothing_handed_in_gives_nothing_and_a_huge_file_is_cut(tmp_path: Path) -> None:
    assert cut(tmp_path / "a", {"kfold.py": "\n\n"}) is None
    found = cut(tmp_path / "b", {"kfold.py": "x = 1\n" * (MAX_SOURCE_CHARS // 3)})
    assert found is not None
    assert sum(len(s.source) for s in found.segments) <= MAX_SOURCE_CHARS
    assert "more than 200000 characters of code" in found.notes[0]
    many_cells = notebook(*["def kfold_indices(n, k):\n    return []\n" + "y = 2\n" * 1000] * 100)
    found = cut(tmp_path / "c", {"work.ipynb": many_cells})
    assert found is not None and "work.ipynb holds more than 200000" in found.notes[0]


def test_bytes_that_are_not_utf8_are_read_anyway(tmp_path: Path) -> None:
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "kfold.py").write_bytes(b"def kfold_indices(n, k):\n    return '\xff\xfe'\n")
    found = extract(discover_student(folder, [KFOLD]), KFOLD)
    assert found is not None and "kfold_indices" in found.segments[0].source


def test_a_saved_model_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jet = AssignmentConfig("jet_classifier", names=("build_model", "train"),
                           files=("jet_classifier.py", "jet_model.keras"))
    folder = tmp_path / "hana"
    folder.mkdir()
    (folder / "jet_model.keras").write_bytes(b"PK\x03\x04 not code")
    submission = discover_student(folder, [jet])
    assert submission.assignments == {"jet_classifier": ["jet_model.keras"]}
    read: list[str] = []
    original = StudentSubmission.files_for

    def spy(self: StudentSubmission, assignment: str) -> dict[str, bytes]:
        files = original(self, assignment)
        read.extend(files)
        return files

    monkeypatch.setattr(StudentSubmission, "files_for", spy)
    assert extract(submission, jet) is None
    assert read == []

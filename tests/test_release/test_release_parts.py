"""Release on a small made-up course: stripping, refusing a leak, refusing a busy OUT."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import release
from grader.errors import ConfigError
from grader.release.leaks import distinctive_lines, find_leaks
from grader.release.notebooks import strip_notebook
from grader.release.package import requirements

SECRET = "return np.exp(x - x.max(axis=axis, keepdims=True)) / denominator_of_the_secret"


def _notebook(source: str, output: str = "", metadata: dict | None = None) -> dict:
    return {
        "cells": [{"cell_type": "code", "id": "c1", "execution_count": 7,
                   "metadata": {"tags": ["solution"], "collapsed": True}, "source": [source],
                   "outputs": [{"output_type": "stream", "name": "stdout", "text": [output]}]},
                  {"cell_type": "markdown", "id": "m1", "metadata": {"x": 1},
                   "source": "# Task"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"},
                     "language_info": {"name": "python"}, **(metadata or {})},
        "nbformat": 4, "nbformat_minor": 5,
    }


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    public = root / "assignments" / "demo"
    public.mkdir(parents=True)
    (public / "assignment.toml").write_text(
        '[assignment]\ntitle = "Demo"\nnames = ["demo"]\nfiles = ["demo.py"]\n')
    (public / "README.md").write_text("# Demo\n\nWrite `demo(x, axis=-1)`.\n")
    (public / "test_public.py").write_text("def test_nothing(submission):\n    pass\n")
    (public / "demo.py").write_text("def demo(x, axis=-1):\n    raise NotImplementedError\n")
    # The instructor ran the stub notebook against the solution: outputs and metadata show it.
    (public / "demo.ipynb").write_text(json.dumps(_notebook(
        "def demo(x, axis=-1):\n    raise NotImplementedError\n", output=SECRET,
        metadata={"widgets": {"state": SECRET}})))
    hidden = root / "reference" / "demo"
    (hidden / "mutants").mkdir(parents=True)
    (hidden / "solution.py").write_text(
        f"import numpy as np\n\n\ndef demo(x, axis=-1):\n    {SECRET}\n")
    (hidden / "test_hidden.py").write_text(
        "def test_secret_inputs_are_not_shown(submission):\n"
        "    assert submission.demo([1000.0, 1000.0, -3.25]) is not None\n")
    return root


def test_notebooks_lose_outputs_counts_and_metadata() -> None:
    clean = strip_notebook(_notebook("x = 1", output="out", metadata={"authors": ["me"]}))
    code, markdown = clean["cells"]
    assert code == {"cell_type": "code", "id": "c1", "metadata": {}, "source": ["x = 1"],
                    "execution_count": None, "outputs": []}
    assert markdown == {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Task"}
    assert set(clean["metadata"]) == {"kernelspec", "language_info"}


def test_release_of_the_demo_course_has_no_leak(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = release.main(out=out, course_dir=course)
    text = "\n".join(p.read_text() for p in written)
    assert SECRET not in text
    assert "assert submission.demo([1000.0, 1000.0, -3.25])" not in text
    assert not find_leaks(out, course / "reference", course / "assignments")


def test_the_unstripped_notebook_would_have_leaked(course: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "demo.ipynb").write_bytes((course / "assignments/demo/demo.ipynb").read_bytes())
    leaks = find_leaks(raw, course / "reference", course / "assignments")
    assert leaks and all("reference/demo/solution.py:5" in leak.what for leak in leaks)
    assert SECRET in distinctive_lines(course / "reference", course / "assignments")


def test_a_reference_file_in_assignments_stops_the_release(course: Path, tmp_path: Path) -> None:
    extra = course / "assignments" / "demo" / "extras"
    extra.mkdir()
    (extra / "helper.py").write_bytes((course / "reference/demo/solution.py").read_bytes())
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match=r"is a copy of reference/demo/solution\.py"):
        release.main(out=out, course_dir=course)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["course"]


@pytest.mark.parametrize("where", ["README.md", "demo.ipynb"])
def test_the_course_secret_anywhere_in_the_bundle_stops_the_release(
        course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """With the secret a student computes every hidden input: no bundle file may hold it,
    neither in plain text nor escaped inside a notebook's JSON."""
    monkeypatch.delenv("GRADER_COURSE_SECRET", raising=False)
    secret = "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d"
    (course / "reference" / "course-secret").write_text(secret + "\n")
    public = course / "assignments" / "demo"
    if where == "README.md":
        (public / where).write_text(f"# Demo\n\nseed: {secret}\n")
    else:
        (public / where).write_text(json.dumps(_notebook(f"SEED = {secret!r}\n")))
    with pytest.raises(ConfigError, match=r"holds the course secret"):
        release.main(out=tmp_path / "out", course_dir=course)
    assert not (tmp_path / "out").exists()


def test_the_secret_of_the_environment_is_refused_too(
        course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADER_COURSE_SECRET", "an-override-secret-of-the-instructor")
    (course / "assignments" / "demo" / "README.md").write_text(
        "# Demo\n\nan-override-secret-of-the-instructor\n")
    with pytest.raises(ConfigError, match=r"holds the course secret"):
        release.main(out=tmp_path / "out", course_dir=course)


def test_an_assignment_without_public_tests_is_not_released(course: Path,
                                                            tmp_path: Path) -> None:
    (course / "assignments/demo/test_public.py").unlink()
    with pytest.raises(ConfigError, match=r"without test_public\.py"):
        release.main(out=tmp_path / "out", course_dir=course)


def test_a_busy_or_overlapping_out_is_refused(course: Path, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("not a bundle")
    with pytest.raises(ConfigError, match="not empty"):
        release.main(out=busy, course_dir=course)
    assert (busy / "thesis.tex").exists()
    with pytest.raises(ConfigError, match="overlaps the course"):
        release.main(out=course / "assignments" / "bundle", course_dir=course)


def test_bundle_requirements_come_from_the_installed_grader() -> None:
    base, extras = requirements()
    assert any(r.startswith("numpy") for r in base)
    assert all("extra" not in r for r in base + [i for v in extras.values() for i in v])
    assert set(extras) <= {"jet"}


PACKAGE_LINE = "counts = np.zeros((n_classes, n_classes), dtype=np.float64)"


def test_a_line_the_grader_package_holds_is_named_public_not_a_leak(
        course: Path, tmp_path: Path) -> None:
    solution = course / "reference" / "demo" / "solution.py"
    solution.write_text(solution.read_text() + f"\n\ndef confusion(n_classes):\n"
                                                f"    {PACKAGE_LINE}\n    return counts\n")
    out = tmp_path / "out"
    release.main(out=out, course_dir=course)  # the bundle's grader/ holds the line: no refusal
    shared = release.public_lines(course_dir=course)
    metrics = Path(release.__file__).parents[1] / "jets" / "metrics.py"
    number = [line.strip() for line in metrics.read_text().splitlines()].index(PACKAGE_LINE) + 1
    assert [(s.origin, s.public, s.line) for s in shared] == [
        ("reference/demo/solution.py:9", f"grader/jets/metrics.py:{number}", PACKAGE_LINE)]
    assert "public in the grader package, not a leak" in str(shared[0])
    # The same bundle with the solution's own line in it: that one is a leak, and says so.
    (out / "assignments" / "demo" / "notes.md").write_text(SECRET)
    leaks = find_leaks(out, course / "reference", course / "assignments")
    assert [leak.path for leak in leaks] == ["assignments/demo/notes.md"]
    assert "which nothing public holds (a leak)" in leaks[0].what

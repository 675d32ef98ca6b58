"""The student bundle of this course: complete, clean, and without a trace of reference/.

The leakage check here is written independently of ``grader.release.leaks`` on purpose: a
bug there must not hide a leak here.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from grader import release
from grader.course import Course

REPO = Path(__file__).resolve().parents[2]
COURSE = Course(REPO)
BOILERPLATE = re.compile(r"(import\s|from\s+\S+\s+import\s|except\b[^:]*:$)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "bundle"
    written = release.main(out=out, course_dir=REPO)
    assert written and all(p.is_file() and p.is_relative_to(out) for p in written)
    return out


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _decoded_strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [k, *_decoded_strings(v)]]
    if isinstance(node, list):
        found = [s for item in node for s in _decoded_strings(item)]
        if node and all(isinstance(item, str) for item in node):
            found.append("".join(node))
        return found
    return []


def _bundle_text(path: Path) -> str:
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".ipynb":
        text += "\n".join(_decoded_strings(json.loads(text)))
    return text


def _public_text() -> str:
    """assignments/ as students get it (notebooks count by their cell sources only), and the
    grader package the bundle ships, whose code is public by design."""
    parts = []
    for path in _files(COURSE.assignments_dir):
        text = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
        parts.append(text)
    parts += [path.read_text() for path in sorted((REPO / "grader").rglob("*.py"))]
    return "\n".join(parts)


def _reference_lines() -> dict[str, str]:
    public = _public_text()
    lines: dict[str, str] = {}
    for path in sorted(COURSE.reference_dir.rglob("*.py")):
        for number, raw in enumerate(path.read_text().splitlines(), 1):
            line = raw.strip()
            if (len(line) > 30 and not BOILERPLATE.match(line)
                    and any(c.isalnum() for c in line) and line not in public):
                lines.setdefault(line, f"{path.relative_to(REPO)}:{number}")
    return lines


def test_every_released_assignment_is_in_the_bundle_with_its_parts(bundle: Path) -> None:
    assert COURSE.released()
    for name in COURSE.released():
        folder = bundle / "assignments" / name
        for part in ("README.md", "test_public.py", "assignment.toml"):
            assert (folder / part).read_bytes() == (
                COURSE.assignments_dir / name / part).read_bytes()
        for stub in (COURSE.assignments_dir / name).glob(f"{name}.*"):
            assert (folder / stub.name).is_file()
    assert "grade check" in (bundle / "README.md").read_text()
    held = set(COURSE.names()) - set(COURSE.released())
    assert held and not [n for n in held if (bundle / "assignments" / n).exists()]


def test_the_grader_package_is_included_without_caches(bundle: Path) -> None:
    package = bundle / "grader"
    for module in ("__init__.py", "cli.py", "checking/__init__.py", "worker/child.py",
                   "testing.py"):
        assert (package / module).is_file(), module
    assert not [p for p in package.rglob("*") if "__pycache__" in p.parts or p.suffix == ".pyc"]
    project = tomllib.loads((bundle / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["grade"] == "grader.cli:main"
    assert "numpy>=1.26" in project["project"]["dependencies"]
    requirements = (bundle / "requirements.txt").read_text().splitlines()
    assert set(project["project"]["dependencies"]) <= set(requirements)


def test_no_path_under_reference_and_no_copy_of_a_reference_file(bundle: Path) -> None:
    digests = {hashlib.sha256(p.read_bytes()).hexdigest(): p
               for p in _files(COURSE.reference_dir) if p.stat().st_size}
    for path in _files(bundle):
        relative = path.relative_to(bundle)
        assert "reference" not in relative.parts[:-1], relative
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in digests, relative


def test_no_distinctive_reference_line_appears_anywhere(bundle: Path) -> None:
    lines = _reference_lines()
    assert len(lines) > 100, "the reference should have many distinctive lines to look for"
    leaks = [f"{path.relative_to(bundle)} holds {origin}"
             for path in _files(bundle) for text in [_bundle_text(path)]
             for line, origin in lines.items() if line in text]
    assert not leaks, "\n".join(leaks[:20])


def test_notebooks_keep_only_sources_and_the_kernel(bundle: Path) -> None:
    notebooks = list(bundle.rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        data = json.loads(path.read_text())
        assert set(data["metadata"]) <= {"kernelspec", "language_info"}
        for cell in data["cells"]:
            assert cell["metadata"] == {}
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None


def test_releasing_again_replaces_the_previous_bundle(bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    release.main(out=out, course_dir=REPO, assignments=["softmax"])
    (out / "stale.txt").write_text("from an older release")
    written = release.main(out=out, course_dir=REPO, assignments=["softmax"])
    assert not (out / "stale.txt").exists()
    assert [p.name for p in (out / "assignments").iterdir()] == ["softmax"]
    assert out / "assignments" / "softmax" / "test_public.py" in written

"""nbgrader's ``autograde`` and our ``grade`` side by side on the same student notebooks.

Sets up a throw-away nbgrader course in a temporary folder: one source notebook with a
softmax and a cross-entropy solution cell and six autograded test cells (10 points), released
with ``nbgrader generate_assignment``. Each of ``--n`` students (default 19) hands in that
notebook with the two solution cells filled in from the course's reference, its correct
alternatives or its mutants (the 60 / 30 / 10 mix of ``bench_grade.py``, drawn by
``batch.py``; the broken share is an exception at import, so no kernel hangs). The very same
notebooks are then graded by

- ``nbgrader autograde ps1 --force`` (in the nbgrader venv, one kernel per notebook);
- ``grade SUBMISSIONS -a softmax -a cross_entropy ... -j 1`` and ``-j 2`` (our hidden suites).

nbgrader must live in its own environment, never the project's::

    python -m venv /tmp/nbg-venv && /tmp/nbg-venv/bin/pip install nbgrader numpy
    .venv/bin/python benchmarks/nbgrader_compare.py --nbgrader-venv /tmp/nbg-venv

The timings cover the grading commands only; the course set-up and ``nbgrader export``
(used to read nbgrader's scores back) are not counted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import COURSE, load_parts, plan_batch  # noqa: E402

ASSIGNMENT = "ps1"
NOTEBOOK = "ml_basics.ipynb"
PARTS = ("softmax", "cross_entropy")

# Six autograded test cells, (grade_id, points, source): what a course would write in nbgrader.
TESTS = [
    ("test_softmax_sums_to_one", 2, """\
x = np.random.default_rng(0).normal(size=(3, 5))
assert np.allclose(softmax(x).sum(axis=-1), 1.0)"""),
    ("test_softmax_large_inputs", 2, """\
p = softmax(np.array([1000.0, 1000.0, 1000.0]))
assert np.all(np.isfinite(p)) and np.allclose(p, 1 / 3), "subtract max(x) before exp"
"""),
    ("test_softmax_axis0", 1, """\
x = np.random.default_rng(1).normal(size=(4, 3))
assert np.allclose(softmax(x, axis=0).sum(axis=0), 1.0)"""),
    ("test_cross_entropy_known_value", 2, """\
value = cross_entropy(np.array([0, 1]), np.array([[0.9, 0.1], [0.2, 0.8]]))
assert np.isclose(value, -(np.log(0.9) + np.log(0.8)) / 2)"""),
    ("test_cross_entropy_zero_probability", 2, """\
value = cross_entropy(np.array([1]), np.array([[1.0, 0.0]]))
assert np.isfinite(value) and value > 20, "clip the probabilities before log"
"""),
    ("test_cross_entropy_one_hot", 1, """\
labels = np.array([2, 0, 1])
probs = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
assert np.isclose(cross_entropy(labels, probs), cross_entropy(np.eye(3)[labels], probs))"""),
]


def _meta(grade_id: str, *, solution: bool = False, grade: bool = False,
          points: float = 0) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": not solution,
            "grade_id": grade_id, "schema_version": 3}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook(solutions: dict[str, str]) -> nbformat.NotebookNode:
    cells = [
        nbformat.v4.new_markdown_cell("# ML basics: softmax and cross-entropy",
                                      metadata=_meta("intro")),
        nbformat.v4.new_code_cell("import numpy as np", metadata=_meta("imports")),
    ]
    for part in PARTS:
        code = f"### BEGIN SOLUTION\n{solutions[part].strip()}\n### END SOLUTION"
        cells.append(nbformat.v4.new_code_cell(code, metadata=_meta(part, solution=True)))
        for grade_id, points, test in TESTS:
            if grade_id.startswith(f"test_{part}_"):
                cells.append(nbformat.v4.new_code_cell(
                    test, metadata=_meta(grade_id, grade=True, points=points)))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    started = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                              check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}), see {log}:\n"
                         + log.read_text()[-3000:])
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nbgrader-venv", type=Path, default=Path("/tmp/nbg-venv"))
    parser.add_argument("--n", type=int, default=19)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="our grader's -j values to time")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    nbgrader = args.nbgrader_venv / "bin" / "nbgrader"
    if not nbgrader.exists():
        print(f"{nbgrader} not found: python -m venv {args.nbgrader_venv} && "
              f"{args.nbgrader_venv}/bin/pip install nbgrader numpy", file=sys.stderr)
        return 2
    parts, skipped = load_parts(COURSE, list(PARTS))
    if skipped:
        print(f"cannot compare: {'; '.join(skipped)}", file=sys.stderr)
        return 2
    students = plan_batch(parts, args.n, args.seed, ("import_error",), (0.6, 0.3, 0.1))

    work = Path(tempfile.mkdtemp(prefix="nbgrader-compare-"))
    try:
        course = work / "course"
        (course / "source" / ASSIGNMENT).mkdir(parents=True)
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            "c.CourseDirectory.course_id = 'ml-basics'\n"
            f"c.CourseDirectory.root = {str(course)!r}\n"
            f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\n"
            "c.Autograde.create_student = True\n"
            "c.ExecutePreprocessor.timeout = 30\n"
        )
        solutions = {p.name: p.correct[0] for p in parts}
        nbformat.write(source_notebook(solutions), course / "source" / ASSIGNMENT / NOTEBOOK)
        env = dict(os.environ, PATH=f"{nbgrader.parent}:{os.environ.get('PATH', '')}")
        env.pop("VIRTUAL_ENV", None)
        logs = work / "logs"
        logs.mkdir()
        timed([str(nbgrader), "generate_assignment", ASSIGNMENT, "--force"], course, env,
              logs / "generate.log")
        release = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)

        ours = work / "submissions"
        for student in students:
            notebook = nbformat.from_dict(json.loads(json.dumps(release)))
            for cell in notebook.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("solution") and meta.get("grade_id") in student.sources:
                    cell.source = student.sources[meta["grade_id"]].strip()
            for folder in (course / "submitted" / student.name / ASSIGNMENT, ours / student.name):
                folder.mkdir(parents=True)
                nbformat.write(notebook, folder / NOTEBOOK)

        figures: dict[str, float] = {}
        figures["nbgrader autograde"] = timed(
            [str(nbgrader), "autograde", ASSIGNMENT, "--force"], course, env,
            logs / "autograde.log")
        timed([str(nbgrader), "export"], course, env, logs / "export.log")
        with (course / "grades.csv").open() as handle:
            theirs = {row["student_id"]: float(row["raw_score"] or 0) / float(row["max_score"])
                      for row in csv.DictReader(handle)}

        grade = Path(sys.executable).with_name("grade")
        mine: dict[str, float] = {}
        for jobs in args.jobs:
            out = work / f"ours-j{jobs}"
            command = [str(grade), str(ours), "-a", "softmax", "-a", "cross_entropy",
                       "--json", str(out / "results.json"), "--db", f"sqlite:///{out}/gb.db",
                       "--out", str(out / "reports"), "-j", str(jobs), "--force", "--quiet",
                       "--course", str(COURSE)]
            out.mkdir()
            figures[f"grade -j {jobs}"] = timed(command, work, dict(os.environ),
                                                logs / f"grade-j{jobs}.log")
            document = json.loads((out / "results.json").read_text())
            mine = {s["student"]: s["score"] / s["max_score"] for s in document["students"]}

        n = len(students)
        count = Counter(s.category for s in students)
        print(f"{n} notebooks (softmax + cross_entropy; {count['correct']} correct, "
              f"{count['bug']} with one bug, {count['import_error']} failing at import); "
              f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for label, seconds in figures.items():
            print(f"  {label:20s} {seconds:6.1f} s  {seconds / n:5.2f} s/notebook  "
                  f"{n / seconds:5.2f} notebooks/s")
        print("  scores (nbgrader 6 visible tests / our hidden suites), fraction of the points:")
        for student in students:
            print(f"    {student.name} {student.category:12s} {student.detail:26s} "
                  f"nbgrader {theirs.get(student.name, float('nan')):4.0%}  "
                  f"ours {mine.get(student.name, float('nan')):4.0%}")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Calibrate ``grade similarity``: how its scores separate copies from independent work.

For each numeric assignment:

- negatives: every pair of independently written implementations: the reference, the correct
  alternatives (``reference/NAME/alternatives``) and the calibration set
  (``tests/data/similarity/NAME``), all in one class;
- positives: the reference against ``--copies`` disguised copies of itself (renamed,
  recommented, reordered, reformatted: ``grader.similarity.disguise``), one of them handed in
  as a notebook, and against each mutant (a near-copy with one bug), each pair scored in a
  class made of the other independent implementations and the pair.

It prints the scores, and for each threshold the false-positive rate (negative pairs
flagged) and the false-negative rate (positive pairs not flagged), with the threshold each
``assignment.toml`` sets marked.

    .venv/bin/python benchmarks/similarity_calibration.py
    .venv/bin/python benchmarks/similarity_calibration.py -a kfold --copies 10 --verbose
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.course import Course  # noqa: E402
from grader.discover import discover  # noqa: E402
from grader.similarity import compare_assignment  # noqa: E402
from grader.similarity.disguise import as_notebook, disguise  # noqa: E402

NUMERIC = ("softmax", "cross_entropy", "kfold", "early_stopping")
THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def independent(course: Course, name: str) -> dict[str, str]:
    solution = course.solution(name)
    found = {"reference": solution.read_text()} if solution else {}
    for path in course.alternatives(name):
        found[f"alt_{path.stem}"] = path.read_text()
    for path in sorted((REPO / "tests" / "data" / "similarity" / name).glob("*.py")):
        found[f"ind_{path.stem}"] = path.read_text()
    return found


def scores(course: Course, name: str, sources: dict[str, tuple[str, str]], root: Path
           ) -> dict[tuple[str, str], float | None]:
    """(a, b) -> similarity (None: too little material for a verdict) of every pair."""
    folder = Path(tempfile.mkdtemp(dir=root))
    for student, (filename, text) in sources.items():
        (folder / student).mkdir()
        (folder / student / filename).write_text(text)
    students = discover(folder, [course.config(name)])
    comparison = compare_assignment(course, name, students, threshold=0.0)
    out: dict[tuple[str, str], float | None] = {
        pair: 0.0 for pair in itertools.combinations(sorted(sources), 2)}
    for pair in comparison.pairs:
        out[pair.students] = pair.similarity if pair.verdict != "too_little_material" else None
    return out


def calibrate(course: Course, name: str, copies: int, root: Path, verbose: bool) -> None:
    config = course.config(name)
    script = config.files[0]
    pool = independent(course, name)
    negatives = scores(course, name, {k: (script, v) for k, v in pool.items()}, root)
    background = {k: (script, v) for k, v in pool.items() if k != "reference"}
    reference = pool["reference"]
    positives: dict[str, float | None] = {}
    for seed in range(copies):
        notebook = seed == 0
        text = disguise(reference, set(config.names), seed)
        copy = (f"{name}.ipynb", as_notebook(text, demo="print('done')")) if notebook else (
            script, text)
        pair = scores(course, name, {**background, "original": (script, reference),
                                     "zcopy": copy}, root)
        positives[f"disguise {seed}{' (notebook)' if notebook else ''}"] = pair[
            ("original", "zcopy")]
    for mutant in sorted((course.reference_dir / name / "mutants").glob("*.py")):
        pair = scores(course, name, {**background, "original": (script, reference),
                                     "zmutant": (script, mutant.read_text())}, root)
        positives[f"mutant {mutant.stem}"] = pair[("original", "zmutant")]

    def flagged(value: float | None, threshold: float) -> bool:
        return value is not None and value >= threshold

    set_at = config.similarity.threshold
    print(f"== {name}: {len(negatives)} negative pairs, {len(positives)} positive pairs, "
          f"threshold in assignment.toml {set_at:g}")
    shown = lambda v: "too little" if v is None else f"{v:.2f}"  # noqa: E731
    worst = sorted(negatives.items(), key=lambda kv: -(kv[1] or 0))[:3 if not verbose else None]
    for (a, b), value in worst:
        print(f"   negative {a} / {b}: {shown(value)}")
    for label, value in sorted(positives.items(), key=lambda kv: kv[1] or 0)[
            : 3 if not verbose else None]:
        print(f"   positive {label}: {shown(value)}")
    for threshold in sorted({*THRESHOLDS, set_at}):
        fp = sum(flagged(v, threshold) for v in negatives.values())
        missed = {kind: [not flagged(v, threshold) for k, v in positives.items()
                         if k.startswith(kind)] for kind in ("disguise", "mutant")}
        fn = sum(sum(v) for v in missed.values())
        mark = "  <- assignment.toml" if threshold == set_at else ""
        print(f"   threshold {threshold:.2f}: false positives {fp}/{len(negatives)} "
              f"({100 * fp / len(negatives):.0f}%), false negatives {fn}/{len(positives)} "
              f"({100 * fn / len(positives):.0f}%: disguised copies "
              f"{sum(missed['disguise'])}/{len(missed['disguise'])}, mutants "
              f"{sum(missed['mutant'])}/{len(missed['mutant'])}){mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-a", "--assignment", action="append", choices=NUMERIC)
    parser.add_argument("--copies", type=int, default=5, help="disguised copies per assignment")
    parser.add_argument("--verbose", action="store_true", help="every pair, not the worst three")
    args = parser.parse_args()
    course = Course.find(REPO)
    with tempfile.TemporaryDirectory(prefix="grader-similarity-calibration-") as tmp:
        for name in args.assignment or NUMERIC:
            calibrate(course, name, args.copies, Path(tmp), args.verbose)


if __name__ == "__main__":
    main()

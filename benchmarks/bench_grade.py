"""Benchmark ``grade`` end to end on a generated batch of submissions.

Generates ``--n`` student folders in a temporary directory, as scripts (``softmax.py``,
``cross_entropy.py``, ``kfold.py``, ``early_stopping.py``) or as one notebook per student
holding every part, then grades them with the real command line in a subprocess and prints:

- throughput (submissions per second of wall time, the whole ``grade`` command included);
- per-submission latency p50 / p95 / max: the seconds a pool process spent on one student
  (the sum of ``AssignmentResult.duration`` over its assignments, read from the gradebook);
- peak memory of the whole process tree (sum of PSS and of RSS over every descendant,
  polled from ``/proc``), and the largest single process (``RUSAGE_CHILDREN``);
- where the time went: grading vs start-up and reports, busy time per category (correct,
  one bug, each kind of broken submission), what the infinite loops cost, the slowest tests;
- the floor: ``N x python -c "import numpy"`` divided by the cores.

The mix is 60% correct (the reference solution or a correct alternative from
``reference/<name>/alternatives``), 30% with one bug (one part replaced by a mutant from
``reference/<name>/mutants``), 10% broken (one part with an infinite loop in one function,
an exception at import, or ``os._exit`` in one function), deterministic for a ``--seed``.
The assignments keep their real limits: each loop burns the real ``call_timeout``.

    .venv/bin/python benchmarks/bench_grade.py --n 200 --kind scripts
    .venv/bin/python benchmarks/bench_grade.py --n 200 --kind notebooks --no-reports
    .venv/bin/python benchmarks/bench_grade.py --n 50 --sandbox none --keep

Only the assignments the course has finished (``assignment.toml``, ``solution.py`` and
``test_hidden.py`` all present) are generated and graded; the others are named and skipped.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from batch import BROKEN_KINDS, COURSE, NUMERIC, Student, load_parts, plan_batch, write_batch
from measure import Run, numpy_floor, run_grade

TARGETS = {"scripts": 10.0, "notebooks": 7.0}
MEMORY_TARGET_MB = 2048
MEMORY_TARGET_N = 2000


# -- running grade -------------------------------------------------------------------------
def grade_command(args: argparse.Namespace, subs: Path, work: Path,
                  names: list[str]) -> list[str]:
    grade = Path(sys.executable).with_name("grade")
    command = [str(grade), str(subs)]
    for name in names:
        command += ["--assignment", name]
    command += ["--json", str(work / "results.json"), "--db", f"sqlite:///{work / 'gradebook.db'}",
                "--out", str(work / "reports"), "-j", str(args.jobs), "--force", "--quiet",
                "--course", str(args.course)]
    if args.no_reports:
        command.append("--no-reports")
    if args.sandbox == "none":
        command.append("--no-sandbox")
    elif args.sandbox == "bwrap":
        command.append("--require-sandbox")
    return command


def engine_version() -> str:
    """The commit the grader was measured at, ``+dirty`` when ``grader/`` has local changes."""
    package = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(package), "status", "--porcelain", "grader"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


# -- reading the results -------------------------------------------------------------------
def read_gradebook(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float | None]:
    """(one row per result, one row per test, the run's grading seconds) from the gradebook."""
    from grader.gradebook import Gradebook  # noqa: PLC0415 - the grader, once it has run

    with Gradebook(f"sqlite:///{path}") as book:
        students = book.students()
        runs = book.runs()
    results = [{"student": s.student, "assignment": a.assignment, "score": a.score,
                "max_score": a.max_score, "status": a.status, "duration": a.duration}
               for s in students for a in s.assignments]
    tests = [{"name": t.name, "status": t.status, "duration": t.duration}
             for s in students for a in s.assignments for t in a.tests]
    return results, tests, (runs[-1].seconds if runs else None)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def summarise(students: list[Student], results: list[dict[str, Any]],
              tests: list[dict[str, Any]], run: Run, args: argparse.Namespace,
              floor: tuple[float, float] | None) -> dict[str, Any]:
    by_name = {s.name: s for s in students}
    per_student: dict[str, float] = defaultdict(float)
    for row in results:
        per_student[row["student"]] += row["duration"]
    latencies = list(per_student.values())
    busy = sum(latencies)
    by_category: dict[str, list[float]] = defaultdict(list)
    fractions: dict[str, list[float]] = defaultdict(list)
    scores: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in results:
        scores[row["student"]][0] += row["score"]
        scores[row["student"]][1] += row["max_score"]
    for name, seconds in per_student.items():
        category = by_name[name].category
        by_category[category].append(seconds)
        got, most = scores[name]
        fractions[category].append(got / most if most else 0.0)
    loop_cost = sum(row["duration"] for row in results
                    if by_name[row["student"]].category == "loop"
                    and by_name[row["student"]].part == row["assignment"])
    per_assignment: dict[str, list[float]] = defaultdict(list)
    for row in results:
        if by_name[row["student"]].category == "correct":
            per_assignment[row["assignment"]].append(row["duration"])
    slow_tests: Counter[str] = Counter()
    for test in tests:
        slow_tests[test["name"]] += test["duration"]
    status = Counter(row["status"] for row in results)
    wall = run.wall_s
    n = len(students)
    summary: dict[str, Any] = {
        "n": n,
        "kind": args.kind,
        "jobs": args.jobs,
        "sandbox": args.sandbox,
        "reports": not args.no_reports,
        "assignments": sorted({row["assignment"] for row in results}),
        "wall_s": wall,
        "submissions_per_s": round(n / wall, 2) if wall else 0.0,
        "grading_s": run.grading_s,
        "startup_and_reports_s": round(wall - run.grading_s, 2) if run.grading_s else None,
        "latency_s": {"p50": round(percentile(latencies, 50), 3),
                      "p95": round(percentile(latencies, 95), 3),
                      "max": round(max(latencies, default=0.0), 3)},
        "busy_s": round(busy, 1),
        "busy_per_job_s": round(busy / args.jobs, 1),
        "loop_cost_s": round(loop_cost, 1),
        "wall_without_loops_s": round(wall - loop_cost / args.jobs, 1),
        "submissions_per_s_without_loops": round(n / max(wall - loop_cost / args.jobs, 1e-9), 2),
        "by_category": {c: {"students": len(v), "busy_s": round(sum(v), 1),
                            "p50_s": round(percentile(v, 50), 3),
                            "mean_score": round(sum(fractions[c]) / len(fractions[c]), 3)}
                        for c, v in sorted(by_category.items())},
        "correct_per_assignment_p50_s": {a: round(percentile(v, 50), 3)
                                         for a, v in sorted(per_assignment.items())},
        "statuses": dict(status),
        "slowest_tests_s": {k: round(v, 1) for k, v in slow_tests.most_common(6)},
        "cpu_s": run.cpu_s,
        "cpu_sampled_s": run.cpu_sampled_s,
        "coordinator_cpu_s": run.coordinator_cpu_s,
        "peak_tree_pss_mb": run.peak_pss_mb,
        "peak_tree_rss_mb": run.peak_rss_mb,
        "largest_process_mb": run.largest_process_mb,
        "peak_processes": run.peak_processes,
        "load_average": os.getloadavg(),
        "cores": os.cpu_count(),
    }
    if floor is not None:
        summary["numpy_import_s"] = round(floor[0], 3)
        summary["floor_s"] = round(floor[1], 1)
    not_full = [s.name for s in students if s.category == "correct"
                and scores[s.name][1] and scores[s.name][0] < scores[s.name][1] - 1e-6]
    summary["correct_without_full_marks"] = not_full[:10]
    return summary


def report(summary: dict[str, Any]) -> str:
    s = summary
    lat = s["latency_s"]
    target = TARGETS[s["kind"]]
    lines = [
        f"{s['n']} {s['kind']} x {len(s['assignments'])} assignments "
        f"({', '.join(s['assignments'])}), -j {s['jobs']}, sandbox {s['sandbox']}, "
        f"reports {'on' if s['reports'] else 'off'}, engine {s.get('engine', '?')}",
        f"  wall            {s['wall_s']:8.1f} s   {s['submissions_per_s']:.2f} submissions/s "
        f"(target >= {target:g} at N=200)",
        f"  grading         {s['grading_s'] or 0:8.1f} s   (runs.seconds: discovery + pool)",
        f"  start+reports   {s['startup_and_reports_s'] or 0:8.1f} s   "
        "(CLI import, JSON, HTML reports)",
        f"  latency/student p50 {lat['p50']:.3f} s  p95 {lat['p95']:.3f} s  max {lat['max']:.3f} s",
        f"  busy            {s['busy_s']:8.1f} s   = {s['busy_per_job_s']:.1f} s per job "
        "(sum of assignment durations)",
        f"  loops cost      {s['loop_cost_s']:8.1f} s   -> wall without loops about "
        f"{s['wall_without_loops_s']:.1f} s = {s['submissions_per_s_without_loops']:.2f}/s",
        f"  cpu             {s['cpu_sampled_s']:8.1f} s   sampled from /proc ({s['cpu_s']:.1f} s "
        f"reaped children; coordinator {s['coordinator_cpu_s']:.1f} s) on {s['cores']} cores, "
        f"load average {', '.join(f'{x:.2f}' for x in s['load_average'])}",
        f"  memory          peak tree PSS {s['peak_tree_pss_mb']:.0f} MB, RSS "
        f"{s['peak_tree_rss_mb']:.0f} MB, largest process {s['largest_process_mb']:.0f} MB, "
        f"{s['peak_processes']} processes (target: {MEMORY_TARGET_N} in {MEMORY_TARGET_MB} MB)",
    ]
    if "floor_s" in s:
        lines.append(f"  floor           {s['floor_s']:8.1f} s   = N x {s['numpy_import_s']:.3f} s "
                     "(python -c 'import numpy') / cores")
    lines.append("  by category     " + "; ".join(
        f"{c}: {v['students']} students, busy {v['busy_s']} s, p50 {v['p50_s']} s, "
        f"mean score {v['mean_score']:.0%}" for c, v in s["by_category"].items()))
    lines.append("  correct p50     " + ", ".join(
        f"{a} {v:.3f} s" for a, v in s["correct_per_assignment_p50_s"].items()))
    lines.append(f"  statuses        {s['statuses']}")
    lines.append("  slowest tests   " + ", ".join(
        f"{k} {v} s" for k, v in s["slowest_tests_s"].items()))
    if s["correct_without_full_marks"]:
        lines.append("  WARNING: correct submissions without full marks: "
                     + ", ".join(s["correct_without_full_marks"]))
    return "\n".join(lines)


# -- the command ---------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="students to generate")
    parser.add_argument("--kind", choices=("scripts", "notebooks"), default="scripts")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--sandbox", choices=("auto", "bwrap", "none"), default="auto",
                        help="auto: the CLI default; bwrap: --require-sandbox; none: --no-sandbox")
    parser.add_argument("--no-reports", action="store_true", help="grade without HTML reports")
    parser.add_argument("--assignment", "-a", action="append", choices=NUMERIC,
                        help="only these parts (default: the four numeric ones)")
    parser.add_argument("--broken-kinds", default=",".join(BROKEN_KINDS),
                        help="faults for the broken share, comma-separated (default: all "
                        "three, in turn); '' for none")
    parser.add_argument("--mix", default="60,30,10",
                        help="percent correct, one bug, broken (default 60,30,10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--floor-samples", type=int, default=5,
                        help="timed 'python -c \"import numpy\"' runs for the floor (0: skip)")
    parser.add_argument("--course", type=Path, default=COURSE)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    parser.add_argument("--json-out", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.broken_kinds.split(",") if k)
    unknown = set(kinds) - set(BROKEN_KINDS)
    if unknown:
        parser.error(f"unknown --broken-kinds {', '.join(sorted(unknown))}")
    args.broken = kinds
    shares = [float(x) for x in args.mix.split(",")]
    if len(shares) != 3 or abs(sum(shares) - 100) > 1e-6:
        parser.error("--mix takes three percentages that add up to 100")
    args.shares = tuple(x / 100 for x in shares)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    parts, skipped = load_parts(args.course, args.assignment or list(NUMERIC))
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)
    if not parts:
        print("no finished assignment to benchmark", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    try:
        subs = work / "submissions"
        students = plan_batch(parts, args.n, args.seed, args.broken, args.shares)
        write_batch(students, parts, subs, args.kind)
        (work / "manifest.json").write_text(json.dumps(
            [{k: v for k, v in asdict(s).items() if k != "sources"} for s in students], indent=1))
        floor = numpy_floor(args.n, args.floor_samples) if args.floor_samples > 0 else None
        command = grade_command(args, subs, work, [p.name for p in parts])
        env = dict(os.environ)
        env.pop("GRADER_COURSE", None)
        run = run_grade(command, work, env)
        if run.returncode != 0:
            print(f"grade exited with {run.returncode}:\n{run.stderr_tail}", file=sys.stderr)
            return 1
        results, tests, run.grading_s = read_gradebook(work / "gradebook.db")
        summary = summarise(students, results, tests, run, args, floor)
        summary["command"] = shlex.join(command)
        summary["skipped"] = skipped
        summary["engine"] = engine_version()
        print(report(summary))
        print(f"  command         {summary['command']}")
        if args.json_out:
            args.json_out.write_text(json.dumps(summary, indent=2) + "\n")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

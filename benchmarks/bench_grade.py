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
import ast
import json
import math
import os
import random
import resource
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

COURSE = Path(__file__).resolve().parents[1]
NUMERIC = ("softmax", "cross_entropy", "kfold", "early_stopping")
BROKEN_KINDS = ("loop", "import_error", "exit")
TARGETS = {"scripts": 10.0, "notebooks": 7.0}
MEMORY_TARGET_MB = 2048
MEMORY_TARGET_N = 2000

# A short call per part, as a student tries their code in the notebook; only the API that
# DESIGN.md fixes is used, and a failing demo is just a cell error in the executed notebook.
DEMOS = {
    "softmax": "print(softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])))",
    "cross_entropy": "print(cross_entropy(np.array([0, 1]), np.array([[0.9, 0.1], [0.2, 0.8]])))",
    "kfold": "print(list(kfold_indices(10, 3))[:1])",
    "early_stopping": (
        "stopper = EarlyStopping(patience=2)\n"
        "print([stopper.step(v) for v in [1.0, 0.8, 0.9, 0.85, 0.95]])"
    ),
}


# -- the course's parts --------------------------------------------------------------------
@dataclass
class Part:
    """One finished assignment: the file it is graded from and the sources to draw from."""

    name: str
    file: str
    names: list[str]
    correct: list[str]
    mutants: dict[str, str]


def load_parts(course: Path, wanted: list[str]) -> tuple[list[Part], list[str]]:
    """The finished assignments among ``wanted``, and a line for each one skipped."""
    parts: list[Part] = []
    skipped: list[str] = []
    for name in wanted:
        toml = course / "assignments" / name / "assignment.toml"
        solution = course / "reference" / name / "solution.py"
        suite = course / "reference" / name / "test_hidden.py"
        missing = [p.relative_to(course).as_posix() for p in (toml, solution, suite)
                   if not p.is_file()]
        if missing:
            skipped.append(f"{name} (missing {', '.join(missing)})")
            continue
        head = tomllib.loads(toml.read_text())["assignment"]
        alternatives = sorted((course / "reference" / name / "alternatives").glob("*.py"))
        mutants = sorted((course / "reference" / name / "mutants").glob("*.py"))
        parts.append(Part(
            name=name,
            file=next(f for f in head.get("files", [f"{name}.py"]) if f.endswith(".py")),
            names=list(head.get("names", [])),
            correct=[solution.read_text()] + [p.read_text() for p in alternatives],
            mutants={p.stem: p.read_text() for p in mutants},
        ))
    return parts, skipped


def break_source(source: str, names: list[str], kind: str) -> str:
    """``source`` with one realistic fault: a loop or ``os._exit`` in one function, or an
    exception at import (a data file read at the top level that the sandbox does not have)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    if kind == "import_error":
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        at = (imports[-1].end_lineno or 0) if imports else 0
        lines.insert(at, 'TRAIN = open("data/train.csv").read()  # tried it on my own data')
        return "\n".join(lines) + "\n"
    target = _function_to_break(tree, names)
    if target is None:
        raise ValueError(f"no function to break among {names}")
    first = target.body[0]
    indent = " " * first.col_offset
    if kind == "loop":
        fault = [f"{indent}while True:  # converges eventually, surely", f"{indent}    pass"]
    elif kind == "exit":
        fault = [f"{indent}import os", f"{indent}os._exit(3)  # stop here while debugging"]
    else:
        raise ValueError(f"unknown fault {kind!r}")
    lines[first.lineno - 1:first.lineno - 1] = fault
    return "\n".join(lines) + "\n"


def _function_to_break(tree: ast.Module, names: list[str]) -> ast.FunctionDef | None:
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    for name in names:
        if name in functions:
            return functions[name]
        if name in classes:
            methods = [m for m in classes[name].body if isinstance(m, ast.FunctionDef)]
            public = [m for m in methods if not m.name.startswith("_")]
            if public or methods:
                return (public or methods)[0]
    return None


# -- the batch -----------------------------------------------------------------------------
@dataclass
class Student:
    """What was generated for one student: the category and the part that is wrong."""

    name: str
    category: str
    part: str | None = None
    detail: str = ""
    sources: dict[str, str] = field(default_factory=dict)


def plan_batch(parts: list[Part], n: int, seed: int, broken_kinds: tuple[str, ...],
               shares: tuple[float, float, float]) -> list[Student]:
    """``n`` students: ``shares`` of correct / one bug / broken, shuffled, reproducible."""
    rng = random.Random(seed)
    n_correct = round(n * shares[0])
    n_bug = round(n * shares[1]) if any(p.mutants for p in parts) else 0
    n_broken = n - n_correct - n_bug if broken_kinds else 0
    n_correct = n - n_bug - n_broken
    categories = ["correct"] * n_correct + ["bug"] * n_bug
    categories += [broken_kinds[i % len(broken_kinds)] for i in range(n_broken)]
    rng.shuffle(categories)
    buggable = [p for p in parts if p.mutants]
    students = []
    for index, category in enumerate(categories):
        student = Student(name=f"student_{index:04d}", category=category)
        for part in parts:
            student.sources[part.name] = rng.choice(part.correct)
        if category == "bug":
            part = rng.choice(buggable)
            mutant = rng.choice(sorted(part.mutants))
            student.part, student.detail = part.name, mutant
            student.sources[part.name] = part.mutants[mutant]
        elif category != "correct":
            part = rng.choice(parts)
            student.part, student.detail = part.name, category
            student.sources[part.name] = break_source(student.sources[part.name], part.names,
                                                      category)
        students.append(student)
    return students


def write_batch(students: list[Student], parts: list[Part], root: Path, kind: str) -> None:
    for student in students:
        folder = root / student.name
        folder.mkdir(parents=True)
        if kind == "scripts":
            for part in parts:
                header = f"# {student.name}: {part.name}\n"
                (folder / part.file).write_text(header + student.sources[part.name])
        else:
            (folder / "assignment.ipynb").write_text(_notebook(student, parts))


def _notebook(student: Student, parts: list[Part]) -> str:
    import nbformat  # noqa: PLC0415 - only for --kind notebooks

    cells = [nbformat.v4.new_markdown_cell(f"# ML basics: exercises\n{student.name}"),
             nbformat.v4.new_code_cell("import numpy as np")]
    for number, part in enumerate(parts, 1):
        cells.append(nbformat.v4.new_markdown_cell(f"## Part {number}: {part.name}"))
        cells.append(nbformat.v4.new_code_cell(student.sources[part.name].strip()))
        demo = DEMOS.get(part.name, "")
        if student.part == part.name and student.category in ("loop", "exit"):
            # A student whose demo hung or killed the kernel comments it out and submits.
            demo = "\n".join(f"# {line}" for line in demo.splitlines())
        if demo:
            cells.append(nbformat.v4.new_code_cell(demo))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return nbformat.writes(notebook)


# -- measuring -----------------------------------------------------------------------------
class TreeMemory(threading.Thread):
    """Polls ``/proc`` for the peak memory of a process and all its descendants."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True, name="tree-memory")
        self.root = root
        self.interval = interval
        self.stop = threading.Event()
        self.peak_pss_kb = 0
        self.peak_rss_kb = 0
        self.peak_processes = 0
        self.cpu_ticks: dict[tuple[int, int], int] = {}

    @property
    def cpu_s(self) -> float:
        """CPU seconds of every process seen, as last sampled (a short tail is missed)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    @property
    def root_cpu_s(self) -> float:
        """CPU seconds of the root process alone: the coordinator (gradebook, reports)."""
        ticks = [t for (pid, _), t in self.cpu_ticks.items() if pid == self.root]
        return max(ticks, default=0) / os.sysconf("SC_CLK_TCK")

    def run(self) -> None:
        while not self.stop.is_set():
            pids = self._tree()
            pss = rss = 0
            for pid in pids:
                values = _rollup(pid)
                pss += values.get("Pss", 0)
                rss += values.get("Rss", 0)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.stop.wait(self.interval)

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = defaultdict(list)
        cpu: dict[int, tuple[tuple[int, int], int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as handle:
                    stat = handle.read()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            pid = int(entry.name)
            children[int(fields[1])].append(pid)
            cpu[pid] = ((pid, int(fields[19])), int(fields[11]) + int(fields[12]))
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
            if pid in cpu:
                key, ticks = cpu[pid]
                self.cpu_ticks[key] = ticks
        return found


def _rollup(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss"):
                    values[key] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return values


@dataclass
class Run:
    """The figures of one timed ``grade`` run."""

    command: list[str]
    returncode: int
    wall_s: float
    grading_s: float | None
    cpu_s: float
    cpu_sampled_s: float
    coordinator_cpu_s: float
    peak_pss_mb: float
    peak_rss_mb: float
    largest_process_mb: float
    peak_processes: int
    stderr_tail: str


def run_grade(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    monitor = TreeMemory(process.pid)
    monitor.start()
    _, stderr = process.communicate()
    wall = time.monotonic() - started
    monitor.stop.set()
    monitor.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(command=command, returncode=process.returncode, wall_s=round(wall, 2),
               grading_s=None, cpu_s=round(cpu, 1), cpu_sampled_s=round(monitor.cpu_s, 1),
               coordinator_cpu_s=round(monitor.root_cpu_s, 1),
               peak_pss_mb=round(monitor.peak_pss_kb / 1024, 1),
               peak_rss_mb=round(monitor.peak_rss_kb / 1024, 1),
               largest_process_mb=round(after.ru_maxrss / 1024, 1),
               peak_processes=monitor.peak_processes,
               stderr_tail=stderr.decode(errors="replace")[-3000:])


def numpy_floor(n: int, samples: int) -> tuple[float, float]:
    """(seconds of one ``python -c "import numpy"``, that times n divided by the cores)."""
    times = []
    for _ in range(samples):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)
        times.append(time.monotonic() - started)
    one = sorted(times)[len(times) // 2]
    return one, one * n / (os.cpu_count() or 1)


NO_REPORTS_DRIVER = """
import json, sys
from pathlib import Path
from grader import grade
args = json.loads(sys.argv[1])
grade.main(submissions_dir=Path(args["dir"]), assignments=args["assignments"], out=None,
           json_path=Path(args["json"]), db=args["db"], jobs=args["jobs"],
           sandbox=args["sandbox"], force=True, course_dir=Path(args["course"]))
"""


def grade_command(args: argparse.Namespace, subs: Path, work: Path,
                  names: list[str]) -> list[str]:
    grade = Path(sys.executable).with_name("grade")
    db = f"sqlite:///{work / 'gradebook.db'}"
    if args.no_reports and not _cli_has("--no-reports"):
        # The CLI has no switch for it: call the same grade.main the CLI calls, with out=None.
        spec = {"dir": str(subs), "assignments": names, "json": str(work / "results.json"),
                "db": db, "jobs": args.jobs, "course": str(args.course),
                "sandbox": args.sandbox}
        return [sys.executable, "-c", NO_REPORTS_DRIVER, json.dumps(spec)]
    command = [str(grade), str(subs)]
    for name in names:
        command += ["--assignment", name]
    command += ["--json", str(work / "results.json"), "--db", db, "--out", str(work / "reports"),
                "-j", str(args.jobs), "--force", "--quiet", "--course", str(args.course)]
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


def _cli_has(option: str) -> bool:
    grade = Path(sys.executable).with_name("grade")
    done = subprocess.run([str(grade), "run", "--help"], capture_output=True, text=True,
                          check=False)
    return option in done.stdout


# -- reading the results -------------------------------------------------------------------
def read_gradebook(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float | None]:
    """(one row per result, one row per test, the run's grading seconds) from SQLite."""
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        results = [dict(r) for r in connection.execute(
            "SELECT st.name AS student, a.name AS assignment, r.id AS id, r.score, "
            "r.max_score, r.status, r.duration FROM results r "
            "JOIN submissions s ON s.id = r.submission_id "
            "JOIN students st ON st.id = s.student_id "
            "JOIN assignments a ON a.id = s.assignment_id")]
        tests = [dict(r) for r in connection.execute(
            "SELECT t.result_id, t.name, t.status, t.duration FROM test_results t")]
        row = connection.execute("SELECT seconds FROM runs ORDER BY started_at DESC").fetchone()
    finally:
        connection.close()
    return results, tests, (row[0] if row else None)


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
        shown = ["<grade.main(out=None)>" if part == NO_REPORTS_DRIVER else part
                 for part in command]
        summary["command"] = shlex.join(shown)
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

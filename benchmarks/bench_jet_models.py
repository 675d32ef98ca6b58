"""Throughput of the jet classifier's saved-model path: ``grade`` on N saved Keras models.

Each of ``--n`` students hands in ``jet_model.keras`` (by default the example student's,
``examples/submissions/hana_saved_model``). The batch is graded end to end by the real command
line, ``grade DIR -a jet_classifier -j JOBS --force --no-reports``, on the generated surrogate
jets (``--n-samples``, all 830,000 by default, so the test split holds 166,000 jets). For each
model a fresh worker child imports TensorFlow, loads the model in safe mode and predicts the
test split; metrics and tiers are computed on the trusted side.

Prints models per minute (wall time of the whole command), per-model latency (the seconds a
pool process spent on it, from the gradebook) and the start-up share.

    .venv/bin/python benchmarks/bench_jet_models.py --n 8
    .venv/bin/python benchmarks/bench_jet_models.py --n 4 --n-samples 100000 --jobs 1
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "submissions" / "hana_saved_model" / "jet_model.keras"
TARGET_PER_MINUTE = 4.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="students, one saved model each")
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--n-samples", type=int, default=0,
                        help="surrogate jets (0: all of them, the grader's default)")
    parser.add_argument("--model", type=Path, default=EXAMPLE)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not args.model.is_file():
        sys.exit(f"{args.model} is missing: python tools/make_example_jet_model.py makes it")

    work = Path(tempfile.mkdtemp(prefix="bench-jet-"))
    try:
        submissions = work / "submissions"
        for i in range(args.n):
            folder = submissions / f"student_{i:03d}"
            folder.mkdir(parents=True)
            shutil.copyfile(args.model, folder / "jet_model.keras")
        out = work / "results.json"
        command = [str(REPO / ".venv" / "bin" / "grade"), str(submissions),
                   "-a", "jet_classifier", "--json", str(out),
                   "--db", f"sqlite:///{work / 'gradebook.db'}", "--no-reports",
                   "-j", str(args.jobs), "--force", "--quiet", "--course", str(REPO)]
        env = dict(os.environ)
        if args.n_samples:
            env["GRADER_JET_N_SAMPLES"] = str(args.n_samples)
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        wall = time.monotonic() - started
        if done.returncode != 0:
            sys.exit(f"grade exited with {done.returncode}:\n{done.stdout}\n{done.stderr}")
        with sqlite3.connect(work / "gradebook.db") as db:
            durations = [row[0] for row in db.execute("SELECT duration FROM results")]
        report(json.loads(out.read_text()), durations, wall, args)
        print(f"  command          {' '.join(command)}")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(document: dict, durations: list[float], wall: float,
           args: argparse.Namespace) -> None:
    results = [s["assignments"][0] for s in document["students"]]
    durations = sorted(durations)
    statuses = {r["status"] for r in results}
    scores = sorted({round(r["score"], 3) for r in results})
    rate = args.n / wall * 60
    busy = sum(durations)
    jets = args.n_samples or "all"
    print(f"{args.n} saved models, jet_classifier, -j {args.jobs}, surrogate jets: {jets}; "
          f"load average {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"  wall             {wall:6.1f} s   {rate:.1f} models/minute "
          f"(target >= {TARGET_PER_MINUTE:g} on 2 cores)")
    print(f"  latency/model    p50 {statistics.median(durations):.1f} s  "
          f"max {durations[-1]:.1f} s  (the first model of each pool process also pays the "
          "pool and data start-up)")
    print(f"  busy             {busy:6.1f} s   start-up and tail about "
          f"{wall - busy / args.jobs:.1f} s of the wall")
    print(f"  statuses         {sorted(statuses)}   scores {scores}")


if __name__ == "__main__":
    main()

"""Held-out accuracy of the Iris reference and of weaker networks, over several seeds.

The numbers the tiers of ``assignments/iris_classifier/assignment.toml`` are chosen from:
each variant is built and trained in this process (no sandbox; the grader seeds the same
way with ``seed_everything``) on the fixed split of ``grader.iris``, once per seed, and
scored on the 30 held-out flowers (one flower is 3.3 points of accuracy).

    PYTHONPATH=. .venv/bin/python benchmarks/iris_tiers.py --seeds 5
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.iris import iris_split  # noqa: E402
from grader.worker.builtins import seed_everything  # noqa: E402

VARIANTS = {
    "reference": REPO / "reference" / "iris_classifier" / "solution.py",
    **{p.stem: p for p in sorted((REPO / "reference" / "iris_classifier").glob("*/*.py"))},
}


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"iris_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="variant names (default: all)")
    args = parser.parse_args()
    split = iris_split()
    for name, path in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        module = _load(path)
        scores, seconds = [], []
        for seed in range(args.seeds):
            seed_everything(1234 + seed)
            start = time.monotonic()
            model = module.build_model(4, 3)
            module.train(model, split.X_train, split.y_train, split.X_val, split.y_val)
            probs = model.predict(split.X_test, verbose=0)
            seconds.append(time.monotonic() - start)
            scores.append(float(np.mean(np.argmax(probs, axis=1) == split.y_test)))
        shown = " ".join(f"{s:.3f}" for s in scores)
        print(f"{name:28s} accuracy {shown}  min {min(scores):.3f}  "
              f"train {np.mean(seconds):.1f} s", flush=True)


if __name__ == "__main__":
    main()

"""The worker is the only code beside the student's: it must not pull in the trusted side."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

WORKER = Path(__file__).resolve().parents[2] / "grader" / "worker"
# ``-I`` ignores PYTHONPATH: the checkout under test goes first on sys.path by hand, as the
# engine starts its worker (``sandbox.worker_command``), never another installed copy.
THIS_CHECKOUT = f"import sys; sys.path.insert(0, {str(WORKER.parents[1])!r})\n"


def test_worker_modules_import_only_each_other_from_grader() -> None:
    for path in WORKER.rglob("*.py"):
        depth = len(path.relative_to(WORKER).parts)  # 1 in the worker, 2 in a subpackage
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= depth, f"{path.name} imports from outside the worker"
                assert node.level == 1 or not (node.module or "").startswith("grader"), (
                    f"{path.name} imports {node.module}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("grader") or alias.name.startswith(
                        "grader.worker"), f"{path.name} imports {alias.name}"


def test_importing_the_worker_loads_nothing_of_the_trusted_side() -> None:
    code = THIS_CHECKOUT + (
        "import sys, json\n"
        "import grader.worker.__main__, grader.worker.child, grader.worker.notebook\n"
        "import grader.worker.builtins, grader.worker.wire, grader.worker.protocol\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('grader')\n"
        "      and m not in ('grader',) and not m.startswith('grader.worker'))))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert json.loads(done.stdout) == []
    heavy = ("tensorflow", "keras", "pytest", "sqlalchemy", "jinja2")
    code = THIS_CHECKOUT + ("import sys, json, grader.worker.__main__\n"
            f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert json.loads(done.stdout) == []

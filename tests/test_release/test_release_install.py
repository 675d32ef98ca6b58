"""The bundle installs offline into a fresh environment and its ``grade check`` works there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from grader import release

REPO = Path(__file__).resolve().parents[2]


def _run(argv: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GRADER_COURSE", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_NO_INDEX"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.mark.slow
def test_bundle_installs_offline_and_checks_the_stub(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    release.main(out=out, course_dir=REPO, assignments=["softmax"])
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
                tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # The libraries live in the environment running these tests, not in the base Python that
    # --system-site-packages exposes: a path entry makes them (and pip) visible, offline.
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     tmp_path).stdout.strip())
    (site / "zz_test_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    installed = _run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                      out], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = _run([python, "-c", "import grader.checking; print(grader.checking.__file__)"],
                 tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    grade = venv / "bin" / "grade"
    folder = out / "assignments" / "softmax"
    stub = _run([grade, "check", "softmax"], folder)
    assert stub.returncode == 1, stub.stdout + stub.stderr
    assert stub.stdout.startswith("softmax: checked softmax.py\n")
    assert "FAIL test_large_inputs" in stub.stdout
    assert "not written yet" in stub.stdout

    shutil.copyfile(REPO / "reference" / "softmax" / "solution.py", folder / "softmax.py")
    solved = _run([grade, "check", "softmax"], folder)
    assert solved.returncode == 0, solved.stdout + solved.stderr

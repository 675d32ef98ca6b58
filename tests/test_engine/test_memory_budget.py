"""Memory a host can afford, and a sandbox that shows only the worker of the grader package.

A child that allocates past ``memory_mb`` (resident memory, not address space) is stopped,
alone: the honest student graded in the same batch keeps full marks, the coordinator lives,
and the host never gives up much more than the limit. The same holds when the memory is
spread over many forked processes, and with the watchdog that hosts without a memory cgroup
fall back to.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import grade
from grader.config import Limits
from grader.engine import memory
from grader.engine.host import WorkerHost
from grader.engine.sandbox import choose_sandbox

from .probes import HONEST as CORRECT
from .probes import TEST_COURSE

pytestmark = pytest.mark.sandbox

LIMIT_MB = 512  # the probe assignment's memory_mb
HOG_MB = 1500  # well past the limit, well inside the probe's 2048 MiB of address space

HOG = (
    "import numpy as np\n"
    "def softmax(x, axis=-1):\n"
    f"    blocks = [np.ones(10 << 17) for _ in range({HOG_MB // 10})]  # {HOG_MB} MiB, touched\n"
    "    return blocks[0][: len(x)]\n"
)

FORKS = (
    "import os, time\nimport numpy as np\n"
    "def softmax(x, axis=-1):\n"
    "    pids = []\n"
    "    for _ in range(150):\n"
    "        pid = os.fork()\n"
    "        if pid == 0:\n"
    "            block = np.ones(20 << 17)  # 20 MiB each: 3 GB for the 150\n"
    "            time.sleep(30)\n"
    "            os._exit(0)\n"
    "        pids.append(pid)\n"
    "    time.sleep(2)\n"
    "    return x\n"
)


class PeakMemory:
    """Samples the memory of this process and everything below it (the sandboxes included).

    Not the host's free memory: other work on the machine would move that.
    """

    def __init__(self) -> None:
        self.base = self.used()
        self.peak = self.base
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def used() -> int:
        return sum(map(memory.resident_bytes, memory.tree(os.getpid())))

    def _run(self) -> None:
        while not self.stop.wait(0.03):
            self.peak = max(self.peak, self.used())

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    @property
    def grown_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def course_copy(root: Path) -> Path:
    """The test course with room for 150 processes, so that only memory stops the forks, and
    with time to spare on a busy machine (the forks sleep past the call timeout)."""
    course = root / "course"
    shutil.copytree(TEST_COURSE, course)
    toml = course / "assignments" / "probe" / "assignment.toml"
    text = toml.read_text().replace("max_processes = 16", "max_processes = 400")
    text = text.replace("total_timeout = 12", "total_timeout = 90")
    toml.write_text(text.replace("call_timeout = 3", "call_timeout = 15"))
    return course


def grade_batch(root: Path, sources: dict[str, str]) -> dict[str, dict]:
    submissions = root / "submissions"
    for student, source in sources.items():
        (submissions / student).mkdir(parents=True)
        (submissions / student / "probe.py").write_text(source)
    out = root / "results.json"
    grade.main(submissions_dir=submissions, course_dir=course_copy(root), db=None, out=None,
               json_path=out, jobs=1, sandbox="bwrap", require_sandbox=True)
    document = json.loads(out.read_text())
    return {s["student"]: s["assignments"][0] for s in document["students"]}


@pytest.fixture(params=["best", "watchdog"])
def budget(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "watchdog":
        monkeypatch.setenv("GRADER_MEMORY_BUDGET", "watchdog")
    yield memory.choose_budget().name


@pytest.mark.parametrize("hog", ["one_array", "150_forks"])
def test_a_child_past_its_memory_is_stopped_alone(tmp_path: Path, budget: str, hog: str) -> None:
    source = HOG if hog == "one_array" else FORKS
    with PeakMemory() as peak:
        results = grade_batch(tmp_path, {"a_hog": source, "b_honest": CORRECT})
    assert results["b_honest"]["score"] == results["b_honest"]["max_score"] == 6.0
    hog_result = results["a_hog"]
    values = [t for t in hog_result["tests"] if t["name"].startswith("test_values")]
    assert values and all(t["score"] == 0 for t in values)
    if hog == "one_array":
        messages = hog_result["message"] + "".join(t["message"] for t in hog_result["tests"])
        assert f"more than the {LIMIT_MB} MiB" in messages, (budget, messages)
    # The coordinator is this process: still here. The host gave up about the limit, never
    # the 1.5 GB or 3 GB asked for (the watchdog may overshoot by one sampling interval).
    slack = 400 if budget.startswith("cgroup") else 700  # the zygote starts inside too
    assert peak.grown_mb < LIMIT_MB + slack, (budget, peak.grown_mb)


def test_the_sandbox_is_first_for_the_oom_killer() -> None:
    with WorkerHost(choose_sandbox("bwrap", require=True), preload=()) as host:
        assert host.process is not None
        zygote = memory.host_pid(host.process.pid, int(host.info["pid"]))
        theirs = int(Path(f"/proc/{zygote}/oom_score_adj").read_text())
    ours = int(Path("/proc/self/oom_score_adj").read_text())
    assert theirs == 1000 > ours


PROBE_IMPORTS = (
    "import importlib\n"
    "FOUND = {}\n"
    "for name in ('grader.worker.wire', 'grader.jets.data', 'grader.engine', 'grader.course'):\n"
    "    try:\n"
    "        importlib.import_module(name)\n"
    "        FOUND[name] = True\n"
    "    except ImportError:\n"
    "        FOUND[name] = False\n"
    "def softmax(x, axis=-1):\n"
    "    raise ValueError(f'imports: {FOUND}')\n"
)


def test_only_the_worker_of_the_grader_package_is_visible_in_the_sandbox(
    tmp_path: Path,
) -> None:
    results = grade_batch(tmp_path, {"importer": PROBE_IMPORTS})
    messages = "".join(t["message"] for t in results["importer"]["tests"])
    assert "'grader.worker.wire': True" in messages, messages
    for hidden in ("grader.jets.data", "grader.engine", "grader.course"):
        assert f"'{hidden}': False" in messages, messages


def test_the_worker_is_this_checkout_of_grader(tmp_path: Path) -> None:
    """The zygote imports ``grader.worker`` from beside the trusted side, whatever is installed."""
    source = ("import grader.worker\nWHERE = grader.worker.__file__\n"
              "def softmax(x, axis=-1):\n    raise ValueError(WHERE)\n")
    results = grade_batch(tmp_path, {"where": source})
    messages = "".join(t["message"] for t in results["where"]["tests"])
    here = Path(__file__).resolve().parents[2] / "grader" / "worker" / "__init__.py"
    assert str(here) in messages, messages
    assert os.path.isfile(here)


def test_a_child_is_forked_inside_its_memory_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """The zygote forks each child inside its group: no process is moved between groups.

    Moving a process (``cgroup.procs``) waits for an RCU grace period, about 10 ms of idle
    time per student; so the zygote steps into the child's group, forks, and steps back.
    """
    budget = memory.choose_budget()
    if budget.name != "cgroup1":
        pytest.skip(f"forking into a group is a cgroup v1 mechanism; this host has {budget.name}")

    def moved(*args: object) -> None:
        raise AssertionError("the child was moved into its group, not forked inside it")

    monkeypatch.setattr(memory.CgroupBudget, "enter", moved)
    monkeypatch.setattr(memory.CgroupBudget, "attach", moved)
    with WorkerHost(choose_sandbox("auto", require=True), preload=("numpy",)) as host:
        assert host.process is not None
        for _ in range(3):
            child = host.spawn({"probe.py": b"x = 1\n"}, Limits(memory_mb=LIMIT_MB))
            group = child.memory
            assert group is not None and group.path is not None
            assert (group.path / "cgroup.procs").read_text().split() == [str(group.pid)]
            zygote = memory.host_pid(host.process.pid, host.info["pid"])
            assert (budget.base / "tasks").read_text().split().count(str(zygote)) == 1
            host.finish(child)
            assert not group.path.exists()
        assert host.restarts == 0

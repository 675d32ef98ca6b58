"""What ``bench_grade.py`` measures of one ``grade`` run: wall and CPU time, memory of the
whole process tree (polled from ``/proc``), and the floor of ``python -c "import numpy"``."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


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

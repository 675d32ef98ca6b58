"""Where the worker runs: one interface, three strengths.

``Sandbox.wrap(argv, slot)`` turns the worker's command line into the command that starts
it confined. Best available first:

- ``bwrap``: bubblewrap. No network, read-only system, a private ``/tmp`` and ``/dev/shm``
  of a fixed size, nothing of the instructor's tree visible (the hidden suites, the
  reference, other students), of the ``grader`` package only ``grader/worker`` (the jet data
  generator, the runner and the gradebook are not importable beside student code), new PID
  and IPC namespaces, and (when the grader runs as root) a zygote holding only CAP_SETUID and
  CAP_SETGID whose children each run under an unprivileged uid of their own.
- ``unshare``: util-linux ``unshare``: no network and a new PID namespace, but the file
  system is the host's; the hidden suites are readable. Used only when bwrap is missing.
- ``none``: a plain subprocess. Resource limits and timeouts still hold.

Resource limits (CPU seconds, address space, processes, file size) are applied by the
zygote in every mode, so they do not appear here.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SandboxUnavailable

GRADER_PACKAGE = Path(__file__).resolve().parent.parent
WORKER_PACKAGE = GRADER_PACKAGE / "worker"
"""The only part of ``grader`` the sandbox shows: ``grader`` is an empty folder around it."""
WORKER_BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); import grader.worker"
BASE_UID = 61000
UID_SLOTS = 2000
"""Pool slots get disjoint pairs of child uids in 61000..64999 (below nobody's 65534)."""
ZYGOTE_HOME = ".zygote"
"""The zygote's own HOME inside the sandbox's /tmp; every other entry is wiped per child."""
DEFAULT_SCRATCH_MB = 256
ETC_FILES = ("ld.so.cache", "localtime", "passwd", "group", "nsswitch.conf", "hosts")
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def worker_command(*args: str) -> list[str]:
    """The command line that starts the zygote from this very checkout of ``grader``.

    The folder holding ``grader`` goes first on ``sys.path`` explicitly: the worker is the one
    beside this trusted side, never another installed copy, and inside bwrap it finds
    ``grader`` as a namespace holding only ``worker``. Not ``-I``: that ignores the
    ``PYTHON*`` variables of the sandbox's environment (the hash seed among them); every
    sandbox sets the whole environment, so ``-s -P`` (no user site, no script folder) suffice.
    """
    boot = WORKER_BOOT + ".__main__ as m; m.main()"
    return [sys.executable, "-s", "-P", "-c", boot, str(GRADER_PACKAGE.parent), *args]


def worker_environment(home: str) -> dict[str, str]:
    """The whole environment of the worker: nothing of the grader's leaks in."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        # The worker imports the very package the trusted side runs, however that was found
        # (an editable install may point elsewhere); in bwrap only that folder is visible.
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONUNBUFFERED": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
        "IPYTHONDIR": os.path.join(home, ".ipython"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "CUDA_VISIBLE_DEVICES": "",
    }
    env.update({name: "1" for name in THREAD_ENV})
    return env


@dataclass
class Sandbox:
    """Plain subprocess: limits and timeouts, no isolation of files or network."""

    name: str = "none"
    warning: str | None = (
        "no sandbox (bubblewrap not found): student code can read files and use the network"
    )
    isolates_files: bool = False
    scratch: str = field(default_factory=lambda: os.environ.get("TMPDIR", "/tmp"))

    def wrap(self, argv: list[str], slot: int,
             scratch_mb: int = DEFAULT_SCRATCH_MB) -> tuple[list[str], dict[str, str]]:
        """The command that starts ``argv`` confined, and its whole environment."""
        return argv, worker_environment(self.scratch)

    def worker_args(self, slot: int) -> list[str]:
        return ["--scratch", self.scratch]


@dataclass
class UnshareSandbox(Sandbox):
    """Network and PID namespaces through util-linux ``unshare`` (root only)."""

    name: str = "unshare"
    warning: str | None = (
        "weak sandbox (unshare, bubblewrap not found): no network, but the file system is shared"
    )

    def wrap(self, argv: list[str], slot: int,
             scratch_mb: int = DEFAULT_SCRATCH_MB) -> tuple[list[str], dict[str, str]]:
        prefix = ["unshare", "--fork", "--pid", "--mount-proc", "--net", "--ipc", "--uts",
                  "--kill-child", "--"]
        return prefix + argv, worker_environment(self.scratch)

    def worker_args(self, slot: int) -> list[str]:
        return ["--scratch", self.scratch]


@dataclass
class BwrapSandbox(Sandbox):
    """bubblewrap: the production sandbox."""

    name: str = "bwrap"
    warning: str | None = None
    isolates_files: bool = True
    scratch: str = "/tmp"

    def wrap(self, argv: list[str], slot: int,
             scratch_mb: int = DEFAULT_SCRATCH_MB) -> tuple[list[str], dict[str, str]]:
        args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
                "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
        if os.getuid() == 0:
            # bwrap run by root keeps every capability unless told otherwise.
            args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user"]
        args += ["--ro-bind", "/usr", "/usr"]
        for top in ("bin", "sbin", "lib", "lib32", "lib64"):
            path = Path("/") / top
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                args += ["--ro-bind", str(path), str(path)]
        for name in ETC_FILES:
            if (Path("/etc") / name).exists():
                args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        # /tmp first: a checkout under /tmp is then bound on top of it, not hidden by it.
        size = str(max(scratch_mb, 1) << 20)
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", size,
                 "--tmpfs", "/dev/shm", "--mqueue", "/dev/mqueue",
                 "--perms", "1777", "--size", size, "--tmpfs", "/tmp",
                 "--perms", "0755", "--dir", f"/tmp/{ZYGOTE_HOME}"]
        for path in _python_trees():
            args += _parents(path)
            args += ["--ro-bind", str(path), str(path)]
        # An empty, read-only grader/ with only worker/ in it, also over a copy of the package
        # that an installed site-packages would otherwise show whole.
        package = str(GRADER_PACKAGE)
        args += _parents(GRADER_PACKAGE)
        args += ["--tmpfs", package, "--ro-bind", str(WORKER_PACKAGE), str(WORKER_PACKAGE),
                 "--remount-ro", package]
        args += ["--chdir", "/tmp", "--clearenv"]
        for key, value in worker_environment(f"/tmp/{ZYGOTE_HOME}").items():
            args += ["--setenv", key, value]
        return [*args, "--", *argv], {}

    def worker_args(self, slot: int) -> list[str]:
        args = ["--scratch", "/tmp", "--own-pid-namespace"]
        for name in kept_scratch_entries():
            args += ["--keep", name]
        if os.getuid() == 0:
            args += ["--child-uid", str(BASE_UID + 2 * (slot % UID_SLOTS))]
        return args


def kept_scratch_entries() -> list[str]:
    """The entries of the sandbox's ``/tmp`` that are not a child's to leave behind: the
    zygote's home and the bound trees of a checkout or environment under ``/tmp``."""
    names = [ZYGOTE_HOME]
    for path in [*_python_trees(), GRADER_PACKAGE]:
        if path.is_relative_to("/tmp") and path.relative_to("/tmp").parts[0] not in names:
            names.append(path.relative_to("/tmp").parts[0])
    return names


def _python_trees() -> list[Path]:
    """The interpreter and the environment's packages, once each (``grader`` is bound apart)."""
    candidates = [Path(sys.base_prefix), Path(sys.prefix)]
    candidates += [Path(p) for p in sys.path if p.endswith("site-packages")]
    trees: list[Path] = []
    for path in sorted({p.resolve() for p in candidates if p.exists()}, key=lambda p: len(p.parts)):
        if not any(path.is_relative_to(t) for t in trees) and not path.is_relative_to("/usr"):
            trees.append(path)
    return trees


def _parents(path: Path) -> list[str]:
    args: list[str] = []
    for parent in reversed(path.parents):
        if str(parent) in ("/", "/usr", "/tmp"):
            continue
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


@functools.cache
def _bwrap_works() -> str | None:
    """None when a trivial bwrap sandbox starts here, else the reason it does not."""
    if shutil.which("bwrap") is None:
        return "bwrap is not installed (apt-get install bubblewrap)"
    boot = [sys.executable, "-I", "-c", WORKER_BOOT, str(GRADER_PACKAGE.parent)]
    argv, _ = BwrapSandbox().wrap(boot, slot=0)
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap did not start: {exc}"
    if done.returncode != 0:
        return f"bwrap did not start: {done.stderr.decode(errors='replace').strip()[:300]}"
    return None


def choose_sandbox(mode: str = "auto", *, require: bool = False) -> Sandbox:
    """The strongest sandbox this machine offers, or the one asked for.

    Raises:
        SandboxUnavailable: ``require`` is set (or ``mode="bwrap"``) and bwrap cannot run.
    """
    if mode == "none":
        if require:
            raise SandboxUnavailable("--require-sandbox and --no-sandbox contradict each other")
        return Sandbox(warning=None)
    problem = _bwrap_works()
    if problem is None:
        return BwrapSandbox()
    if require or mode == "bwrap":
        raise SandboxUnavailable(f"the bubblewrap sandbox is required but {problem}")
    if os.getuid() == 0 and shutil.which("unshare"):
        return UnshareSandbox()
    return Sandbox()

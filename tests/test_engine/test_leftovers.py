"""Nothing of one child reaches the next: attackers and honest students share one zygote.

One batch with ``--jobs 1`` in bubblewrap, so every student is forked from the same zygote in
name order: each attacker is followed by honest students (a script and a notebook), who must
keep full marks, and by a finder that looks for anything an earlier child left behind.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grader import grade
from grader.engine.sandbox import kept_scratch_entries

from .probes import HONEST, TEST_COURSE

READ_ONLY_IPYTHON = (
    "import os\n"
    "for folder in ('/tmp/.ipython/profile_default', os.environ['IPYTHONDIR'] + '/profile_default',"
    " '/tmp/home/.ipython/profile_default'):\n"
    "    try:\n"
    "        os.makedirs(folder, exist_ok=True)\n"
    "        open(folder + '/ipython_config.py', 'w').write('raise SystemExit')\n"
    "        os.chmod(folder, 0o555)\n"
    "        os.chmod(os.path.dirname(folder), 0o555)\n"
    "    except OSError as exc:\n"
    "        print('refused', folder, exc)\n" + HONEST
)

UNDELETABLE_SCRATCH = (
    "import os\n"
    "os.makedirs('locked/deeper', exist_ok=True)\n"
    "open('locked/deeper/file', 'w').write('x')\n"
    "os.chmod('locked/deeper', 0o500)\n"
    "os.chmod('locked', 0o500)\n"
    "os.chmod('.', 0o500)\n"
    "os.makedirs('/tmp/submission-next', exist_ok=True)\n"
    "os.chmod('/tmp/submission-next', 0)\n" + HONEST
)

LEAKS = '''
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
os.makedirs("/tmp/channel", exist_ok=True)
open("/tmp/channel/message", "w").write("for the next student")
open("/tmp/channel/padding", "wb").write(b"x" * (1 << 20))
os.chmod("/tmp/channel", 0o555)
os.chmod("/tmp/channel/message", 0o444)
with open("/dev/shm/leak", "wb") as posix_shm:  # what shm_open("/leak") makes
    posix_shm.write(b"hello")
shmid = libc.shmget(0x51F0, 4096, 0o1000 | 0o666)
libc.shmat.restype = ctypes.c_void_p
ctypes.memmove(libc.shmat(shmid, None, 0), b"hello", 5)
libc.msgget(0x51F1, 0o1000 | 0o666)
libc.semget(0x51F2, 1, 0o1000 | 0o666)
rt = ctypes.CDLL("librt.so.1", use_errno=True)
rt.mq_open.restype = ctypes.c_int
queue = rt.mq_open(b"/leak", os.O_CREAT | os.O_RDWR, 0o666, None)
print("LEAKED", shmid, queue)
''' + HONEST

FINDER = f'''
KEPT = {kept_scratch_entries()!r}
''' + '''
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
found = []
for folder in ("/tmp", "/dev/shm", "/dev/mqueue"):
    try:
        found += [folder + "/" + e for e in os.listdir(folder)
                  if e not in KEPT + ["home", "submission"]]
    except OSError:
        pass
for kind in ("shm", "msg", "sem"):
    with open("/proc/sysvipc/" + kind) as handle:
        found += ["sysv " + kind + " " + line for line in handle.read().splitlines()[1:]]
if libc.shmget(0x51F0, 0, 0) != -1:
    found.append("shm key")
print("FOUND", sorted(found))
''' + HONEST

SIGNALS = '''
import os, signal

results = []
for target in (os.getppid(), 1, -1):
    try:
        os.kill(target, signal.SIGSTOP)
        results.append("SIGNALLED")
    except PermissionError:
        results.append("DENIED")
    except ProcessLookupError:
        results.append("NONE")
print("KILL", results)
''' + HONEST


def _notebook(path: Path, source: str) -> None:
    nbformat.write(new_notebook(cells=[new_code_cell(source)]), path)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("leftovers")
    submissions = root / "submissions"
    scripts = {
        "a1_read_only_ipython": READ_ONLY_IPYTHON,
        "a3_honest": HONEST,
        "b1_undeletable_scratch": UNDELETABLE_SCRATCH,
        "b2_honest": HONEST,
        "c1_leaks": LEAKS,
        "c2_finder": FINDER,
        "d1_signals": SIGNALS,
        "d2_honest": HONEST,
    }
    for student, source in scripts.items():
        (submissions / student).mkdir(parents=True)
        (submissions / student / "probe.py").write_text(source)
    for student in ("a2_honest_notebook", "b3_honest_notebook", "d3_honest_notebook"):
        (submissions / student).mkdir(parents=True)
        _notebook(submissions / student / "probe.ipynb", HONEST)
    out = root / "results.json"
    grade.main(submissions_dir=submissions, course_dir=TEST_COURSE, db=None, out=None,
               json_path=out, jobs=1, sandbox="bwrap", require_sandbox=True)
    document = json.loads(out.read_text())
    return {s["student"]: s["assignments"][0] for s in document["students"]}


pytestmark = pytest.mark.sandbox


def _full_marks(batch: dict[str, dict], *students: str) -> None:
    for student in students:
        result = batch[student]
        assert result["score"] == result["max_score"] == 6.0, (student, result)


def test_a_read_only_ipython_folder_does_not_reach_the_next_notebook(batch: dict) -> None:
    _full_marks(batch, "a1_read_only_ipython", "a2_honest_notebook", "a3_honest")


def test_an_undeletable_scratch_folder_does_not_stop_the_next_student(batch: dict) -> None:
    _full_marks(batch, "b1_undeletable_scratch", "b2_honest", "b3_honest_notebook")


def test_files_and_ipc_objects_left_behind_are_gone_for_the_next_child(batch: dict) -> None:
    assert "LEAKED" in batch["c1_leaks"]["output"]
    assert "FOUND []" in batch["c2_finder"]["output"], batch["c2_finder"]["output"]
    _full_marks(batch, "c1_leaks", "c2_finder")


def test_a_child_cannot_signal_the_zygote_or_anyone_else(batch: dict) -> None:
    output = batch["d1_signals"]["output"]
    # kill(-1) reports success whenever some process was in range, even if each refused it.
    assert "KILL ['DENIED', 'DENIED'," in output, output
    _full_marks(batch, "d1_signals", "d2_honest", "d3_honest_notebook")

"""Hostile submissions, graded in one batch beside honest ones.

Each hostile student must get a clear status and message, and the honest students in the
same batch must keep full marks. With the sandbox on, writing outside the submission,
reading the hidden suite and reaching the network must do no harm.
"""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from grader import grade

TEST_COURSE = Path(__file__).resolve().parents[1] / "data" / "course"

CANARY = "HIDDEN-SUITE-CANARY-7f3a9"
CORRECT = (
    "import numpy as np\n"
    "def softmax(x, axis=-1):\n"
    "    z = np.asarray(x, dtype=float)\n"
    "    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
    "    return e / e.sum(axis=axis, keepdims=True)\n"
    "def apply(score, values):\n"
    "    return score(values)\n"
)


def hostile_sources(course: Path, port: int, outside: Path) -> dict[str, str]:
    hidden = course / "reference" / "probe" / "test_hidden.py"
    return {
        "honest_a": CORRECT,
        "honest_b": (
            "import numpy as np\nfrom scipy.special import softmax as scipy_softmax\n"
            "def softmax(x, axis=-1):\n    return scipy_softmax(np.asarray(x, float), axis=axis)\n"
            "def apply(score, values):\n    return score(values)\n"
        ),
        "fork_bomb": (
            "import os\ndef softmax(x, axis=-1):\n    while True:\n        try:\n"
            "            os.fork()\n        except OSError:\n            pass\n"
        ),
        "infinite_loop": "def softmax(x, axis=-1):\n    while True:\n        pass\n",
        "exit_at_import": "import os\nos._exit(0)\n",
        "sys_exit_at_import": "import sys\nsys.exit()\n",
        "segfault": "import ctypes\ndef softmax(x, axis=-1):\n    return ctypes.string_at(0)\n",
        "memory_hog": "def softmax(x, axis=-1):\n    return bytearray(8 << 30)\n",
        "print_flood": CORRECT.replace("    z = np", "    print('x' * 100_000_000)\n    z = np", 1),
        "syntax_error": "def softmax(x, axis=-1)\n    return x\n",
        "always_equal": (
            "class Liar:\n    def __eq__(self, other):\n        return True\n"
            "    def __array__(self, *a, **k):\n        raise TypeError('no')\n"
            "def softmax(x, axis=-1):\n    return Liar()\n"
        ),
        "ndarray_subclass": (
            "import numpy as np\n"
            "class Sneaky(np.ndarray):\n"
            "    def __eq__(self, other):\n        return True\n"
            "def softmax(x, axis=-1):\n    return np.zeros(len(x)).view(Sneaky)\n"
        ),
        "monkeypatch_testing": (
            "import numpy as np, numpy.testing, pytest\n"
            "numpy.testing.assert_allclose = lambda *a, **k: None\n"
            "pytest.approx = lambda *a, **k: True\n"
            "try:\n    import grader.testing as gt\n"
            "    gt.assert_close = lambda *a, **k: None\n    gt.check = lambda *a, **k: None\n"
            "except Exception:\n    pass\n"
            "def softmax(x, axis=-1):\n    return np.zeros(len(x))\n"
        ),
        "write_outside": (
            "import pathlib\n"
            f"for target in [{str(outside / 'pwned.txt')!r}, {str(course / 'pwned.txt')!r}]:\n"
            "    try:\n        pathlib.Path(target).write_text('pwned')\n"
            "    except OSError:\n        pass\n" + CORRECT
        ),
        "read_hidden": (
            "import pathlib\n"
            f"try:\n    SECRET = pathlib.Path({str(hidden)!r}).read_text()\n"
            "except OSError as exc:\n    SECRET = str(exc)\n"
            "print(SECRET)\n"
            "def softmax(x, axis=-1):\n    raise ValueError(SECRET)\n"
        ),
        "network": (
            "import socket\n"
            "def softmax(x, axis=-1):\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'leak')\n"
            "    return x\n"
        ),
    }


@pytest.fixture(scope="module")
def listener() -> tuple[int, list[bytes]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            received.append(conn.recv(100) or b"<connected>")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, listener: tuple[int, list[bytes]]) -> dict:
    port, _ = listener
    root = tmp_path_factory.mktemp("hostile")
    outside = root / "outside"
    outside.mkdir()
    submissions = root / "submissions"
    for student, source in hostile_sources(TEST_COURSE, port, outside).items():
        (submissions / student).mkdir(parents=True)
        (submissions / student / "probe.py").write_text(source)
    out = root / "results.json"
    run = grade.main(submissions_dir=submissions, course_dir=TEST_COURSE, db=None, out=None,
                     json_path=out, jobs=1, sandbox="bwrap", require_sandbox=True)
    document = json.loads(out.read_text())
    return {
        "run": run,
        "text": out.read_text(),
        "outside": outside,
        "by_student": {s["student"]: s["assignments"][0] for s in document["students"]},
    }


pytestmark = pytest.mark.sandbox


def test_honest_students_keep_full_marks(batch: dict) -> None:
    for student in ("honest_a", "honest_b"):
        result = batch["by_student"][student]
        assert result["score"] == result["max_score"] == 6.0, result


@pytest.mark.parametrize(
    ("student", "status", "words"),
    [
        ("infinite_loop", "timeout", "ran past"),
        ("fork_bomb", "timeout", "ran past"),
        ("exit_at_import", "error", "exited with code 0"),
        ("sys_exit_at_import", "error", "SystemExit"),
        ("segfault", "graded", "SIGSEGV"),
        ("memory_hog", "graded", "MemoryError"),
        ("print_flood", "graded", "File too large"),
        ("syntax_error", "error", "SyntaxError"),
    ],
)
def test_broken_submissions_get_a_clear_status(batch: dict, student: str, status: str,
                                               words: str) -> None:
    result = batch["by_student"][student]
    assert result["status"] == status
    values = [t for t in result["tests"] if t["name"].startswith("test_values")]
    assert values and all(t["status"] in ("error", "timeout") and t["score"] == 0 for t in values)
    messages = result["message"] + "".join(t["message"] for t in result["tests"])
    assert words in messages


def test_infinite_loop_tests_are_timeouts(batch: dict) -> None:
    tests = batch["by_student"]["infinite_loop"]["tests"]
    assert tests[0]["status"] == "timeout"


@pytest.mark.parametrize("student", ["always_equal", "ndarray_subclass", "monkeypatch_testing"])
def test_tricks_on_the_assertions_earn_nothing(batch: dict, student: str) -> None:
    result = batch["by_student"][student]
    values = [t for t in result["tests"] if t["name"].startswith("test_values")]
    assert values and all(t["status"] != "passed" for t in values)
    assert result["score"] <= 1.0


def test_writes_outside_the_submission_land_nowhere(batch: dict) -> None:
    assert not (batch["outside"] / "pwned.txt").exists()
    assert not (TEST_COURSE / "pwned.txt").exists()
    assert batch["by_student"]["write_outside"]["score"] == 6.0


def test_hidden_suite_text_never_reaches_any_output(batch: dict) -> None:
    assert CANARY not in batch["text"]
    result = batch["by_student"]["read_hidden"]
    assert "No such file" in result["output"] or "Permission denied" in result["output"]


def test_no_connection_leaves_the_sandbox(batch: dict, listener: tuple[int, list[bytes]]) -> None:
    _, received = listener
    assert received == []
    result = batch["by_student"]["network"]
    assert result["score"] == 0.0
    assert any("Connection refused" in t["message"] or "Network is unreachable" in t["message"]
               for t in result["tests"])

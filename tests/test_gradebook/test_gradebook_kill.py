"""A batch killed with SIGKILL mid-write loses nothing it committed and leaves no half row.

The child records a few results, then is stopped inside the next write's transaction (its
result row already inserted, not committed) and killed there: the database must open,
hold exactly the committed results, and accept the interrupted write again (the resume).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from grader.gradebook import Gradebook

from .conftest import count_rows

COMMITTED = 3

CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from grader.gradebook import Gradebook
    from grader.results import AssignmentResult, TestResult

    url, committed = sys.argv[1], int(sys.argv[2])

    def result(i):
        return AssignmentResult(
            f"a{i}", float(i), 10.0, "graded",
            tests=[TestResult("t", float(i), 10.0, "passed")],
            submission_hash=f"h{i}", suite_hash="s",
        )

    book = Gradebook(url)
    for i in range(committed):
        book.record("alice", result(i))
        print(f"committed {i}", flush=True)

    def stop_inside_the_transaction(conn, clause, *args):
        if "INSERT INTO test_results" in str(clause):
            print("inside", flush=True)
            time.sleep(600)

    event.listen(book._engine, "after_execute", stop_inside_the_transaction)
    book.record("alice", result(committed))
    print("the write was not interrupted", flush=True)
    """
)


def test_a_sigkilled_writer_leaves_exactly_its_committed_results(
    db_url: str, tmp_path: Path
) -> None:
    script = tmp_path / "writer.py"
    script.write_text(CHILD)
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    child = subprocess.Popen(
        [sys.executable, str(script), db_url, str(COMMITTED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    watchdog = threading.Timer(120, child.kill)
    watchdog.start()
    try:
        lines = []
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line.strip())
            if line.strip() == "inside":
                os.kill(child.pid, signal.SIGKILL)
                break
        child.wait(timeout=30)
    finally:
        watchdog.cancel()
        child.kill()
    stderr = child.stderr.read() if child.stderr else ""
    assert lines == [f"committed {i}" for i in range(COMMITTED)] + ["inside"], stderr
    assert child.returncode == -signal.SIGKILL

    with Gradebook(db_url) as book:
        [student] = book.students()
        assert [a.assignment for a in student.assignments] == [f"a{i}" for i in range(COMMITTED)]
        assert [a.score for a in student.assignments] == [float(i) for i in range(COMMITTED)]
        assert count_rows(db_url, "results") == COMMITTED
        assert count_rows(db_url, "test_results") == COMMITTED

        # Resuming writes the interrupted result once, next to the others.
        interrupted = book.cached("alice", "a0", "h0", "s")
        assert interrupted is not None
        interrupted.assignment, interrupted.submission_hash = f"a{COMMITTED}", f"h{COMMITTED}"
        book.record("alice", interrupted)
        assert len(book.students()[0].assignments) == COMMITTED + 1

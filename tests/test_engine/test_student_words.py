"""Messages in the student's words: cells, not IPython's file names; no grader class names;
each cell error said once."""

from __future__ import annotations

from collections.abc import Iterator

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from grader.config import Limits
from grader.engine.assignment_run import AssignmentRun
from grader.engine.grading import _notebook_once, _summary
from grader.engine.host import SharedChild, WorkerHost
from grader.engine.plugin import classify
from grader.engine.proxy import RemoteException, SubmissionProxy
from grader.engine.sandbox import choose_sandbox
from grader.errors import StudentCodeError
from grader.results import AssignmentResult
from grader.testing import rejects

CELLS = [
    "import numpy as np",
    "def normalise(x):\n"
    "    total = np.sum(x)\n"
    "    return x / totl",
    "raise RuntimeError('a broken cell')",
    "def fold_sizes(n, k):\n"
    "    return [n // k] * k",
]
NAMES = ["normalise", "fold_sizes", "kfold_indices"]


@pytest.fixture(scope="module")
def homework() -> Iterator[tuple[SubmissionProxy, AssignmentRun]]:
    host = WorkerHost(choose_sandbox("none"), preload=("numpy",))
    host.start()
    files = {"homework.ipynb": nbformat.writes(
        new_notebook(cells=[new_code_cell(c) for c in CELLS])).encode()}
    limits = Limits(call_timeout=10, total_timeout=60)
    shared = SharedChild(host, files, limits)
    run = AssignmentRun(shared, "homework", files, NAMES, limits)
    try:
        yield SubmissionProxy(run), run
    finally:
        run.close()
        shared.close()
        host.close()


def test_an_error_in_a_notebook_function_called_by_a_test_names_its_cell(homework) -> None:
    proxy, _ = homework
    with pytest.raises(RemoteException) as info:
        proxy.normalise(np.ones(3))
    trace = info.value.remote_traceback
    assert "Cell 2, line 3, in normalise" in trace
    assert "return x / totl" in trace
    assert "ipython-input" not in trace and "ipykernel" not in trace
    status, message = classify(info.value)
    assert status == "error" and "Cell 2, line 3" in message


def test_an_undefined_name_under_a_must_raise_test_says_it_is_not_defined(homework) -> None:
    proxy, _ = homework
    with pytest.raises(StudentCodeError) as info:
        rejects(lambda n, k: proxy.kfold_indices(n, k), ((10, 11), {}),
                valid=((10, 2), {}), judge=lambda got: None,
                what="k larger than n_samples", hint="raise ValueError")
    status, message = classify(info.value)
    assert status == "error"
    assert message.startswith("kfold_indices is not defined in homework.ipynb: define it "
                              "with exactly this name")
    assert "StudentCodeError" not in message
    # The cell's error is named, not copied into every test's message.
    assert "homework.ipynb cell 3" in message and "a broken cell" not in message


def test_the_cell_error_is_listed_once_above_the_tests(homework) -> None:
    proxy, run = homework
    assert proxy.fold_sizes(10, 2) == [5, 5]
    summary = _summary(run, tuple(NAMES))
    assert summary.count("a broken cell") == 1
    assert "homework.ipynb, cell 3: RuntimeError: a broken cell" in summary
    assert "homework.ipynb: graded with Python 3." in summary  # the versions, on the page


def test_a_notebook_of_several_assignments_is_shown_and_its_errors_listed_once() -> None:
    error = "homework.ipynb, cell 3: RuntimeError: a broken cell"
    results = [
        AssignmentResult("softmax", 1, 1, "graded", message=error, files=["homework.ipynb"],
                         notebook='{"run": 1}'),
        AssignmentResult("kfold", 1, 1, "graded",
                         message=f"{error}\nhomework.ipynb: graded with Python 3\nanother note",
                         files=["homework.ipynb"], notebook='{"run": 1}'),
        # The jet classifier runs the notebook again in a child of its own: another text.
        AssignmentResult("jet_classifier", 1, 1, "graded", message=error,
                         files=["homework.ipynb"], notebook='{"run": 2}'),
    ]
    _notebook_once(results)
    assert [r.notebook for r in results] == ['{"run": 1}', None, None]
    assert results[0].message == error
    for later in results[1:]:
        assert "a broken cell" not in later.message
        assert "listed under softmax" in later.message
    assert "another note" in results[1].message  # a note of the assignment's own stays
    assert "graded with" not in results[1].message


def test_a_package_of_the_grading_environment_is_importable_inside_the_sandbox() -> None:
    """README, "Adding packages": what the environment running grade holds, the sandboxed
    notebook imports (pandas is in no zygote preload), and the page names its version."""
    import pandas

    files = {"tables.ipynb": nbformat.writes(new_notebook(cells=[new_code_cell(
        "import pandas as pd\ndef version():\n    return pd.__version__")])).encode()}
    limits = Limits(call_timeout=30, total_timeout=120, cell_timeout=60)
    with WorkerHost(choose_sandbox("bwrap", require=True), preload=("numpy",)) as host:
        shared = SharedChild(host, files, limits)
        run = AssignmentRun(shared, "tables", files, ["version"], limits)
        try:
            assert SubmissionProxy(run).version() == pandas.__version__
            assert f"pandas {pandas.__version__}" in _summary(run, ("version",))
        finally:
            run.close()
            shared.close()


def test_no_grader_class_name_reaches_a_test_message() -> None:
    from grader.engine.budget import ReplyTooLarge
    from grader.errors import ProtocolError

    for error in (ReplyTooLarge("calling softmax: the reply was refused, 2 MB"),
                  ProtocolError("the worker sent a malformed value"),
                  StudentCodeError("softmax is not defined in hw.ipynb")):
        status, message = classify(error)
        assert status == "error" and message == str(error)

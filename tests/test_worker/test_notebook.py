"""The notebook runner: cells run top to bottom in-process, failures are recorded, not fatal.

Every test builds its notebook with nbformat in ``tmp_path`` and runs it in this process;
``run_notebook`` puts back what it changes, so the runs do not see each other.
"""

from __future__ import annotations

import builtins
import json
import os
import signal
import sys
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.worker.notebook import NotebookError, format_traceback, run_notebook


def write_nb(folder: Path, *cells: str, name: str = "homework.ipynb", markdown: bool = True) -> str:
    nb_cells = [new_markdown_cell("# Homework")] if markdown else []
    nb_cells += [new_code_cell(source) for source in cells]
    path = folder / name
    nbformat.write(new_notebook(cells=nb_cells), path)
    return str(path)


def run(folder: Path, *cells: str, **kwargs):
    return run_notebook(write_nb(folder, *cells), **kwargs)


def code_cells(result) -> list[dict]:
    return [c for c in result.notebook["cells"] if c["cell_type"] == "code"]


def outputs_of(result, number: int) -> list[dict]:
    return code_cells(result)[number - 1]["outputs"]


def stream_text(result, number: int, name: str = "stdout") -> str:
    return "".join(
        o["text"]
        for o in outputs_of(result, number)
        if o["output_type"] == "stream" and o["name"] == name
    )


# -- the namespace --------------------------------------------------------------------------


def test_namespace_holds_what_all_cells_defined(tmp_path):
    result = run(
        tmp_path,
        "import math\n\ndef softmax_scale(x):\n    return x * 2",
        "class Stopper:\n    def __init__(self, patience=5):\n        self.patience = patience",
        "def uses_both(x):\n    return Stopper(x).patience + softmax_scale(x)",
    )
    ns = result.namespace
    assert result.errors == []
    assert ns["uses_both"](3) == 9  # functions see the cells' shared globals
    assert ns["__name__"] == "__main__"
    assert ns["uses_both"].__globals__ is ns


def test_namespace_has_no_ipython_bookkeeping(tmp_path):
    result = run(tmp_path, "a = 1", "a + 1", "!true")
    names = set(result.namespace) - {"__builtins__", "__name__"}
    assert names == {"a"}


def test_each_run_starts_from_an_empty_namespace(tmp_path):
    run(tmp_path, "left_over = 1")
    second = run(tmp_path, "try:\n    left_over\nexcept NameError:\n    fresh = True")
    assert "left_over" not in second.namespace
    assert second.namespace["fresh"] is True


# -- errors ---------------------------------------------------------------------------------


def test_a_raising_cell_is_recorded_and_later_cells_still_run(tmp_path):
    result = run(
        tmp_path,
        "def first():\n    return 1",
        "def broken(x):\n    return x / 0\n\nbroken(2)",
        "def later():\n    return 3",
    )
    assert result.namespace["later"]() == 3
    assert result.namespace["broken"]  # the failing cell still defined what came before
    [error] = result.errors
    assert (error.cell, error.ename, error.evalue) == (2, "ZeroDivisionError", "division by zero")
    assert "Cell 2, line 4, in <module>" in error.traceback
    assert "Cell 2, line 2, in broken" in error.traceback
    assert "return x / 0" in error.traceback
    assert error.traceback.endswith("ZeroDivisionError: division by zero")
    assert "interactiveshell" not in error.traceback  # IPython's frames are trimmed away
    assert "\x1b[" not in error.traceback
    [out] = [o for o in outputs_of(result, 2) if o["output_type"] == "error"]
    assert out["ename"] == "ZeroDivisionError"
    assert out["evalue"] == "division by zero"
    assert "\n".join(out["traceback"]) == error.traceback


def test_traceback_names_the_cell_that_defined_the_function(tmp_path):
    result = run(
        tmp_path,
        "import numpy as np\n\ndef norm(v):\n    return np.linalg.norm(v, ord='bad')",
        "norm([1.0, 2.0])",
    )
    [error] = result.errors
    assert error.cell == 2
    assert "Cell 2, line 1, in <module>" in error.traceback
    assert "Cell 1, line 4, in norm" in error.traceback
    assert "frame" in error.traceback and "numpy" in error.traceback  # library frames: one line


def test_syntax_error_names_the_cell_and_line(tmp_path):
    result = run(tmp_path, "x = 1", "def f(:\n    pass", "y = x + 1")
    [error] = result.errors
    assert (error.cell, error.ename) == (2, "SyntaxError")
    assert "Cell 2, line 1" in error.traceback
    assert result.namespace["y"] == 2


def test_magic_lines_show_as_written_in_tracebacks(tmp_path):
    result = run(tmp_path, "%time undefined_name")
    [error] = result.errors
    assert error.ename == "NameError"
    assert "%time undefined_name" in error.traceback


def test_unknown_magic_is_a_usage_error(tmp_path):
    result = run(tmp_path, "%no_such_magic", "after = 1")
    [error] = result.errors
    assert error.ename == "UsageError"
    assert "no_such_magic" in error.traceback
    assert result.namespace["after"] == 1


def test_sys_exit_does_not_end_the_run(tmp_path):
    result = run(tmp_path, "import sys\nsys.exit(2)", "after = 1", "exit()", "later = 2")
    assert [(e.cell, e.ename) for e in result.errors] == [(1, "SystemExit")]
    assert result.namespace["later"] == 2
    assert "To exit" not in stream_text(result, 1, "stderr")
    assert any("exit()" in note for note in result.notes)


# -- outputs --------------------------------------------------------------------------------


def test_print_and_last_expression_become_outputs(tmp_path):
    result = run(
        tmp_path, "import sys\nprint('hello')\nprint('oops', file=sys.stderr)\n21 * 2", "x = 5; x;"
    )
    assert stream_text(result, 1) == "hello\n"
    assert stream_text(result, 1, "stderr") == "oops\n"
    [value] = [o for o in outputs_of(result, 1) if o["output_type"] == "execute_result"]
    assert value["data"] == {"text/plain": "42"}
    assert value["execution_count"] == 1
    assert outputs_of(result, 2) == []  # a trailing semicolon hides the value, as in Jupyter


def test_display_outputs(tmp_path):
    result = run(
        tmp_path,
        "from IPython.display import HTML, Markdown\n"
        "display(HTML('<b>bold</b>'))\n"
        "display(Markdown('*md*'))\n"
        "display({'a': 1})",
    )
    kinds = [o["output_type"] for o in outputs_of(result, 1)]
    assert kinds == ["display_data"] * 3
    html, md, plain = (o["data"] for o in outputs_of(result, 1))
    assert html["text/html"] == "<b>bold</b>"
    assert md["text/markdown"] == "*md*"
    assert plain == {"text/plain": "{'a': 1}"}


def test_display_handles_update_in_place(tmp_path):
    result = run(
        tmp_path,
        "h = display('first', display_id=True)\nh.update('second')",
    )
    [out] = outputs_of(result, 1)
    assert out["data"]["text/plain"] == "'second'"


def test_clear_output_drops_earlier_outputs_of_the_cell(tmp_path):
    result = run(
        tmp_path,
        "from IPython.display import clear_output\nprint('old')\nclear_output()\nprint('new')",
    )
    assert stream_text(result, 1) == "new\n"


def test_progress_bars_collapse_to_their_last_state(tmp_path):
    result = run(
        tmp_path,
        "for i in range(500):\n    print(f'\\rstep {i}', end='')\nprint()\nprint('ab\\b\\bxy')",
    )
    assert stream_text(result, 1) == "step 499\nxy\n"


@pytest.mark.parametrize("magic", ["%matplotlib inline\n", ""])
def test_figures_become_png_display_data(tmp_path, magic):
    result = run(
        tmp_path,
        magic + "import matplotlib.pyplot as plt",
        "plt.plot([1, 2, 3])\nplt.title('loss');",
        "fig = plt.figure()\nplt.plot([3, 1])\nplt.show()\nprint('after show')",
    )
    assert result.errors == []
    for number in (2, 3):
        images = [o for o in outputs_of(result, number) if "image/png" in o.get("data", {})]
        assert len(images) == 1, outputs_of(result, number)
        png = images[0]["data"]["image/png"]
        assert isinstance(png, str) and png.startswith("iVBOR")  # base64 of a PNG header
    assert stream_text(result, 3) == "after show\n"


def test_time_magics_work(tmp_path):
    result = run(tmp_path, "%%time\ntotal = sum(range(100))", "%timeit -n 1 -r 1 sum(range(10))")
    assert result.errors == []
    assert result.namespace["total"] == 4950
    assert "Wall time" in stream_text(result, 1)
    assert "loop" in stream_text(result, 2)


def test_execution_counts_and_the_executed_notebook_is_valid(tmp_path):
    result = run(tmp_path, "a = 1", "", "print(a)", "1/0")
    cells = result.notebook["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert [c["execution_count"] for c in code_cells(result)] == [1, 2, 3, 4]
    nbformat.validate(nbformat.from_dict(result.notebook))
    json.dumps(result.notebook)  # plain JSON types only


def test_stale_outputs_in_the_file_are_replaced(tmp_path):
    path = write_nb(tmp_path, "print('fresh')")
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    nb.cells[1].execution_count = 41
    nbformat.write(nb, path)
    result = run_notebook(path)
    assert stream_text(result, 1) == "fresh\n"
    assert code_cells(result)[0]["execution_count"] == 1


def test_a_long_stream_keeps_its_head_and_tail_and_says_what_was_elided(tmp_path):
    result = run(
        tmp_path,
        "for epoch in range(10_000):\n    print(f'epoch {epoch}: loss {1 / (epoch + 1):.4f}')",
        "print('more')",
        "1/0",
        max_output_bytes=8000,
    )
    first = stream_text(result, 1)
    assert first.startswith("epoch 0: loss 1.0000\n")
    assert first.endswith("epoch 9999: loss 0.0001\n")
    assert "lines," in first and "bytes elided" in first
    assert len(first) < 2000  # an eighth of the limit, at least 1 KB
    assert stream_text(result, 2) == "more\n"  # a later cell keeps its output
    assert [e.ename for e in result.errors] == ["ZeroDivisionError"]  # errors are always kept
    assert any(o["output_type"] == "error" for o in outputs_of(result, 3))
    assert "the middle of its stdout elided" in stream_text(result, 1, "stderr")
    [note] = [n for n in result.notes if n.startswith("outputs were cut")]
    assert "cell 1: the middle of its stdout elided" in note


def test_one_huge_print_is_cut_without_copying_it_around(tmp_path):
    start = time.monotonic()
    result = run(tmp_path, "print('y' * 200_000_000)", max_output_bytes=5000)
    assert time.monotonic() - start < 10
    text = stream_text(result, 1)
    assert text.startswith("yyyy") and "yyyy [...] yyyy" in text and len(text) < 5000
    assert "199,99" in text and "bytes elided" in text


def test_an_image_that_does_not_fit_leaves_room_for_text(tmp_path):
    result = run(
        tmp_path,
        "from IPython.display import Image\n"
        "import base64\n"
        "png = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')\n"
        "display(Image(data=png * 50))",
        "print('still here')",
        max_output_bytes=2000,
    )
    [image] = [o for o in outputs_of(result, 1) if o["output_type"] == "display_data"]
    assert "image/png" not in image["data"]
    assert stream_text(result, 2) == "still here\n"
    assert any("cell 1: an image or other rich output left out" in n for n in result.notes)


# -- time limits ----------------------------------------------------------------------------


def test_a_cell_past_its_time_limit_is_stopped_and_the_next_cell_runs(tmp_path):
    start = time.monotonic()
    result = run(tmp_path, "while True:\n    pass", "after = 'ran'", cell_timeout=1)
    assert time.monotonic() - start < 10
    assert result.namespace["after"] == "ran"
    [error] = result.errors
    assert (error.cell, error.ename) == (1, "CellTimeoutError")
    assert error.evalue == "cell 1 ran past its 1 s limit"
    assert "Cell 1, line" in error.traceback  # where it was when stopped
    [out] = outputs_of(result, 1)
    assert out["output_type"] == "error" and out["ename"] == "CellTimeoutError"


def test_except_exception_does_not_swallow_the_time_limit(tmp_path):
    result = run(
        tmp_path,
        "import time\ncaught = False\ntry:\n    time.sleep(30)\nexcept Exception:\n"
        "    caught = True",
        "after = caught",
        cell_timeout=1,
    )
    assert result.namespace["after"] is False
    assert [(e.cell, e.ename) for e in result.errors] == [(1, "CellTimeoutError")]


def test_a_swallowed_time_limit_is_still_recorded(tmp_path):
    result = run(
        tmp_path,
        "import time\ntry:\n    time.sleep(30)\nexcept BaseException:\n    print('swallowed')",
        cell_timeout=1,
    )
    assert stream_text(result, 1) == "swallowed\n"
    assert [(e.cell, e.ename) for e in result.errors] == [(1, "CellTimeoutError")]


def test_a_cell_cannot_switch_the_time_limit_off_for_later_cells(tmp_path):
    result = run(
        tmp_path,
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)",
        "while True:\n    pass",
        cell_timeout=1,
    )
    assert [(e.cell, e.ename) for e in result.errors] == [(2, "CellTimeoutError")]


def test_no_time_limit(tmp_path):
    result = run(tmp_path, "import time\ntime.sleep(0.2)\ndone = True", cell_timeout=None)
    assert result.namespace["done"] is True and result.errors == []


# -- shell lines, installs, colab, input ----------------------------------------------------


def test_shell_lines_run_and_failures_say_so(tmp_path):
    result = run(
        tmp_path,
        "!echo hello from the shell",
        "word = 'expanded'\n!echo {word}",
        "listing = !ls",
        "!exit 3",
    )
    assert result.errors == []
    assert stream_text(result, 1) == "hello from the shell\n"
    assert stream_text(result, 2) == "expanded\n"
    assert "homework.ipynb" in list(result.namespace["listing"])
    assert "exited with status 3" in stream_text(result, 4, "stderr")


@pytest.mark.parametrize(
    "line",
    [
        "!pip install tensorflow",
        "%pip install -q keras",
        "!python -m pip install numpy",
        "!{sys.executable} -m pip install scipy",
        "%conda install numpy",
    ],
)
def test_package_installs_are_skipped_with_a_note(tmp_path, line):
    start = time.monotonic()
    result = run(tmp_path, "import sys", line, "after = 1")
    assert time.monotonic() - start < 5
    assert result.errors == []
    assert result.namespace["after"] == 1
    assert "package installs are disabled in the grader" in stream_text(result, 2)
    [note] = result.notes
    assert note.startswith(
        "cell 2: package installs are disabled in the grader; import what the grading "
        "environment provides (the page lists the versions"
    )


def test_colab_detection_takes_the_local_branch_and_colab_calls_fail_in_their_cells(tmp_path):
    result = run(
        tmp_path,
        "try:\n    import google.colab\n    IN_COLAB = True\nexcept ImportError:\n"
        "    IN_COLAB = False",
        "import sys\nin_modules = 'google.colab' in sys.modules",
        "DATA = '/content/data' if IN_COLAB else 'data'",
        "from google.colab import drive\ndrive.mount('/content/drive')",
        "after = 1",
    )
    assert result.namespace["IN_COLAB"] is False
    assert result.namespace["in_modules"] is False
    assert result.namespace["DATA"] == "data"
    assert result.namespace["after"] == 1  # later cells still run
    [error] = result.errors
    assert (error.cell, error.ename) == (4, "ModuleNotFoundError")
    assert "outside Colab" in error.evalue
    assert result.notes[0].startswith("cell 1: this notebook was run outside Colab")
    assert len(result.notes) == 1  # one note, from the first import
    assert "google.colab" not in sys.modules


def test_input_raises_instead_of_waiting(tmp_path):
    result = run(tmp_path, "name = input('Your name? ')", "after = 1")
    [error] = result.errors
    assert (error.cell, error.ename) == (1, "EOFError")
    assert "input()" in error.evalue
    assert stream_text(result, 1) == "Your name? "
    assert result.namespace["after"] == 1


# -- what the run leaves behind -------------------------------------------------------------


def test_the_notebook_runs_in_its_folder_and_the_process_is_put_back(tmp_path):
    (tmp_path / "data.txt").write_text("42")
    (tmp_path / "helper.py").write_text("def triple(x):\n    return 3 * x\n")
    before = (
        sys.stdout,
        sys.stderr,
        sys.stdin,
        sys.argv,
        list(sys.path),
        os.getcwd(),
        builtins.input,
        signal.getsignal(signal.SIGALRM),
        sys.modules["__main__"],
        dict(os.environ),
    )
    result = run(
        tmp_path,
        "import os, sys\nvalue = int(open('data.txt').read())\nwhere = os.getcwd()",
        "from helper import triple\ntripled = triple(value)",
        "import matplotlib\nbackend = os.environ.get('MPLBACKEND')",
    )
    assert result.errors == []
    assert result.namespace["value"] == 42
    assert result.namespace["where"] == str(tmp_path)
    assert result.namespace["tripled"] == 126
    after = (
        sys.stdout,
        sys.stderr,
        sys.stdin,
        sys.argv,
        list(sys.path),
        os.getcwd(),
        builtins.input,
        signal.getsignal(signal.SIGALRM),
        sys.modules["__main__"],
        dict(os.environ),
    )
    assert after == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_helper_file_counts_as_the_students_code_in_tracebacks(tmp_path):
    (tmp_path / "helper_bad.py").write_text("def bad():\n    return {}['missing']\n")
    result = run(tmp_path, "from helper_bad import bad\nbad()")
    [error] = result.errors
    assert 'File "helper_bad.py", line 2, in bad' in error.traceback


# -- files that are not notebooks we can run ------------------------------------------------


def test_broken_json(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [{"cell_type": "code", "source": "x = 1"')
    with pytest.raises(NotebookError, match=r"broken\.ipynb is not valid JSON \(line 1"):
        run_notebook(str(path))


def test_nbformat_v3(tmp_path):
    nb = nbformat.v3.new_notebook(
        worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell(input="x = 1")])]
    )
    path = tmp_path / "old.ipynb"
    path.write_text(nbformat.v3.writes_json(nb))
    with pytest.raises(NotebookError) as info:
        run_notebook(str(path))
    message = str(info.value)
    assert "old.ipynb" in message
    assert "saved in notebook format v3; open it in a current Jupyter and save it again" in message


def test_python_script_renamed_to_ipynb(tmp_path):
    path = tmp_path / "softmax.ipynb"
    path.write_text("import numpy as np\n\ndef softmax(x):\n    return np.exp(x)\n")
    with pytest.raises(NotebookError, match=r"softmax\.ipynb is a Python script.*softmax\.py"):
        run_notebook(str(path))


def test_notebook_without_code_cells(tmp_path):
    path = tmp_path / "notes.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("def softmax(x): ...")]), path)
    with pytest.raises(NotebookError, match=r"notes\.ipynb has no code cells"):
        run_notebook(str(path))


def test_notebook_with_only_empty_code_cells(tmp_path):
    path = write_nb(tmp_path, "", "   \n", name="blank.ipynb")
    with pytest.raises(NotebookError, match=r"blank\.ipynb has only empty code cells"):
        run_notebook(path)


def test_html_export(tmp_path):
    path = tmp_path / "export.ipynb"
    path.write_text("<!DOCTYPE html>\n<html><body>notebook</body></html>")
    with pytest.raises(NotebookError, match="HTML export"):
        run_notebook(str(path))


def test_json_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "data.ipynb"
    path.write_text('{"rows": [1, 2, 3]}')
    with pytest.raises(NotebookError, match=r"data\.ipynb is JSON but not a Jupyter notebook"):
        run_notebook(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(NotebookError, match=r"gone\.ipynb: cannot be read"):
        run_notebook(str(tmp_path / "gone.ipynb"))


def test_schema_problems_are_a_note_not_a_failure(tmp_path):
    path = Path(write_nb(tmp_path, "x = 1"))
    data = json.loads(path.read_text())
    data["cells"][1]["unexpected_field"] = True
    path.write_text(json.dumps(data))
    result = run_notebook(str(path))
    assert result.namespace["x"] == 1
    assert any("does not follow the notebook schema" in note for note in result.notes)


def test_warnings_name_the_cell(tmp_path):
    def show_as_python_does(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():  # undo pytest's recording of warnings
        warnings.simplefilter("always")
        warnings.showwarning = show_as_python_does
        result = run(tmp_path, "import warnings\nwarnings.warn('check your shapes')")
    assert stream_text(result, 1, "stderr") == (
        "Cell 1, line 2: UserWarning: check your shapes\n  warnings.warn('check your shapes')\n"
    )


FRESH_PROCESS = """
import json, sys
from grader.worker.notebook import run_notebook
result = run_notebook(sys.argv[1])
cells = [c for c in result.notebook["cells"] if c["cell_type"] == "code"]
print(json.dumps({
    "errors": [e.ename for e in result.errors],
    "png": ["image/png" in o.get("data", {}) for o in cells[1]["outputs"]],
    "matplotlib_loaded_before": result.namespace["loaded_before"],
}))
"""


def test_fresh_process_plots_inline_and_writes_nothing_under_home(tmp_path):
    """The worker's situation: matplotlib not imported until the notebook imports it, and a
    home directory that must not be written (IPython's profile, history)."""
    import subprocess

    import matplotlib

    path = write_nb(
        tmp_path,
        "import sys\nloaded_before = 'matplotlib' in sys.modules\nimport matplotlib.pyplot as plt",
        "plt.plot([1, 2, 3]);",
    )
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("IPYTHONDIR", "MPLBACKEND")}
    env.update(HOME=str(home), MPLCONFIGDIR=matplotlib.get_configdir())
    proc = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, path],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary == {"errors": [], "png": [True], "matplotlib_loaded_before": False}
    assert not home.exists()


def test_errors_and_warnings_from_calls_after_the_run_name_the_cell(tmp_path):
    result = run(
        tmp_path,
        "import warnings\n\ndef careful(x):\n    warnings.warn('x is large')\n    return 1 / x",
    )
    careful = result.namespace["careful"]
    with warnings.catch_warnings(), pytest.raises(ZeroDivisionError) as info:
        warnings.simplefilter("ignore")
        careful(0)
    text = format_traceback(info.value)
    assert text.splitlines()[:3] == [
        "Traceback (most recent call last):",
        "  Cell 1, line 5, in careful",
        "    return 1 / x",
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        careful(1)
    [warning] = caught
    shown = warnings.formatwarning(
        warning.message, warning.category, warning.filename, warning.lineno
    )
    assert shown.startswith("Cell 1, line 4: UserWarning: x is large")


def test_the_run_says_which_python_and_library_versions_graded_it(tmp_path):
    import platform

    import numpy as np

    result = run(tmp_path, "import numpy as np\nimport sklearn")
    import sklearn

    assert result.versions.startswith(f"graded with Python {platform.python_version()}, ")
    assert f"numpy {np.__version__}" in result.versions
    assert f"scikit-learn {sklearn.__version__}" in result.versions

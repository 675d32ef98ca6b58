"""What the grading environment writes beside the student's output, and how it is kept out.

TensorFlow 2.21 logs through absl from C++ straight to file descriptor 2, before absl's
logging is set up, so ``TF_CPP_MIN_LOG_LEVEL`` (which the worker sets) does not apply to
them: a silent submission still shows ``WARNING: All log messages before
absl::InitializeLog() ...``, the oneDNN ``I0000`` line and, on every ``predict`` of a
``tf.data`` pipeline, ``E0000 ... NodeDef mentions attribute use_unbounded_threadpool``
(measured with levels 2 and 3 alike). Those lines are the environment's, not the student's;
they carry timestamps and thread ids, so they also made ``--json`` differ between regrades.
``environment_lines_removed`` drops them from what the worker captured, once, where the
engine stores the output.

Keras's progress lines (``584/584 - 3s - 5ms/step - loss: 0.91``) are the student's own
output and stay on the page, but their timings change from run to run: ``steady_timings``
replaces them in the ``--json`` document only.
"""

from __future__ import annotations

import re

_LOG_RECORD = re.compile(
    r"[IWEF]\d{4} \d\d:\d\d:\d+\.\d{6}\s+\d+ [\w.+-]+(?:/[\w.+-]+)*:\d+\] [^\n]*\n?"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called[^\n]*\n?"
    r"|To enable the following instructions: [^\n]* rebuild TensorFlow with the appropriate "
    r"compiler flags\.\n?")
"""An absl record to the end of its line: severity, MMDD, the time (before absl is set up
``00:00:`` and the Unix seconds) with microseconds, the thread id, ``file:line]``; absl's
preamble; the second line of TensorFlow's CPU-feature record. Written from another thread,
a record may start in the middle of a progress bar's line, so it is matched anywhere, not
only at the start of a line."""
_STEP_TIMING = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:s|ms|us|\u00b5s)(?:/step)?(?![\w/])")
_STEP_UNIT = re.compile(r"\d(?:s|ms|us|\u00b5s)/step\b")


def environment_lines_removed(text: str) -> str:
    """``text`` without TensorFlow's own C++ log records (absl's format and preamble)."""
    if "] " not in text and "absl::" not in text:
        return text
    return _LOG_RECORD.sub("", text)


def steady_timings(text: str) -> str:
    """``text`` with each Keras progress line (one naming a per-step time) as a terminal
    finally shows it and its durations written as ``…``, so that the same run prints the
    same text: how often a bar is redrawn depends on the clock too."""
    if "/step" not in text:
        return text
    from .report.text import terminal_text  # noqa: PLC0415 - only the --json document needs it

    lines = text.split("\n")
    return "\n".join(_STEP_TIMING.sub("\u2026", terminal_text(line))
                     if _STEP_UNIT.search(line) else line for line in lines)

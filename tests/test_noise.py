"""The grading environment's lines kept out of the student's output, and steady timings."""

from __future__ import annotations

from grader.noise import environment_lines_removed, steady_timings
from grader.results import AssignmentResult, StudentResult, results_json

NODEDEF = ("E0000 00:00:1796165326.302060   21191 node_def_util.cc:682] NodeDef mentions "
           "attribute use_unbounded_threadpool which is not in the op definition: "
           "Op<name=MapDataset; ...> NodeDef: {{node ParallelMapDatasetV2/_15}}")
PREAMBLE = ("WARNING: All log messages before absl::InitializeLog() is called are written "
            "to STDERR")
ONEDNN = ("I0000 00:00:1796165180.725545   18101 port.cc:153] oneDNN custom operations are "
          "on. You may see slightly different numerical results")
CPU_FEATURES = ("To enable the following instructions: AVX2 AVX512F FMA, in other operations, "
                "rebuild TensorFlow with the appropriate compiler flags.")
CUDA = ("W0000 00:00:1796165180.725545   18101 tensorflow/core/util/port.cc:153] "
        "could not open file")


def test_tensorflows_own_log_lines_are_removed_and_the_students_kept() -> None:
    text = "\n".join([PREAMBLE, ONEDNN, "epoch 1: loss 0.9", NODEDEF, CUDA, CPU_FEATURES,
                      "E0000 is what I print myself", "done"]) + "\n"
    assert environment_lines_removed(text) == (
        "epoch 1: loss 0.9\nE0000 is what I print myself\ndone\n")


def test_a_record_written_into_a_progress_bar_line_is_removed_from_it() -> None:
    text = f"Epoch 1/3\n8/9 - loss: 1.9275{NODEDEF}\n\r9/9 - loss: 1.9267\n"
    assert environment_lines_removed(text) == "Epoch 1/3\n8/9 - loss: 1.9275\r9/9 - loss: 1.9267\n"


def test_text_without_log_lines_is_returned_as_it_is() -> None:
    text = "loss [0.5] \r\x1b[1m 1/10\x1b[0m\nno newline at the end"
    assert environment_lines_removed(text) == text


PROGRESS_A = ("Epoch 1/2\n\r\x1b[1m 1/10\x1b[0m \x1b[1m12s\x1b[0m 1s/step - loss: 1.7"
              "\r\x1b[1m10/10\x1b[0m \x1b[1m2s\x1b[0m 31ms/step - loss: 1.6000\n"
              "10/10 - 0s - 30ms/step - loss: 1.6015\nI printed 3s of text\n")
PROGRESS_B = ("Epoch 1/2\n\r\x1b[1m 1/10\x1b[0m \x1b[1m9s\x1b[0m 900ms/step - loss: 1.7"
              "\r\x1b[1m 6/10\x1b[0m \x1b[1m1s\x1b[0m 40ms/step - loss: 1.65"
              "\r\x1b[1m10/10\x1b[0m \x1b[1m1s\x1b[0m 25ms/step - loss: 1.6000\n"
              "10/10 - 1s - 52ms/step - loss: 1.6015\nI printed 3s of text\n")


def test_keras_progress_lines_compare_equal_whatever_the_clock_said() -> None:
    steady = steady_timings(PROGRESS_A)
    assert steady == steady_timings(PROGRESS_B)
    assert steady == ("Epoch 1/2\n10/10 \u2026 \u2026 - loss: 1.6000\n"
                      "10/10 - \u2026 - \u2026 - loss: 1.6015\nI printed 3s of text\n")


def test_the_json_document_holds_steady_output_and_the_record_the_original() -> None:
    def run(output: str) -> StudentResult:
        return StudentResult("s", [AssignmentResult("jet_classifier", 1.0, 1.0, "graded",
                                                    output=output, duration=3.0)])
    first, second = run(PROGRESS_A), run(PROGRESS_B)
    assert results_json([first]) == results_json([second])
    assert first.assignments[0].output == PROGRESS_A

"""Sample students for the report tests: every status, hostile text, a notebook, jet plots."""

from __future__ import annotations

import base64
import json

import pytest

from grader.results import AssignmentResult, StudentResult, TestResult

HOSTILE = '<script>alert("pwned")</script><img src="https://evil.example/x.png">'
RED = "\x1b[0;31m"
RESET = "\x1b[0m"
# A 1x1 PNG: enough to see that images are embedded as data: URIs.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def notebook_json() -> str:
    """An executed nbformat v4 notebook with output, an image, HTML and a traceback."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# My softmax\n", "Notes."]},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "source": "import numpy as np\nprint('hello from the notebook')",
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["hello from the notebook\n"]}
            ],
        },
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {},
            "source": "df",
            "outputs": [
                {
                    "output_type": "execute_result",
                    "execution_count": 2,
                    "metadata": {},
                    "data": {
                        "text/html": HOSTILE,
                        "text/plain": "   a  b\n0  1  2",
                    },
                },
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": PNG, "text/plain": "<Figure>"},
                },
            ],
        },
        {
            "cell_type": "code",
            "execution_count": 3,
            "metadata": {},
            "source": "1 / 0",
            "outputs": [
                {
                    "output_type": "error",
                    "ename": "ZeroDivisionError",
                    "evalue": "division by zero",
                    "traceback": [
                        f"{RED}{'-' * 75}{RESET}",
                        f"{RED}ZeroDivisionError{RESET}{' ' * 25}Traceback (most recent call last)",
                        f"Cell {RED}In[3], line 1{RESET}\n----> 1 1 / 0",
                        f"{RED}ZeroDivisionError{RESET}: division by zero",
                    ],
                }
            ],
        },
    ]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


def jet_artifacts() -> dict[str, object]:
    """What the jet classifier's grading stores: metrics, ROC per class, confusion, history."""
    labels = ["g", "q", "t", "w", "z"]
    grid = [i / 50 for i in range(51)]
    roc = {
        label: {"fpr": [x**power for x in grid], "tpr": grid}
        for label, power in zip(labels, [2.0, 2.5, 4.0, 3.0, 3.2])
    }
    return {
        "metrics": {
            "accuracy": 0.7512,
            "macro_auc": 0.9301,
            "auc": {"g": 0.91, "q": 0.89, "t": 0.96, "w": 0.93, "z": 0.92},
        },
        "roc": roc,
        "confusion": {
            "labels": labels,
            "matrix": [
                [700, 200, 30, 40, 30],
                [180, 720, 20, 40, 40],
                [20, 15, 900, 40, 25],
                [30, 40, 30, 650, 250],
                [25, 35, 25, 260, 655],
            ],
        },
        "history": {"loss": [1.2, 0.9, 0.8, 0.75], "val_loss": [1.1, 0.95, 0.85, 0.84]},
    }


@pytest.fixture
def alice() -> StudentResult:
    """Passed, failed and error tests, hostile output, a notebook and jet plots."""
    softmax = AssignmentResult(
        assignment="softmax",
        score=6.5,
        max_score=10.0,
        status="graded",
        tests=[
            TestResult("test_rows_sum_to_one", 4.0, 4.0, "passed", "", 0.01),
            TestResult(
                "test_large_inputs_do_not_overflow",
                0.0,
                3.5,
                "failed",
                "softmax([1000, 1000]) returned nan: exp(1000) overflows, subtract max(x) first",
                0.02,
            ),
            TestResult("test_axis_argument", 2.5, 2.5, "passed", "", 0.01),
        ],
        message="graded softmax.ipynb\nsubmitted 1 day late: -10%",
        files=["softmax.ipynb"],
        submission_hash="s1",
        suite_hash="h1",
        duration=0.5,
        output=f"training...\r50%\r100%\n{HOSTILE}\n{RED}coloured{RESET}\n",
        notebook=notebook_json(),
    )
    jets = AssignmentResult(
        assignment="jet_classifier",
        score=35.0,
        max_score=40.0,
        status="graded",
        tests=[
            TestResult("test_accuracy_above_threshold", 20.0, 20.0, "passed", "", 30.0),
            TestResult(
                "test_auc_per_class",
                15.0,
                20.0,
                "error",
                "RemoteException: ValueError: shapes (16,) and (15,) do not align",
                2.0,
            ),
        ],
        message="graded jet_classifier.py",
        files=["jet_classifier.py"],
        artifacts=jet_artifacts(),
    )
    return StudentResult(student="alice", assignments=[jets, softmax])


@pytest.fixture
def bob() -> StudentResult:
    """A timeout and a missing assignment."""
    softmax = AssignmentResult(
        assignment="softmax",
        score=0.0,
        max_score=10.0,
        status="timeout",
        tests=[
            TestResult("test_rows_sum_to_one", 0.0, 4.0, "timeout", "took longer than 10 s", 10.0),
            TestResult("test_large_inputs_do_not_overflow", 0.0, 3.5, "failed", "wrong", 0.0),
            TestResult("test_axis_argument", 2.5, 2.5, "passed", "", 0.0),
        ],
        message="the submission ran past its 60 s wall time",
    )
    jets = AssignmentResult(
        assignment="jet_classifier", score=0.0, max_score=40.0, status="missing", message=""
    )
    return StudentResult(student="bob", assignments=[jets, softmax])

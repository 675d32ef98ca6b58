"""Shared test set-up: the slow kinds of tests and what CI must never skip.

Tests marked ``sandbox``, ``postgres``, ``browser`` or ``tensorflow`` need a service. On a
laptop without it they are skipped with the reason; under ``CI=true`` a missing service is
an error, never a skip, so a green CI always means the service was exercised.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_COURSE = REPO / "tests" / "data" / "course"
IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing(marker: str) -> str | None:
    if marker == "sandbox":
        from grader.engine.sandbox import _bwrap_works

        return _bwrap_works()
    if marker == "tensorflow":
        return None if importlib.util.find_spec("tensorflow") else "tensorflow is not installed"
    if marker == "browser":
        return None if shutil.which("chromium") else "chromium is not installed"
    if marker == "postgres":
        return None if os.environ.get("GRADER_TEST_POSTGRES_URL") else (
            "GRADER_TEST_POSTGRES_URL is not set")
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reasons: dict[str, str | None] = {}
    for item in items:
        for marker in ("sandbox", "tensorflow", "browser", "postgres"):
            if item.get_closest_marker(marker) is None:
                continue
            if marker not in reasons:
                reasons[marker] = _missing(marker)
            reason = reasons[marker]
            if reason is None:
                continue
            if IN_CI:
                item.add_marker(pytest.mark.usefixtures("_service_missing_in_ci"))
                item.user_properties.append(("missing", f"{marker}: {reason}"))
            else:
                item.add_marker(pytest.mark.skip(reason=f"{marker}: {reason}"))


@pytest.fixture
def _service_missing_in_ci(request: pytest.FixtureRequest) -> None:
    missing = dict(request.node.user_properties).get("missing", "a service")
    pytest.fail(f"CI=true and {missing}: CI must install it (see .ci/run)")


@pytest.fixture
def test_course() -> Path:
    return TEST_COURSE


@pytest.fixture
def repo() -> Path:
    return REPO

"""The student's page in a real browser: it renders, and the score is in the DOM.

Headless Chromium with networking features off; the page's own Content-Security-Policy
already refuses any fetch. Skipped where Chromium is missing, except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from grader.report import render_student
from grader.results import StudentResult

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no chromium on PATH: install it (apt-get install chromium)")
    pytest.skip("chromium is not installed")


def run_chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1200,900",
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_the_student_page_renders_in_chromium(alice: StudentResult, tmp_path: Path) -> None:
    page = render_student(alice, tmp_path / "reports")
    screenshot = tmp_path / "alice.png"
    shot = run_chromium(page, tmp_path / "profile", f"--screenshot={screenshot}")
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 20_000, "a blank page compresses to a few kilobytes"

    dom = run_chromium(page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Total score: <strong>41.5 / 50</strong>" in dom.stdout
    assert "test_large_inputs_do_not_overflow" in dom.stdout
    assert "<svg" in dom.stdout

"""The pages in a real browser: the student's renders with its score in the DOM, and the
summary's histogram bars are measured on a screenshot (the page's CSS must not size them).

Headless Chromium with networking features off; the page's own Content-Security-Policy
already refuses any fetch. Skipped where Chromium is missing, except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from grader.report import render_student, render_summary
from grader.results import AssignmentResult, StudentResult

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


BAR_RGB = (0x3B, 0x6E, 0xA8)  # plots._H_BAR, the histogram bars' fill


def bar_boxes(png: Path) -> list[tuple[int, int, int, int]]:
    """(left, top, width, height) of each run of columns holding bar-coloured pixels."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with matplotlib

    image = Image.open(png).convert("RGB")
    width, height = image.size
    pixels = image.load()
    assert pixels is not None
    columns: dict[int, tuple[int, int]] = {}
    for x in range(width):
        ys = [
            y for y in range(height)
            if all(abs(a - b) <= 6 for a, b in zip(pixels[x, y], BAR_RGB, strict=True))
        ]
        if ys:
            columns[x] = (min(ys), max(ys))
    boxes: list[tuple[int, int, int, int]] = []
    for x in sorted(columns):
        top, bottom = columns[x]
        if boxes and boxes[-1][0] + boxes[-1][2] == x:
            left, old_top, w, h = boxes[-1]
            new_top = min(old_top, top)
            boxes[-1] = (left, new_top, w + 1, max(old_top + h, bottom + 1) - new_top)
        else:
            boxes.append((x, top, 1, bottom - top + 1))
    return boxes


def test_the_summary_histogram_bars_are_drawn_to_scale(tmp_path: Path) -> None:
    # Five students with 10 points, three with 5: two bars, heights 5 : 3, no other blue.
    students = [
        StudentResult(f"s{i}", [AssignmentResult("softmax", 10.0 if i < 5 else 5.0, 10.0,
                                                 "graded")])
        for i in range(8)
    ]
    page = render_summary(students, tmp_path / "reports")
    screenshot = tmp_path / "summary.png"
    shot = run_chromium(page, tmp_path / "profile", f"--screenshot={screenshot}",
                        "--force-device-scale-factor=1", "--hide-scrollbars")
    assert shot.returncode == 0, shot.stderr[-2000:]
    boxes = bar_boxes(screenshot)
    assert len(boxes) == 2, f"two bars expected, found {boxes}"
    (left5, top5, width5, height5), (left10, top10, width10, height10) = boxes
    # One bin per point on a 0..10 axis about 400 px wide: a bar is some 30 px wide.
    assert 10 <= width5 <= 60 and 10 <= width10 <= 60, boxes
    assert left10 - left5 > 4 * width5, "the bars stand at 5 and at 10 on the score axis"
    assert height10 > 100, "the tallest bar reaches most of the way up the plot"
    assert height10 / height5 == pytest.approx(5 / 3, rel=0.08)
    assert top5 + height5 == pytest.approx(top10 + height10, abs=2), "both stand on the axis"

"""Matching regions: numbered alike on both sides, marking code and never skipped text."""

from __future__ import annotations

from grader.similarity.extract import Extract, Segment
from grader.similarity.fingerprint import fingerprint
from grader.similarity.regions import marked_lines, regions

LEFT = '''def f(values, axis):
    top = values.max(axis=axis, keepdims=True)
    """A docstring in the middle is skipped."""
    shifted = values - top
    return shifted / len(values) + top * 2
'''
RIGHT = '''def g(x, ax):
    m = x.max(axis=ax, keepdims=True)
    s = x - m
    return s / len(x) + m * 2
'''


def prints(source: str):  # type: ignore[no-untyped-def]
    return fingerprint(Extract("s", "a", (Segment("f.py", source),)))


def test_one_region_spans_both_sides_and_skips_the_docstring() -> None:
    left, right = prints(LEFT), prints(RIGHT)
    found = regions(left, right, frozenset())
    assert [r.number for r in found] == [1]
    assert found[0].left == (0, len(left.tokens) - 1)
    assert found[0].right == (0, len(right.tokens) - 1)
    lines = marked_lines(LEFT, list(left.tokens), [(1, *found[0].left)])
    docstring = lines[2]
    assert all(piece.region is None for piece in docstring)
    assert "".join(p.text for p in lines[1] if p.region == 1) == (
        "top = values.max(axis=axis, keepdims=True)")


def test_boilerplate_is_never_a_region() -> None:
    left, right = prints(LEFT), prints(RIGHT)
    assert regions(left, right, frozenset(left.hashes)) == []

"""Where two flagged submissions match, for the side-by-side page.

Every k-gram hash the two sides share (boilerplate excluded) is a match of ``K`` tokens;
matches that continue along the same diagonal (token ``i`` of one side with token ``j`` of
the other, then ``i + 1`` with ``j + 1``) are joined into one region, numbered from the
longest down, so region 3 on the left is region 3 on the right. The page then marks the
characters those tokens cover in the text the student wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fingerprint import Fingerprints, K, Token


@dataclass(frozen=True)
class Region:
    number: int
    left: tuple[int, int]
    """First and last token index on the left side."""
    right: tuple[int, int]


def regions(left: Fingerprints, right: Fingerprints, excluded: frozenset[int]) -> list[Region]:
    """The matching runs of ``left`` and ``right``, longest first, numbered from 1."""
    where: dict[int, list[int]] = {}
    for value, start in zip(right.hashes, right.starts):
        if value not in excluded:
            where.setdefault(value, []).append(start)
    pairs = {(i, j) for value, i in zip(left.hashes, left.starts) for j in where.get(value, [])}
    runs: list[tuple[int, int, int]] = []
    for i, j in pairs:
        if (i - 1, j - 1) in pairs:
            continue  # not the start of its diagonal run
        length = 1
        while (i + length, j + length) in pairs:
            length += 1
        runs.append((i, j, length))
    runs.sort(key=lambda run: (-run[2], run[0], run[1]))
    taken_left: set[int] = set()
    taken_right: set[int] = set()
    found: list[Region] = []
    for i, j, length in runs:
        span_left = range(i, i + length + K - 1)
        span_right = range(j, j + length + K - 1)
        if all(t in taken_left for t in span_left) or all(t in taken_right for t in span_right):
            continue  # repeats a region already shown
        taken_left.update(span_left)
        taken_right.update(span_right)
        found.append(Region(len(found) + 1, (span_left[0], span_left[-1]),
                            (span_right[0], span_right[-1])))
    return found


@dataclass(frozen=True)
class Piece:
    text: str
    region: int | None
    anchor: bool = False
    """The first piece of its region on its side: the one the other side links to."""


def marked_lines(source: str, tokens: list[Token], spans: list[tuple[int, int, int]]
                 ) -> list[list[Piece]]:
    """``source`` as lines of pieces, each piece in one region or in none.

    ``tokens`` are the segment's tokens and ``spans`` (region, first, last) index into them;
    a region covers from its first token's start to its last token's end.
    """
    lines = source.split("\n")
    owner: list[list[int | None]] = [[None] * len(line) for line in lines]
    for number, first, last in spans:
        (line_a, col_a), (line_b, col_b) = tokens[first].start, tokens[last].end
        for line in range(line_a, line_b + 1):
            if line - 1 >= len(lines):
                break
            begin = col_a if line == line_a else 0
            end = col_b if line == line_b else len(lines[line - 1])
            for col in range(begin, min(end, len(lines[line - 1]))):
                if owner[line - 1][col] is None:
                    owner[line - 1][col] = number
    out: list[list[Piece]] = []
    for text, marks in zip(lines, owner):
        pieces: list[Piece] = []
        start = 0
        for col in range(1, len(text) + 1):
            if col == len(text) or marks[col] != marks[start]:
                pieces.append(Piece(text[start:col], marks[start]))
                start = col
        out.append(pieces)
    return out

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

    ``tokens`` are the segment's tokens and ``spans`` (region, first, last) index into them.
    A region covers its tokens and what lies between two of them on one line (spaces, dropped
    parentheses), not the docstrings and comment lines that were skipped between them.
    """
    lines = source.split("\n")
    owner: list[list[int | None]] = [[None] * len(line) for line in lines]

    def mark(number: int, start: tuple[int, int], end: tuple[int, int]) -> None:
        for line in range(start[0], min(end[0], len(lines)) + 1):
            text = lines[line - 1]
            begin = start[1] if line == start[0] else 0
            stop = end[1] if line == end[0] else len(text)
            for col in range(begin, min(stop, len(text))):
                if owner[line - 1][col] is None:
                    owner[line - 1][col] = number

    for number, first, last in spans:
        for index in range(first, last + 1):
            token = tokens[index]
            following = tokens[index + 1] if index < last else None
            if following is not None and following.start[0] == token.end[0]:
                mark(number, token.start, following.start)
            else:
                mark(number, token.start, token.end)
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

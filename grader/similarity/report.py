"""What ``grade similarity`` writes: the JSON, an index page, one page per flagged pair.

Instructor output only. The pages share the reports' templates and Content-Security-Policy
(nothing is fetched from anywhere, no script runs) and live in their own folder; no student
page links them. A pair's file name is built from both students' names through the same
cleaning as student pages, plus a digest of the exact (assignment, student, student)
triple, so two pairs never share a file whatever the names hold.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..naming import student_filename
from ..report.templating import environment, write_page
from .compare import Comparison, PairScore
from .regions import Piece, marked_lines, regions

STEM_CHARS = 40
"""Each student's part of a pair's file name: the whole name stays under 255 bytes."""
NEAR_MISSES = 20
"""Unflagged pairs shown on the index below the flagged ones, for a sense of the scale."""


def pair_filename(pair: PairScore) -> str:
    """The page's file name: readable, and unique to the exact triple."""
    first, second = pair.students
    key = "\0".join((pair.assignment, first, second)).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(key).hexdigest()[:12]
    stems = [student_filename(s)[:STEM_CHARS] for s in (pair.assignment, *pair.students)]
    return f"{stems[0]}--{stems[1]}--{stems[2]}--{digest}.html"


def pairs_json(comparisons: list[Comparison], pages: dict[tuple[str, str, str], str]
               ) -> dict[str, Any]:
    """The ``--json`` document: every pair above the floor, then each assignment's verdict."""
    pairs = []
    for comparison in comparisons:
        for pair in comparison.pairs:
            entry: dict[str, Any] = {
                "students": list(pair.students), "assignment": pair.assignment,
                "similarity": pair.similarity, "flagged": pair.flagged,
                "verdict": pair.verdict, "shared": pair.shared,
                "fingerprints": list(pair.sizes),
            }
            page = pages.get((pair.assignment, *pair.students))
            if page:
                entry["page"] = page
            pairs.append(entry)
    assignments = [{
        "assignment": c.assignment, "status": c.status, "submissions": c.submissions,
        "threshold": c.threshold, "min_fingerprints": c.min_fingerprints,
        "median_fingerprints": c.median_fingerprints, "judged": c.judged,
        "flagged": len(c.flagged),
        "message": c.message,
    } for c in comparisons]
    return {"pairs": pairs, "assignments": assignments}


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class SideSegment:
    origin: str
    first_line: int
    lines: list[list[Piece]]


def _side(comparison: Comparison, student: str, spans: list[tuple[int, int, int]]
          ) -> list[SideSegment]:
    prints = comparison.fingerprints[student]
    out = []
    anchored: set[int] = set()
    for index, segment in enumerate(prints.extract.segments):
        positions = [n for n, t in enumerate(prints.tokens) if t.segment == index]
        local: list[tuple[int, int, int]] = []
        if positions:
            low, high = positions[0], positions[-1]
            for number, first, last in spans:
                if first <= high and last >= low:
                    local.append((number, max(first, low) - low, min(last, high) - low))
        tokens = [prints.tokens[n] for n in positions]
        lines = marked_lines(segment.source, tokens, local)
        for pieces in lines:
            for k, piece in enumerate(pieces):
                if piece.region is not None and piece.region not in anchored:
                    anchored.add(piece.region)
                    pieces[k] = Piece(piece.text, piece.region, anchor=True)
        out.append(SideSegment(segment.origin, segment.first_line, lines))
    return out


def write_pair_page(comparison: Comparison, pair: PairScore, out: Path) -> Path:
    """One self-contained page: both submissions side by side, matching regions marked."""
    left, right = (comparison.fingerprints[s] for s in pair.students)
    found = regions(left, right, comparison.excluded)
    html = environment().get_template("similarity_pair.html").render(
        pair=pair, comparison=comparison, regions=found,
        left=_side(comparison, pair.students[0], [(r.number, *r.left) for r in found]),
        right=_side(comparison, pair.students[1], [(r.number, *r.right) for r in found]),
        notes=[*left.extract.notes, *right.extract.notes],
    )
    return write_page(out / pair_filename(pair), html)


def write_index(comparisons: list[Comparison], pages: dict[tuple[str, str, str], str],
                out: Path) -> Path:
    sections = []
    for comparison in comparisons:
        near = [p for p in comparison.pairs if not p.flagged][:NEAR_MISSES]
        sections.append((comparison, comparison.flagged, near))
    html = environment().get_template("similarity_index.html").render(
        sections=sections, pages={k: quote(v) for k, v in pages.items()},
    )
    return write_page(out / "index.html", html)


def write_pages(comparisons: list[Comparison], out: Path
                ) -> tuple[list[Path], dict[tuple[str, str, str], str]]:
    """Every flagged pair's page and the index; returns them and pair -> file name."""
    written: list[Path] = []
    pages: dict[tuple[str, str, str], str] = {}
    for comparison in comparisons:
        for pair in comparison.flagged:
            path = write_pair_page(comparison, pair, out)
            pages[(pair.assignment, *pair.students)] = path.name
            written.append(path)
    written.append(write_index(comparisons, pages, out))
    return written, pages

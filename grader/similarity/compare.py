"""Scoring every pair of a class through an inverted index, never pair by pair.

Per assignment:
1. boilerplate goes first: every k-gram of the released material (stub, notebook, public
   tests, README code), and every k-gram found in more than ``common_share`` of the class's
   submissions (what everyone writes), but never one that only two students share;
2. each submission keeps its *distinctive* fingerprints: its winnowed hashes less boilerplate;
3. an index from fingerprint to the submissions holding it gives, for every pair that shares
   anything, how many fingerprints it shares; pairs that share none are never visited;
4. a pair's similarity is the share of the smaller side's distinctive fingerprints that the
   other side holds too (1.0: everything distinctive in one is in the other), so a copy padded
   with extra code still scores high;
5. a pair is flagged at or above the assignment's threshold, unless either side has fewer than
   ``min_fingerprints`` distinctive fingerprints: too little to tell copying from convergence.
   When fewer than two submissions have that much, the whole assignment says so and flags
   nothing.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..config import Similarity
from .fingerprint import Fingerprints

MIN_COMMON_COUNT = 5
"""Fewer students than this sharing a fingerprint never make it boilerplate, whatever the
class size: in a small class a few matches are no evidence of what everyone writes."""

COMPARED = "compared"
TOO_LITTLE = "too_little_material"
TOO_FEW = "too_few_submissions"


@dataclass(frozen=True)
class PairScore:
    """Two students' code for one assignment, scored."""

    assignment: str
    students: tuple[str, str]
    similarity: float
    shared: int
    """Distinctive fingerprints both hold."""
    sizes: tuple[int, int]
    """Distinctive fingerprints of each side."""
    flagged: bool
    verdict: str
    """``flagged``, ``below_threshold`` or ``too_little_material``."""


@dataclass
class Comparison:
    """One assignment's verdict over the class."""

    assignment: str
    status: str
    submissions: int
    threshold: float
    min_fingerprints: int
    median_fingerprints: float
    judged: int = 0
    """Submissions with enough distinctive material for a verdict."""
    pairs: list[PairScore] = field(default_factory=list)
    excluded: frozenset[int] = frozenset()
    """Boilerplate hashes (released and common): never marked as a match on a page."""
    fingerprints: dict[str, Fingerprints] = field(default_factory=dict)

    @property
    def flagged(self) -> list[PairScore]:
        return [p for p in self.pairs if p.flagged]

    @property
    def message(self) -> str:
        if self.status == TOO_FEW:
            return f"{self.submissions} submission(s): nothing to compare"
        if self.status == TOO_LITTLE:
            return (f"too little distinctive material for a verdict: {self.judged} of "
                    f"{self.submissions} submissions have {self.min_fingerprints} fingerprints "
                    f"beyond the stub and what most of the class writes (the median has "
                    f"{self.median_fingerprints:g}); nothing flagged")
        unjudged = self.submissions - self.judged
        return (f"{self.submissions} submissions, {len(self.flagged)} pair(s) at or above "
                f"{self.threshold:g}" + (f"; {unjudged} too short to judge" if unjudged else ""))


def distinctive(prints: list[Fingerprints], released: frozenset[int],
                common_share: float) -> tuple[list[frozenset[int]], frozenset[int]]:
    """Each submission's distinctive fingerprints, and every hash counted as boilerplate."""
    counts: Counter[int] = Counter()
    for item in prints:
        counts.update(set(item.hashes))
    limit = max(common_share * len(prints), MIN_COMMON_COUNT - 1)
    common = {h for h, n in counts.items() if n > limit}
    excluded = frozenset(released | common)
    return [item.kept - excluded for item in prints], excluded


def shared_counts(sets: list[frozenset[int]]) -> Counter[tuple[int, int]]:
    """(i, j) -> fingerprints submissions i and j share, through an inverted index."""
    index: dict[int, list[int]] = {}
    for position, hashes in enumerate(sets):
        for value in hashes:
            index.setdefault(value, []).append(position)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in index.values():
        if len(holders) > 1:
            shared.update(itertools.combinations(holders, 2))
    return shared


def compare(prints: list[Fingerprints], released: frozenset[int], settings: Similarity,
            *, assignment: str, threshold: float | None = None) -> Comparison:
    """Score every pair of ``prints`` (one assignment, one submission per student)."""
    prints = sorted(prints, key=lambda p: p.extract.student)
    limit = settings.threshold if threshold is None else threshold
    floor = min(settings.floor, limit)
    sets, excluded = distinctive(prints, released, settings.common_share)
    sizes = [len(s) for s in sets]
    median = float(statistics.median(sizes)) if sizes else 0.0
    judged = sum(size >= settings.min_fingerprints for size in sizes)
    if len(prints) < 2:
        status = TOO_FEW
    elif judged < 2:
        status = TOO_LITTLE
    else:
        status = COMPARED
    result = Comparison(assignment, status, len(prints), limit, settings.min_fingerprints,
                        median, judged, excluded=excluded,
                        fingerprints={p.extract.student: p for p in prints})
    for (i, j), count in shared_counts(sets).items():
        smaller = min(sizes[i], sizes[j])
        score = count / smaller if smaller else 0.0
        if score < floor or score <= 0:
            continue
        enough = smaller >= settings.min_fingerprints and status == COMPARED
        flagged = enough and score >= limit
        verdict = ("flagged" if flagged else "below_threshold" if enough
                   else "too_little_material")
        result.pairs.append(PairScore(
            assignment, (prints[i].extract.student, prints[j].extract.student),
            round(score, 4), count, (sizes[i], sizes[j]), flagged, verdict))
    result.pairs.sort(key=lambda p: (-p.similarity, p.students))
    return result

"""The one rule by which a file named almost like an assignment's file is taken for it.

Students hand in ``Softmax.py``, ``softmax (1).py`` (a second browser download),
``softmax-1.py`` (Canvas's de-duplication) and ``hw3_softmax.py`` (a course's naming
convention). The rule forgives exactly three things, in this order, and nothing else:

1. case: ``Softmax.PY`` is ``softmax.py``;
2. one copy counter at the end of the stem: `` (N)`` or ``-N``;
3. one course-style prefix before the name: letters, an optional separator and digits,
   then ``_``, ``-`` or a space (``hw3_``, ``lab-02 ``, ``a1-``).

So ``test_softmax.py``, ``softmax_old.py``, ``softmax2.py`` and ``my_softmax.py`` are never
taken, and a name holding two assignments' names (``softmax_cross_entropy.py``) is never
taken either. Among several files taken for one assignment the highest counter wins (a
file without one counts 0), then the shallower path, then the exact spelling; never the
newest modification time, which copying resets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COUNTER = re.compile(r"^(?P<stem>.+?)(?: \((?P<paren>\d{1,4})\)|-(?P<dash>\d{1,4}))$")
_PREFIX = re.compile(r"^[a-z]{1,12}[ _-]?\d{1,3}[ _-]+(?P<rest>.+)$")


@dataclass(frozen=True)
class Taken:
    """A file taken for the assignment file ``target`` by the rule, and how."""

    target: str
    counter: int
    forgiven: tuple[str, ...]
    """What the rule forgave ("case", "copy counter (1)", "prefix hw3_"); empty if exact."""


def split_suffix(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    return (stem, "." + suffix) if dot and stem else (name, "")


def take(name: str, targets: list[str]) -> Taken | None:
    """The assignment file ``name`` is taken for, by the rule; None if it is not."""
    stem, suffix = split_suffix(name)
    by_key = {t.lower(): t for t in targets}
    low, low_suffix = stem.lower(), suffix.lower()
    tries: list[tuple[str, int, str]] = [(low, 0, "")]
    counted = _COUNTER.match(low)
    if counted:
        text = f"({counted['paren']})" if counted["paren"] else f"-{counted['dash']}"
        tries.append((counted["stem"], int(counted["paren"] or counted["dash"]),
                      f"copy counter {text}"))
    for core, counter, counter_text in tries:
        forgiven = [counter_text] if counter_text else []
        target = by_key.get(core + low_suffix)
        if target is None:
            prefixed = _PREFIX.match(core)
            if prefixed is None or prefixed["rest"] + low_suffix not in by_key:
                continue
            target = by_key[prefixed["rest"] + low_suffix]
            forgiven.insert(0, f"prefix {core[: len(core) - len(prefixed['rest'])]!r}")
        target_stem, target_suffix = split_suffix(target)
        if target_stem not in stem or suffix != target_suffix:
            forgiven.insert(0, "case")
        return Taken(target=target, counter=counter, forgiven=tuple(forgiven))
    return None


def why_not(name: str, targets: list[str]) -> str:
    """Why a script ``name`` that the rule did not take serves no assignment."""
    low = name.lower()
    near = [t for t in targets if split_suffix(t)[0].lower() in low]
    if len(near) > 1:
        return (f"could mean {' or '.join(near)}: not taken; name it after one assignment")
    if near:
        return (f"not taken as {near[0]}: only case, a copy counter ' (N)' or '-N' and a "
                "course prefix such as 'hw3_' are forgiven; rename it to be graded")
    return "named after no assignment"

"""Canvas "Download Submissions": one flat zip, every file named after its student.

Canvas names each uploaded file ``<name>[_LATE]_<user id>_<attachment id>_<original>``
(``lib/content_zipper.rb``, ``get_filename``): ``<name>`` is the student's sortable name
("Lovelace, Ada") lower-cased with everything but word characters removed
(``lovelaceada``), ``LATE`` marks a submission after the due date, and under anonymous
grading the name is left out and the id is ``anon_<anonymous id>``. The original name keeps
the student's spelling, except the ``-N`` Canvas adds when a student uploads a name it has
seen (``softmax-1.py``), which ``collect`` takes off again. Text entries and URLs come as
``<name>_<user id>_text.html`` / ``_link.html`` and are no files to grade. The names hold no
time: ``--times`` merges one.
"""

from __future__ import annotations

import re

from .model import Handed, Parsed
from .names import unique_key
from .roster import Roster
from .source import Source

_NAMED = re.compile(
    r"^(?P<name>[^/]*?)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<aid>\d+)_(?P<original>[^/]+)$")
_ANONYMOUS = re.compile(
    r"^(?P<late>LATE_)?anon_(?P<uid>[A-Za-z0-9]+)_(?P<aid>\d+)_(?P<original>[^/]+)$")
_ONLINE = re.compile(r"_\d+_(text|link)\.html$")


def parse(source: Source, roster: Roster) -> Parsed:
    parsed = Parsed(dedup_suffix=True)
    for path, data in sorted(source.files.items()):
        base = path.rsplit("/", 1)[-1]
        match = _ANONYMOUS.match(base) or _NAMED.match(base)
        if match is None or not (match.groupdict().get("name", "x") or "").strip():
            parsed.unmatched[path] = (
                "a text entry or URL, not a file" if _ONLINE.search(base) else
                "not named as Canvas names submissions (name_userid_fileid_original)")
            continue
        uid = match["uid"]
        anonymous = match.re is _ANONYMOUS
        wanted = (roster.student_for(lms_id=uid) or
                  (f"anon_{uid}" if anonymous else match["name"]))
        key = unique_key(parsed, wanted, uid)
        entry = parsed.entry(key, lms_id=uid, login=roster.login_for(key))
        entry.late = bool(match["late"]) or bool(entry.late)
        entry.files.append(Handed(source=path, name=match["original"], data=data))
    return parsed

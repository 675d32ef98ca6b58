"""Moodle "Download all submissions", in folders (the default since Moodle 3.1).

Moodle names each student's folder ``<Full Name>_<id>_assignsubmission_file_/`` and keeps
the student's own names and subfolders inside (``mod/assign/locallib.php``,
``download_submissions``): the prefix is the full name (underscores made spaces, a group
name and ``-`` before it for group submissions) and the participant id; under blind marking
the name is ``Participant``. Without "download submissions in folders" the files lie flat as
``<Full Name>_<id>_assignsubmission_file_<original>``; both are read. Online text comes as
``..._assignsubmission_onlinetext_/onlinetext.html`` and is no file to grade. Zips made on
some systems carry UTF-8 names without the flag that says so; :mod:`grader.archives` reads
them as UTF-8 (``Zoë Müller``), not as CP437 (``ZoÃ« MÃ¼ller``). No times are in the names:
``--times`` merges Moodle's grading worksheet or any CSV with the times.
"""

from __future__ import annotations

import re

from .model import Handed, Parsed
from .names import folder_name, unique_key
from .roster import Roster
from .source import Source

_PREFIX = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<rest>.*)$")


def parse(source: Source, roster: Roster) -> Parsed:
    parsed = Parsed()
    for path, data in sorted(source.files.items()):
        head, _, inside = path.partition("/")
        match = _PREFIX.match(head)
        if match is None and inside:
            # One folder above the students (the zip unpacked into a folder of its own).
            head, _, inside = inside.partition("/")
            match = _PREFIX.match(head)
        if match is None:
            parsed.unmatched[path] = ("not named as Moodle names submissions "
                                      "(Full Name_id_assignsubmission_file_)")
            continue
        if match["plugin"] != "file":
            parsed.unmatched[path] = f"Moodle's {match['plugin']} submission, not a file"
            continue
        name = inside if inside else match["rest"]
        if not name:
            continue
        uid = match["id"]
        blind = match["name"].strip() == "Participant"
        wanted = roster.student_for(lms_id=uid) or (
            f"participant_{uid}" if blind else folder_name(match["name"]))
        key = unique_key(parsed, wanted, uid)
        entry = parsed.entry(key, lms_id=uid, login=roster.login_for(key))
        entry.files.append(Handed(source=path, name=name, data=data))
    return parsed

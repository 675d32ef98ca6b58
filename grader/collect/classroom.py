"""GitHub Classroom: one checkout per student, ``<prefix>-<login>/``.

GitHub Classroom names each student's repository after the assignment's prefix and the
student's GitHub login, joined by ``-`` (``hw3-grace-h``); ``gh classroom clone
student-repos`` clones them all into a folder named after the assignment's slug. Logins and
slugs both hold hyphens, so the name alone cannot be split: ``--prefix hw3`` says where the
prefix ends, or the roster's logins (GitHub Classroom's ``classroom_roster.csv``) do. Inside,
a checkout is laid out like the released bundle (``assignments/softmax/softmax.py``) or
flat; ``.git/`` is version control, not a submission, and a commit date is whatever the
student's clock said, so no time is taken from it (``--times`` merges one).
"""

from __future__ import annotations

from ..errors import ConfigError
from .model import Handed, Parsed
from .names import folder_name
from .roster import Roster
from .source import Source


def parse(source: Source, roster: Roster, prefix: str | None) -> Parsed:
    parsed = Parsed()
    folders = sorted({path.split("/", 1)[0] for path in [*source.files, *source.refused]
                      if "/" in path})
    for path in source.files:
        if "/" not in path:
            parsed.unmatched[path] = "a file beside the checkouts, not inside one"
    if folders and prefix is None and not roster.logins():
        raise ConfigError(
            f"cannot tell where the assignment prefix ends in {folders[0]!r}: logins and "
            "prefixes both hold hyphens; pass --prefix (hw3 for hw3-<login>) or --roster "
            "with the logins (GitHub Classroom's classroom_roster.csv)")
    logins = {folder: _login(folder, prefix, roster) for folder in folders}
    for path, data in sorted(source.files.items()):
        folder, _, inside = path.partition("/")
        if not inside:
            continue
        login = logins.get(folder)
        if login is None:
            parsed.unmatched[path] = (f"{folder}/ is not <prefix>-<login>" + (
                f" with the prefix {prefix!r}" if prefix else " for a login of the roster"))
            continue
        key = roster.student_for(login=login) or folder_name(login)
        entry = parsed.entry(key, login=login,
                             lms_id=roster.students.get(key, ("", ""))[1])
        entry.files.append(Handed(source=path, name=inside, data=data))
    for path in source.refused:
        folder, _, inside = path.partition("/")
        login = logins.get(folder)
        if login is not None and inside == ".git/":
            key = roster.student_for(login=login) or folder_name(login)
            parsed.entry(key, login=login).ignored[".git/"] = GIT
            parsed.consumed.add(path)
    return parsed


GIT = "version control data, not a submission (commit dates are not submission times)"


def _login(folder: str, prefix: str | None, roster: Roster) -> str | None:
    if prefix is not None:
        head = prefix.rstrip("-") + "-"
        if not folder.startswith(head) or folder == head:
            return None
        return folder[len(head):]
    matches = [login for login in roster.logins() if folder.lower().endswith("-" + login.lower())]
    return max(matches, key=len) if matches else None

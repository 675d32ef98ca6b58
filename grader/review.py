"""Signs in a submission that a person should look at: its grade is not changed by them.

Held-out labels that are public data (Kaggle's Titanic file, ``load_iris``) can be pasted
into a submission or loaded by it. The forbidden-call rules of ``assignment.toml`` stop the
plain calls; what they cannot see is text: a long run of literal numbers (a table pasted in)
or a name that loads the data. These checks read the submitted files on the trusted side;
nothing of the submission runs here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

LITERAL_RUN = 200
"""Numbers in a row, separated by commas, that make a pasted table."""
_RUN = re.compile(rf"(?:[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*,\s*){{{LITERAL_RUN},}}")
_CODE = (".py", ".ipynb")


def code_texts(sources: Mapping[str, bytes]) -> list[str]:
    """The text of each submitted script or notebook."""
    return [bytes(blob).decode("utf-8", errors="replace")
            for name, blob in sources.items() if str(name).endswith(_CODE)]


def signs(sources: Mapping[str, bytes], names: Iterable[str] = ()) -> list[str]:
    """What in ``sources`` looks like embedded or loaded answers, one phrase each."""
    texts = code_texts(sources)
    found = []
    if any(_RUN.search(text) for text in texts):
        found.append(f"the code holds a run of {LITERAL_RUN} or more literal numbers")
    for name in names:
        if any(name in text for text in texts):
            found.append(f"the code mentions {name}")
    return found

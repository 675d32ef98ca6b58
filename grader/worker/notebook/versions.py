"""Which Python and library versions ran the notebook, for the page.

A notebook written against older releases fails in ways that look like the student's bug
(``np.int`` and ``np.infty`` are gone in NumPy 2, scikit-learn dropped ``multi_class``), so
the page says what graded it. Only modules already imported are asked, through their
``__version__``: nothing is imported or scanned to find out.
"""

from __future__ import annotations

import platform
import sys

# (module, the name a student installs it by), in the order the page lists them.
LIBRARIES = (
    ("numpy", "numpy"), ("scipy", "scipy"), ("pandas", "pandas"),
    ("sklearn", "scikit-learn"), ("matplotlib", "matplotlib"), ("seaborn", "seaborn"),
    ("tensorflow", "tensorflow"), ("keras", "keras"), ("torch", "torch"),
    ("tensorflow_datasets", "tensorflow-datasets"),
)


def environment_note() -> str:
    """"graded with Python 3.12.3, numpy 2.1.3, scikit-learn 1.5.2"."""
    found = [f"Python {platform.python_version()}"]
    for module, name in LIBRARIES:
        version = getattr(sys.modules.get(module), "__version__", None)
        if isinstance(version, str):
            found.append(f"{name} {version[:20]}")
    return "graded with " + ", ".join(found)

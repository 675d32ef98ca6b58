"""Right values, wrong exercise: delegates to scipy.special.softmax (nan for an all -inf slice).

The README asks for softmax written with numpy; assignment.toml forbids scipy.special.softmax.
"""

import numpy as np
from scipy.special import softmax as _scipy_softmax

EXPECTED_FAILURES = ["test_written_yourself"]


def softmax(x, axis=-1):
    with np.errstate(invalid="ignore"):
        return _scipy_softmax(np.asarray(x), axis=axis)

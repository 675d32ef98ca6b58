import numpy as np
import pytest

from grader.testing import assert_close


@pytest.mark.points(1)
def test_uniform(submission):
    assert_close(submission.softmax(np.zeros(4)), np.full(4, 0.25),
                 msg="softmax of equal scores is uniform")

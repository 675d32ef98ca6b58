"""Normalising sees through the usual disguises; winnowing keeps what it promises."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from grader.config import AssignmentConfig
from grader.discover import discover_student
from grader.similarity.extract import Extract, Segment, extract
from grader.similarity.fingerprint import K, W, fingerprint, kgram_hash, winnow

ORIGINAL = '''
import numpy as np


def helper(values, axis):
    """Largest entry along axis."""
    top = np.max(values, axis=axis, keepdims=True)  # shift
    return np.where(np.isfinite(top), top, 0.0)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = np.asarray(x)
    e = np.exp(x - helper(x, axis))
    return e / np.sum(e, axis=axis, keepdims=True)
'''

DISGUISED = '''
import numpy as numpy_lib
def softmax(inp, axis=-1):
    # my own softmax!
    inp = numpy_lib.asarray(inp)

    exps = numpy_lib.exp(inp - biggest(inp, axis))
    return exps / numpy_lib.sum(exps, axis=axis, keepdims=True)
def biggest(arr,
            axis: int):
    m = numpy_lib.max(arr, axis=axis, keepdims=True)
    return numpy_lib.where(numpy_lib.isfinite(m), m, 0.0)
'''


def tokens(source: str) -> list[str]:
    prints = fingerprint(Extract("s", "a", (Segment("f.py", source),)))
    return [t.text for t in prints.tokens]


def definitions(source: str) -> Extract:
    import ast

    tree = ast.parse(source)
    lines = source.split("\n")
    segments = tuple(Segment(f"line {n.lineno}", "\n".join(lines[n.lineno - 1:n.end_lineno]))
                     for n in tree.body if isinstance(n, ast.FunctionDef))
    return Extract("s", "a", segments)


def test_names_comments_docstrings_hints_and_layout_do_not_change_the_tokens() -> None:
    plain = "def f(a, b):\n    return a + len(b) * 2.5\n"
    dressed = ('def other(x: int,\n\n      y: "list[int]") -> float:\n'
               '    """Doc."""\n    # comment\n\n    return x + len(y) * 7  # more\n')
    assert tokens(plain) == ["def", "V", "V", ",", "V", ":", ";", "return", "V",
                             "+", "len", "V", "*", "N", ";"]
    assert tokens(dressed) == tokens(plain)
    assert tokens("def f(a, b):\n    return ((a) + (len(b) * 2.5))\n") == tokens(plain)


def test_library_names_and_builtins_stay_while_own_names_go() -> None:
    found = tokens("import numpy as np\nvalue = np.exp(len(x))\n")
    assert found == ["import", "V", "as", "V", ";", "V", "=", "V", ".", "exp", "len", "V", ";"]


def test_attributes_the_code_assigns_are_its_own(tmp_path: Path) -> None:
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "early_stopping.py").write_text(
        "class EarlyStopping:\n    def step(self, v):\n        self.wait = 0\n"
        "        return self.history.shape\n")
    config = AssignmentConfig("early_stopping", names=("EarlyStopping",),
                              files=("early_stopping.py",))
    found = extract(discover_student(tmp_path / "alice", [config]), config)
    assert found is not None
    texts = [t.text for t in fingerprint(found).tokens]
    assert texts[-13:] == ["V", ".", "V", "=", "N", ";", "return", "V", ".", "history", ".",
                           "shape", ";"]
    assert "wait" not in texts and "history" in texts


def test_a_disguised_copy_has_the_same_fingerprints() -> None:
    assert fingerprint(definitions(ORIGINAL)).kept == fingerprint(definitions(DISGUISED)).kept


def test_broken_code_still_gives_the_tokens_before_the_break() -> None:
    found = tokens("def f(x):\n    return x +\n    (((\n")
    assert found[:4] == ["def", "V", "V", ":"]


def test_winnowing_keeps_a_hash_of_every_long_enough_match() -> None:
    rng = random.Random(7)
    for _ in range(200):
        shared = [rng.getrandbits(64) for _ in range(W)]
        left = [rng.getrandbits(64) for _ in range(rng.randrange(0, 30))]
        right = [rng.getrandbits(64) for _ in range(rng.randrange(0, 30))]
        a = winnow(left + shared + right)
        b = winnow(right[::-1] + shared + left[::-1])
        assert a & b & set(shared), "a run of W shared k-grams always shares a kept hash"
    assert len(winnow(list(range(100, 0, -1)))) == 100 - W + 1


def test_kgram_hashes_are_the_same_in_every_process() -> None:
    gram = ["def", "V", "V", ":", ";"]
    code = ("from grader.similarity.fingerprint import kgram_hash; "
            f"print(kgram_hash({gram!r}))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert seen == {f"{kgram_hash(gram)}\n"}
    assert len(gram) == K

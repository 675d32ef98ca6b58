"""From source text to fingerprints that the usual disguises do not change.

Normalising (per segment, with Python's own tokenizer):
- comments, blank lines, indentation and line breaks inside brackets are dropped;
- docstrings and other bare string statements, and type annotations, are dropped (found
  with ``ast``; a stub's annotated signature is kept or dropped by students at will);
- every bare name (variables, parameters, functions, classes, import aliases) becomes ``V``,
  except builtins (``len``, ``range``, ``ValueError``) that the code does not rebind;
- attribute names stay (``np.exp`` is ``V.exp``: a library's API is not renamed by hand),
  except the ones the code assigns itself (``self.wait = 0``), which become ``V``;
- numbers become ``N`` and strings ``S``;
- parentheses are dropped: redundant ones are a cheap disguise (``(a + b)`` for ``a + b``),
  and a call stays recognisable by the name and the arguments around where they stood.

Then every run of ``K`` consecutive tokens of a segment (a k-gram; runs never cross from one
definition into the next, so reordering functions changes nothing) is hashed, and winnowing
keeps the smallest hash of each window of ``W`` consecutive k-grams.
Any match of at least ``K + W - 1`` tokens shares a kept hash, while a program keeps about
``2 / (W + 1)`` of its k-grams. Each token's hash comes from blake2b and a k-gram's is a
polynomial of its tokens' hashes, so a run gives the same fingerprints on every machine and in
every process.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import io
import keyword
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .extract import Extract, Segment
from .scan import Scan, Span, scan

K = 5
"""Tokens per k-gram."""
W = 4
"""k-grams per winnowing window: matches of ``K + W - 1`` = 8 tokens are always seen."""

_BUILTINS = frozenset(dir(builtins)) - {"_", "__doc__", "__name__"}
_DROPPED = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                      tokenize.ENCODING, tokenize.ENDMARKER})
_PARENTHESES = frozenset("()")


@dataclass(frozen=True)
class Token:
    text: str
    segment: int
    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True)
class Fingerprints:
    """One extract's normalised tokens, every k-gram hash, and the winnowed ones."""

    extract: Extract
    tokens: tuple[Token, ...]
    hashes: tuple[int, ...]
    """hashes[i] is the k-gram starting at tokens[i] (k-grams never cross a segment)."""
    starts: tuple[int, ...]
    """Token index of each hash's k-gram, parallel to ``hashes``."""
    kept: frozenset[int]
    """The winnowed hashes: what the class index holds."""


def _inside(position: tuple[int, int], span: Span) -> bool:
    return (span[0], span[1]) <= position < (span[2], span[3])


def _scan(segment: Segment) -> Scan | None:
    if segment.scan is not None or not segment.parsed:
        return segment.scan
    try:
        tree = ast.parse(segment.source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return scan(tree, segment.source.split("\n"))


def _raw_tokens(source: str) -> Iterator[tokenize.TokenInfo]:
    """The tokenizer's tokens; broken code yields what came before the break."""
    try:
        yield from tokenize.generate_tokens(io.StringIO(source).readline)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return


def normalise(segment: Segment, index: int, own_attributes: frozenset[str]) -> list[Token]:
    """The normalised tokens of one segment, each with its place in ``segment.source``."""
    scanned = _scan(segment)
    spans = scanned.ignored if scanned else ()
    rebound = scanned.bound if scanned else frozenset()
    raw = [t for t in _raw_tokens(segment.source) if t.type not in _DROPPED]
    span_lines = {line for s in spans for line in range(s[0], s[2] + 1)}

    def ignored(token: tokenize.TokenInfo) -> bool:
        return token.start[0] in span_lines and any(_inside(token.start, s) for s in spans)

    out: list[Token] = []
    for i, token in enumerate(raw):
        if ignored(token):
            continue
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if token.string in (":", "->") and nxt is not None and ignored(nxt):
            continue  # the ':' or '->' that introduces a dropped annotation
        if token.string in _PARENTHESES:
            continue
        text = _normal_text(token, raw[i - 1] if i else None, own_attributes, rebound)
        if text == ";" and (not out or out[-1].text == ";"):
            continue  # the line end of a dropped docstring, or of an empty statement
        out.append(Token(text, index, token.start, token.end))
    return out


def _normal_text(token: tokenize.TokenInfo, previous: tokenize.TokenInfo | None,
                 own_attributes: frozenset[str], rebound: frozenset[str]) -> str:
    if token.type == tokenize.NAME:
        if keyword.iskeyword(token.string):
            return token.string
        if previous is not None and previous.string == ".":
            return "V" if token.string in own_attributes else token.string
        if token.string in _BUILTINS and token.string not in rebound:
            return token.string
        return "V"
    if token.type == tokenize.NUMBER:
        return "N"
    if token.type == tokenize.STRING:
        return "S"
    if token.type == tokenize.NEWLINE or token.string == ";":
        return ";"
    return token.string


_MASK = (1 << 64) - 1
_BASE = 0x100000001B3
"""An odd 64-bit multiplier: k-gram hashes are polynomials in the tokens' own hashes."""


@lru_cache(maxsize=65536)
def token_hash(text: str) -> int:
    """A stable 64-bit hash of one normalised token (blake2b: the same in every process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def kgram_hash(texts: tuple[str, ...] | list[str]) -> int:
    """A stable 64-bit hash of a run of normalised token texts."""
    value = 0
    for text in texts:
        value = (value * _BASE + token_hash(text)) & _MASK
    return _finish(value)


def _finish(value: int) -> int:
    """Mix the bits, so that winnowing's minimum is not biased towards some tokens."""
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _MASK
    value ^= value >> 33
    return value


def _kgram_hashes(texts: list[str]) -> list[int]:
    values = [token_hash(t) for t in texts]
    out = []
    for start in range(len(values) - K + 1):
        value = 0
        for item in values[start:start + K]:
            value = (value * _BASE + item) & _MASK
        out.append(_finish(value))
    return out


def winnow(hashes: list[int], window: int = W) -> set[int]:
    """The minimum of every window of ``window`` consecutive hashes (all, if fewer)."""
    if len(hashes) <= window:
        return set(hashes)
    kept = set()
    for start in range(len(hashes) - window + 1):
        chunk = hashes[start:start + window]
        kept.add(min(chunk))
    return kept


def fingerprint(extract: Extract) -> Fingerprints:
    """Normalise every segment of ``extract``, hash its k-grams, winnow them."""
    tokens: list[Token] = []
    hashes: list[int] = []
    starts: list[int] = []
    kept: set[int] = set()
    for index, segment in enumerate(extract.segments):
        segment_tokens = normalise(segment, index, extract.own_attributes)
        base = len(tokens)
        tokens.extend(segment_tokens)
        texts = [t.text for t in segment_tokens]
        segment_hashes = _kgram_hashes(texts)
        hashes.extend(segment_hashes)
        starts.extend(range(base, base + len(segment_hashes)))
        kept |= winnow(segment_hashes)
    return Fingerprints(extract, tuple(tokens), tuple(hashes), tuple(starts), frozenset(kept))


def released_hashes(segments: list[Segment]) -> frozenset[int]:
    """Every k-gram hash of the material students received: all of it is boilerplate."""
    extract = Extract("", "", tuple(segments))
    return frozenset(fingerprint(extract).hashes)

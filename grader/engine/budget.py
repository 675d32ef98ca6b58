"""How much the worker may send back, so the trusted side stays small whatever it sends.

Every reply of one call (and every callback the student's code makes during it) is checked
against the assignment's ``ReplyBudget`` before it is decoded: a frame's size and its JSON
part are refused from the frame header, before anything is read; the bytes of all frames of
one call add up; and the decoded value may hold only so many items (JSON values plus array
elements) nested only so deep, counted on the JSON tree before any value is built. A reply
over budget is the student's failure (``ReplyTooLarge``), with a message that says which
limit and where it is set. The defaults fit the course's reference solutions with a wide
margin (see ``grade validate``, which reports what the references need).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ProtocolError

if TYPE_CHECKING:
    from ..config import Limits

MIB = 1 << 20


class ReplyTooLarge(ProtocolError):
    """A reply of the student's code is over the assignment's reply budget."""


@dataclass(frozen=True)
class ReplyBudget:
    """Bounds on what one call may bring back (see ``config.Limits`` for each key)."""

    frame_bytes: int = 32 * MIB
    json_bytes: int = 1 * MIB
    call_bytes: int = 128 * MIB
    items: int = 2_000_000
    depth: int = 32

    @classmethod
    def from_limits(cls, limits: Limits) -> ReplyBudget:
        return cls(
            frame_bytes=int(limits.max_reply_mb * MIB),
            json_bytes=int(limits.max_reply_json_kb * 1024),
            call_bytes=int(limits.max_call_mb * MIB),
            items=int(limits.max_reply_items),
            depth=int(limits.max_reply_depth),
        )

    def frame_limit(self, spent: int) -> int:
        """The largest next frame of a call that has received ``spent`` bytes so far."""
        left = self.call_bytes - spent
        if left <= 0:
            raise ReplyTooLarge(
                f"the replies of one call passed the {self.call_bytes / MIB:g} MiB allowed "
                "(max_call_mb in assignment.toml)"
            )
        return min(self.frame_bytes, left)

    def check_value(self, node: Any) -> None:
        """Count the items and depth of a tagged JSON value before it is decoded."""
        items = 0
        stack: list[tuple[Any, int]] = [(node, 0)]
        while stack:
            value, depth = stack.pop()
            if depth > self.depth:
                raise ReplyTooLarge(
                    f"your value is nested deeper than the {self.depth} levels allowed "
                    "(max_reply_depth in assignment.toml)"
                )
            items += 1
            if isinstance(value, dict):
                for tag, body in value.items():
                    if tag in ("a", "g"):
                        items += _elements(body)
                    elif isinstance(body, list):
                        stack.extend((item, depth + 1) for item in body)
            elif isinstance(value, list):
                stack.extend((item, depth) for item in value)
            if items > self.items:
                raise ReplyTooLarge(
                    f"your value holds more than the {self.items:,} items (numbers, strings, "
                    "array elements) allowed in one reply (max_reply_items in assignment.toml)"
                )


def _elements(body: Any) -> int:
    """Elements of an array on the wire, from its declared shape (the wire checks the rest)."""
    if isinstance(body, list) and len(body) == 3 and isinstance(body[2], list):
        shape = body[2]
        if all(isinstance(n, int) and n >= 0 for n in shape):
            return math.prod(shape)
    return 0

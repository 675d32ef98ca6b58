"""What counts as a page fetching something from elsewhere."""

from __future__ import annotations

import re

# Attributes that make a browser fetch, and CSS that does; data: URIs and #anchors are local.
_FETCHING = re.compile(
    r"""(?:\b(?:src|href|srcset|action|poster|data|xlink:href)\s*=\s*["']?\s*(?!data:|#)"""
    r"""(?:[a-z][a-z0-9+.-]*:|//))"""
    r"""|url\(\s*["']?\s*(?!data:|#)[a-z/]|@import""",
    re.IGNORECASE,
)


def external_references(html: str) -> list[str]:
    """Every place in ``html`` that would load something from another host or scheme."""
    return [match.group(0) for match in _FETCHING.finditer(html)]

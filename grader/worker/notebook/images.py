"""Images made smaller, so a notebook's figures give way before its text is cut."""

from __future__ import annotations

import base64
import io

IMAGES = ("image/png", "image/jpeg")
MAX_SCALED_PIXELS = 4_000_000
"""Larger images are left out, never decoded (a small file may hold a huge image)."""


def half_size(encoded: str, mime: str) -> str | None:
    """The image at half its width and height, same format; None when it cannot be read
    or is too large to decode safely (then it is left out instead)."""
    try:
        from PIL import Image  # noqa: PLC0415 - only when a notebook is over its budget

        raw = base64.b64decode(encoded, validate=False)
        with Image.open(io.BytesIO(raw)) as image:
            width, height = image.size
            if width * height > MAX_SCALED_PIXELS or width < 32 or height < 32:
                return None
            small = image.resize((width // 2, height // 2))
            buffer = io.BytesIO()
            if mime == "image/jpeg":
                small.convert("RGB").save(buffer, format="JPEG", quality=80)
            else:
                small.save(buffer, format="PNG", optimize=True)
        return base64.b64encode(buffer.getvalue()).decode("ascii")
    except Exception:  # noqa: BLE001 - an unreadable image is left out instead
        return None

"""A perceptual fingerprint of a photo, to warn when a near-copy is uploaded again.

The 64-bit difference hash (dHash): shrink to 9 x 8 grey pixels and record, for each row, whether
each pixel is brighter than its right-hand neighbour. Resizing, re-saving at another quality and
mild colour changes move few bits; a different photo differs in about half of them. It is
computed from a derivative-sized image the pipeline already decoded, so it costs well under a
millisecond.
"""

from __future__ import annotations

import re

from PIL import Image

HASH_LENGTH = 16  # hex digits, 64 bits
# Distances up to this usually mean "the same photo, resized or re-saved"; above about 20 the
# photos are unrelated. The caller decides what to do with the number.
NEAR_COPY_DISTANCE = 10
_HEX64 = re.compile(r"[0-9a-f]{16}")


def dhash(image: Image.Image) -> str:
    """16 lowercase hex digits; pass the oriented, colour-converted image (any size, any mode)."""
    # BOX averages every source pixel, which is what makes the hash stable under resizing.
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    small = image.resize((9, 8), Image.Resampling.BOX).convert("L")
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for column in range(8):
            left = pixels[row * 9 + column]
            bits = (bits << 1) | (left > pixels[row * 9 + column + 1])
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """How many of the 64 bits differ between two hashes from ``dhash``."""
    for value in (a, b):
        if not _HEX64.fullmatch(value.lower()):
            raise ValueError(f"not a 64-bit perceptual hash: {value!r}")
    return (int(a, 16) ^ int(b, 16)).bit_count()

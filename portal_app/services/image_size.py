"""A picture's size in pixels, read from its header (PNG, GIF, WebP, JPEG), and how large a picture
the portal lets a browser draw: a file of a few KB may declare 20,000 x 20,000 pixels, which takes
1.6 GB to show on a phone. Product pictures above it are refused; ticket attachments above it are
kept as files, not drawn.
"""

from __future__ import annotations

MAX_SIDE = 8000  # pixels, and at most MAX_PIXELS in all (a 6000 x 4000 photo fits)
MAX_PIXELS = 24_000_000


def too_large(size: tuple[int, int] | None) -> bool:
    return size is not None and (max(size) > MAX_SIDE or size[0] * size[1] > MAX_PIXELS)


def declared_size(data: bytes, content_type: str) -> tuple[int, int] | None:
    """(width, height) in pixels as the picture's header declares them, or None where the header
    does not say (the browser then shows nothing of it either)."""
    if content_type == "image/png" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if content_type == "image/gif" and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if content_type == "image/webp":
        return _webp_size(data)
    if content_type == "image/jpeg":
        return _jpeg_size(data)
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:  # extended: the canvas, 24 bits each, less one
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and len(data) >= 25:  # lossless: 14 bits each, less one, after the signature byte
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and len(data) >= 30:  # lossy: the key frame's 14-bit sizes
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The frame header's size (SOF0 to SOF15, not DHT, JPG or DAC), walking the segments."""
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[at + 7:at + 9], "big"), int.from_bytes(data[at + 5:at + 7], "big")
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return None

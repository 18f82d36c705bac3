"""Small real image files, built in memory, for the upload tests (each case a real file, no fixtures on disk)."""

import io
import os
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def image_bytes(image_format: str = "PNG", size=(120, 80), color=(29, 78, 216), **save_options) -> bytes:
    mode = "RGB" if image_format == "JPEG" else "RGBA"
    image = Image.new(mode, size, color)
    # A second colour, so the picture is not one flat block and compresses like a real logo.
    image.paste((250, 200, 20), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    image.save(out, format=image_format, **save_options)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_file(name="logo.png", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", **kwargs), "image/png")


def jpeg_file(name="logo.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")


def webp_file(name="logo.webp", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("WEBP", **kwargs), "image/webp")


SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="alert(document.cookie)">
  <rect width="64" height="64" fill="#1d4ed8"/><script>alert(1)</script>
</svg>
"""


def svg_file(name="logo.svg") -> SimpleUploadedFile:
    return upload(name, SVG, "image/svg+xml")


def noise_png_bytes(size=(96, 96)) -> bytes:
    """A PNG that does not compress: its pixel data runs over many bytes, so cutting it is easy."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def truncated_png_file(name="logo.png") -> SimpleUploadedFile:
    data = noise_png_bytes()
    return upload(name, data[: len(data) // 2], "image/png")


def truncated_jpeg_file(name="logo.jpg") -> SimpleUploadedFile:
    image = Image.frombytes("RGB", (96, 96), os.urandom(96 * 96 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    data = out.getvalue()
    return upload(name, data[: len(data) // 2], "image/jpeg")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def bomb_png_bytes(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width x height pixels, all black, that compresses to a few kilobytes."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit per pixel, greyscale
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row * 500) for _ in range(height // 500)]
    chunks.append(compressor.compress(row * (height % 500)))
    chunks.append(compressor.flush())
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(chunks)) + _chunk(b"IEND", b"")


def bomb_png_file(name="logo.png", width: int = 20_000, height: int = 20_000) -> SimpleUploadedFile:
    return upload(name, bomb_png_bytes(width, height), "image/png")


def too_big_png_file(name="logo.png") -> SimpleUploadedFile:
    """Over 2 MB of incompressible pixels: a real PNG, just too heavy."""
    return upload(name, noise_png_bytes((900, 900)), "image/png")

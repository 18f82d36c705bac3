"""Safe image uploads: check what a file really is, then keep only our own re-encoding of it.

An upload is accepted when Pillow identifies it as PNG, JPEG or WebP, it is at most 2 MB, its
pixel count is sane (no decompression bombs), it decodes completely (not truncated) and its
name and declared content type agree with what it is. Nothing a person uploads is ever served as
it was sent: each accepted image is re-encoded to PNG in the fixed square sizes the pages use,
under random names, through Django's default storage (local files, or S3 when configured).
"""

import io
import secrets
import struct
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# 16 megapixels (4096 x 4096) is far more than a logo needs, and bounds the memory one decode uses.
MAX_PIXELS = 4096 * 4096
ACCEPTED = "PNG, JPEG or WebP"
ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp"

_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG", ".webp": "WEBP"}
_CONTENT_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/pjpeg": "JPEG", "image/webp": "WEBP"}
# Browsers send this when they do not know; it declares nothing, so it cannot contradict the content.
_UNDECLARED_TYPES = {"", "application/octet-stream"}
_LABELS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, Image.DecompressionBombError)


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check, decoded and turned upright, ready to re-encode."""

    image: Image.Image
    format: str


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_image_upload(upload) -> CheckedImage:
    """The decoded image, or a ValidationError whose message says plainly what is wrong."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _refuse(f"This file is {size / 1_048_576:.1f} MB; the limit is 2 MB.", "too_big")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse("This file is larger than 2 MB, the limit.", "too_big")
    if not data:
        raise _refuse("This file is empty.", "empty")
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice that; a warning here is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image_format = _identify(data)
        _refuse_mismatch(upload, image_format)
        image = _decode(data)
    return CheckedImage(image=image, format=image_format)


def _identify(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data), formats=list(_LABELS)) as image:
            image_format, (width, height) = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        if _looks_like_svg(data):
            raise _refuse(f"SVG images are not accepted. Upload a {ACCEPTED} image.", "svg") from exc
        raise _refuse(f"This file is not a {ACCEPTED} image.", "not_an_image") from exc
    except _DECODE_ERRORS as exc:
        raise _refuse("This image is damaged or incomplete.", "damaged") from exc
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    return image_format


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    dimensions = f" ({width} × {height})" if width else ""
    return _refuse(
        f"This image has too many pixels{dimensions}. Upload one of at most 4096 × 4096 pixels.", "too_many_pixels"
    )


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in data[:65536].lower()


def _refuse_mismatch(upload, image_format: str) -> None:
    label = _LABELS[image_format]
    suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if suffix and _EXTENSIONS.get(suffix) != image_format:
        raise _refuse(
            f"This file is named {suffix} but it is a {label} image. Upload it with a name that matches its type.",
            "mismatch",
        )
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in _UNDECLARED_TYPES and _CONTENT_TYPES.get(content_type) != image_format:
        raise _refuse(f"This file was sent as {content_type} but it is a {label} image.", "mismatch")


def _decode(data: bytes) -> Image.Image:
    try:
        # verify() walks the whole file (PNG checksums, chunk lengths) without decoding it ...
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        # ... and a full decode of a fresh copy catches what verify() cannot (a cut-off JPEG).
        image = Image.open(io.BytesIO(data))
        image.load()
        return ImageOps.exif_transpose(image).convert("RGBA")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except _DECODE_ERRORS as exc:
        raise _refuse("This image is damaged or incomplete (was the upload cut off?).", "damaged") from exc


def render_square(image: Image.Image, size: int) -> bytes:
    """A PNG of size x size pixels: the image scaled to fit, centered on a transparent square."""
    fitted = ImageOps.contain(image, (size, size), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    canvas.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2), fitted)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store_renditions(checked: CheckedImage, *, folder: str, sizes: Mapping[str, int]) -> dict[str, str]:
    """Writes one PNG per size under a fresh random name; returns {field name: stored name}."""
    token = secrets.token_urlsafe(18)
    stored = {}
    try:
        for field, size in sizes.items():
            name = f"{folder}/{token}-{size}.png"
            stored[field] = default_storage.save(name, ContentFile(render_square(checked.image, size)))
    except Exception:
        delete_files(stored.values())
        raise
    return stored


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@contextmanager
def new_renditions(checked: CheckedImage | None, *, folder: str, sizes: Mapping[str, int]) -> Iterator[dict]:
    """Stores the renditions before the block and deletes them again if the block fails.

    Put the transaction inside this block, so files written for a change that rolled back do
    not stay behind: ``with new_renditions(...) as names, transaction.atomic(): ...``."""
    stored = store_renditions(checked, folder=folder, sizes=sizes) if checked is not None else {}
    try:
        yield stored
    except BaseException:
        delete_files(stored.values())
        raise


def new_logo_files(checked: CheckedImage | None, model):
    """new_renditions in the sizes and folder a LogoMixin model declares."""
    return new_renditions(checked, folder=model.LOGO_FOLDER, sizes=model.LOGO_SIZES)


def replace_logo(instance, stored: Mapping[str, str]) -> list[str]:
    """Points ``instance``'s logo fields at ``stored`` ({} removes the logo) and deletes the old
    files once the surrounding transaction commits. Returns the fields to save."""
    fields = list(instance.LOGO_SIZES)
    old = instance.logo_names()
    for field in fields:
        setattr(instance, field, stored.get(field, ""))
    if old:
        transaction.on_commit(lambda: delete_files(old))
    return fields


class ImageUploadField(forms.FileField):
    """A form field whose cleaned value is a CheckedImage, or None when no file was chosen.

    Removing an existing image is a separate, explicit choice in the form, never an empty upload."""

    widget = forms.FileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"{ACCEPTED}, up to 2 MB. Shown in a square, so a square image looks best.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTRIBUTE)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_image_upload(upload) if upload else None

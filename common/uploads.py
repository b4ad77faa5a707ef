"""Uploaded files: checked by their content, stored outside the static tree,
and handed out only by views that have checked who asks.

What arrives is treated as hostile:
- a body over the limit is refused from its Content-Length, before it is read
  (`RequestSizeLimitMiddleware`);
- the type is read from the content, never from the name; a name that claims
  another accepted type (a PNG called `.pdf`) is refused, and the stored name
  and extension come from the detected type (`photo.png.html` → `photo.png`);
- an image is decoded and written again by Pillow, after a cap on its pixels:
  only the pixels stay (no appended payload, no EXIF, orientation applied); a
  PNG with bytes after its end, or markup after a JPEG's, is refused;
- a PDF with JavaScript, a launch action, an embedded file or rich media is
  refused, its compressed streams included (a byte scan, not a full parser).
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from common.storage import AtomicFileSystemStorage
from common.words import file_size

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A request body may carry one file and its form fields; beyond this it is refused unread.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 512 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Inflating a PDF's streams to look inside stops here (a small PDF can hide a bomb).
MAX_INFLATED_BYTES = 50 * 1024 * 1024

# The first bytes that each accepted format starts with.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
IMAGE_TYPES = {"image/jpeg", "image/png"}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# What a name's last extension claims, when it names a type we accept.
CLAIMED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
# Extensions dropped from a file's name before the detected one is added.
KNOWN_EXTENSIONS = {
    *CLAIMED_TYPES,
    *(".htm", ".html", ".svg", ".svgz", ".exe", ".js", ".php", ".gif", ".webp", ".txt"),
}
# PDF names that run something or carry something to run.
ACTIVE_PDF_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"}
ACTIVE_PDF_NAMES |= {b"RichMedia"}
PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
PDF_STREAM = re.compile(rb"stream\r?\n")
MARKUP = re.compile(rb"<\s*(?:html|script|svg|body|iframe|\?php|!doctype)", re.IGNORECASE)


def private_storage() -> AtomicFileSystemStorage:
    """Files under DJANGO_MEDIA_ROOT (read when used, not at import), written whole
    or not at all; the portal routes no URL to them."""
    return AtomicFileSystemStorage()


@dataclass(frozen=True)
class CheckedFile:
    """What was accepted: the bytes to store, their type, and a display name."""

    content: bytes
    content_type: str
    name: str  # the uploaded name's stem with the detected extension

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.name)


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def display_name(uploaded_name: str, content_type: str) -> str:
    """The uploaded name without its path or type extensions, with the detected one."""
    stem = PurePath(uploaded_name.replace("\\", "/")).name
    while (suffix := PurePath(stem).suffix.lower()) in KNOWN_EXTENSIONS and suffix:
        stem = stem[: -len(suffix)]
    stem = stem.strip(" .")[:150] or "document"
    return stem + EXTENSIONS[content_type]


def check_upload(file, *, images_only: bool = False) -> CheckedFile:
    """Accept a file, re-encoded if it is an image, or refuse it with a readable reason."""
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_big",
            params={"size": file_size(file.size), "limit": file_size(MAX_UPLOAD_BYTES)},
        )
    file.seek(0)
    data = file.read()
    content_type = sniff_content_type(data[:16])
    if content_type is None or (images_only and content_type not in IMAGE_TYPES):
        message = (
            _("Only JPEG or PNG images are accepted.")
            if images_only
            else _("Only PDF, JPEG or PNG files are accepted.")
        )
        raise ValidationError(message, code="bad_type")
    claimed = CLAIMED_TYPES.get(PurePath(file.name or "").suffix.lower())
    if claimed is not None and claimed != content_type:
        raise ValidationError(
            _("The file's name says %(claimed)s but its content is %(actual)s: it is refused."),
            code="type_mismatch",
            params={
                "claimed": EXTENSIONS[claimed].lstrip(".").upper(),
                "actual": EXTENSIONS[content_type].lstrip(".").upper(),
            },
        )
    if content_type == "application/pdf":
        check_pdf(data)
    else:
        data = reencode_image(data, content_type)
    return CheckedFile(data, content_type, display_name(file.name or "", content_type))


def check_pdf(data: bytes) -> None:
    for text in (data, *_inflated_streams(data)):
        names = {_decode_name(match) for match in PDF_NAME.findall(text)}
        if names & ACTIVE_PDF_NAMES:
            raise ValidationError(
                _(
                    "This PDF contains JavaScript, an action that opens something or an "
                    "embedded file, which the portal refuses. Print it to a new PDF, or scan "
                    "it, and send that file."
                ),
                code="active_pdf",
            )


def _decode_name(name: bytes) -> bytes:
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name)


def _inflated_streams(data: bytes):
    """The content of each compressed stream, inflated up to a total cap."""
    budget = MAX_INFLATED_BYTES
    view = memoryview(data)
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(view[match.end() :], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode the image and write its pixels again, EXIF and trailing bytes left behind."""
    refused = ValidationError(_("This image cannot be read: it is refused."), code="bad_image")
    if content_type == "image/png" and not data.endswith(b"IEND\xaeB`\x82"):
        raise ValidationError(
            _("This PNG image carries something after its end: it is refused."),
            code="trailing_data",
        )
    if content_type == "image/jpeg" and MARKUP.search(data[data.rfind(b"\xff\xd9") :]):
        raise ValidationError(
            _("This JPEG image carries something after its end: it is refused."),
            code="trailing_data",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is %(width)s × %(height)s pixels; the limit is 40 megapixels."),
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            if image.format != PILLOW_FORMATS[content_type]:
                raise refused
            icc_profile = image.info.get("icc_profile")
            image.load()
            upright = ImageOps.exif_transpose(image)
            output = io.BytesIO()
            options = {"icc_profile": icc_profile} if icc_profile else {}
            if content_type == "image/jpeg":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                upright.save(output, "JPEG", quality=90, **options)
            else:
                upright.save(output, "PNG", **options)
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The image is too large in pixels; the limit is 40 megapixels."),
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refused from None
    return output.getvalue()


class RequestSizeLimitMiddleware:
    """Answer 413 to a body over the limit, from its Content-Length, before
    anything reads it (a 60 MB upload is never read whole)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_REQUEST_BYTES:
            return render(request, "413.html", status=413)
        return self.get_response(request)


def serve_file(field_file, *, content_type: str, filename: str, inline: bool = False):
    """The file as a download (or inline for an image), never sniffed by the browser."""
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if not inline else "private, max-age=3600"
    return response

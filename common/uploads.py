"""Uploaded files: checked by their content, stored outside the static tree,
and handed out only by views that have checked who asks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# The first bytes that each accepted format starts with.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
IMAGE_TYPES = {"image/jpeg", "image/png"}


def private_storage() -> FileSystemStorage:
    """Files under DJANGO_MEDIA_ROOT (read when used, not at import); the
    portal routes no URL to them."""
    return FileSystemStorage()


def megabytes(size: int) -> str:
    """A size in the reader's language: « 6,0 Mo » in French, "6.0 MB" in English
    (Django's own filter says « Mio », which nobody here reads)."""
    return gettext("%(number)s MB") % {"number": number_format(size / 1024 / 1024, 1)}


def sniff_content_type(file) -> str | None:
    position = file.tell()
    head = file.read(16)
    file.seek(position)
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def validate_document(file, *, images_only: bool = False) -> str:
    """Return the file's real content type, or refuse it with a readable reason."""
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_big",
            params={"size": megabytes(file.size), "limit": megabytes(MAX_UPLOAD_BYTES)},
        )
    content_type = sniff_content_type(file)
    if content_type is None or (images_only and content_type not in IMAGE_TYPES):
        message = (
            _("Only JPEG or PNG images are accepted.")
            if images_only
            else _("Only PDF, JPEG or PNG files are accepted.")
        )
        raise ValidationError(message, code="bad_type")
    return content_type


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

"""Hostile files, each built by the test: refused with a readable reason and
nothing stored, or accepted re-encoded under a name from their real type."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.uploads import MAX_UPLOAD_BYTES, check_upload, display_name
from members.models import Document
from tests.factories import PDF_BYTES, make_application
from tests.workshops.factories import make_workshop
from workshops.models import WorkshopDocument, WorkshopPhoto


def image_bytes(file_format: str = "PNG", size=(40, 20), exif_orientation: int | None = None):
    image = Image.new("RGB", size, "red")
    image.putpixel((0, 0), (0, 0, 255))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (12.0, 38.0, 0.0)}  # GPS: where the photo was taken
    if exif_orientation:
        exif[0x0112] = exif_orientation
    buffer = io.BytesIO()
    image.save(buffer, file_format, exif=exif.tobytes())
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header that declares a huge image, with a tiny body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes, **options) -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content), **options)
    return error.value.code


PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj\n"
    b"2 0 obj<</S/JavaScript/JS(app.alert('x'))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.png", image_bytes() + b"<html><script>alert(1)</script></html>", "trailing_data"),
        ("photo.jpg", image_bytes("JPEG") + b"<html><script>alert(1)</script>", "trailing_data"),
        ("huge.png", png_declaring(60000, 60000), "too_many_pixels"),
        ("large.png", png_declaring(8000, 6000), "too_many_pixels"),
        ("statuts.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "bad_type"),
        ("statuts.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "bad_type"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "bad_type"),
        ("statuts.pdf", image_bytes(), "type_mismatch"),
        ("photo.png", PDF_BYTES, "type_mismatch"),
        ("statuts.pdf", PDF_WITH_JAVASCRIPT, "active_pdf"),
        (
            "statuts.pdf",
            PDF_WITH_JAVASCRIPT.replace(b"/JavaScript", b"/J#61vaScript"),
            "active_pdf",
        ),
        ("launch.pdf", b"%PDF-1.4\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n%%EOF", "active_pdf"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10 + b"IEND\xaeB`\x82", "bad_image"),
    ],
)
def test_a_hostile_file_is_refused(name, content, code):
    assert refusal(name, content) == code


def test_javascript_hidden_in_a_compressed_stream_is_refused():
    hidden = zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>")
    pdf = b"%PDF-1.5\n1 0 obj<</Filter/FlateDecode>>stream\n" + hidden + b"\nendstream\n%%EOF"
    assert refusal("statuts.pdf", pdf) == "active_pdf"


def test_a_photo_must_be_an_image():
    assert refusal("note.pdf", PDF_BYTES, images_only=True) == "bad_type"


def test_a_file_over_the_limit_is_refused_before_its_content_is_read():
    assert refusal("big.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES) == "too_big"


def test_an_image_is_reencoded_without_exif_and_upright():
    checked = check_upload(upload("IMG_1234.JPG", image_bytes("JPEG", exif_orientation=6)))
    assert checked.content_type == "image/jpeg"
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif()
        assert image.size == (20, 40)  # turned as its orientation said


def test_a_png_keeps_its_pixels_and_loses_its_metadata():
    checked = check_upload(upload("photo.png", image_bytes()))
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.format == "PNG"
        assert image.getpixel((0, 0)) == (0, 0, 255)
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("uploaded", "content_type", "named"),
    [
        ("statuts.pdf", "application/pdf", "statuts.pdf"),
        ("photo.png.html", "image/png", "photo.png"),
        ("C:\\Users\\awa\\récépissé.PDF", "application/pdf", "récépissé.pdf"),
        ("scan", "image/jpeg", "scan.jpg"),
        ("", "application/pdf", "document.pdf"),
    ],
)
def test_a_stored_name_takes_its_extension_from_the_content(uploaded, content_type, named):
    assert display_name(uploaded, content_type) == named


@pytest.mark.django_db
def test_a_membership_document_is_stored_under_a_random_name_with_its_real_extension(
    client, representative, organisation_a
):
    client.force_login(representative)
    response = client.post(
        reverse("members:add-document"),
        {"kind": "statutes", "file": upload("photo.png.html", image_bytes())},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "photo.png"
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")
    assert "photo" not in document.file.name
    download = client.get(reverse("members:document", args=[document.pk]))
    assert 'filename="photo.png"' in download["Content-Disposition"]
    assert download["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_a_refused_file_leaves_nothing_stored(client, representative, organisation_a, settings):
    client.force_login(representative)
    hostile = image_bytes() + b"<html><script>alert(1)</script></html>"
    response = client.post(
        reverse("members:add-document"), {"kind": "statutes", "file": upload("a.png", hostile)}
    )
    assert "après sa fin" in response.content.decode()
    assert not Document.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.django_db
def test_a_workshop_photo_is_stored_reencoded(client, secretariat, settings):
    workshop = make_workshop()
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:photo-add", args=[workshop.pk]),
        {"caption": "Photo de famille", "file": upload("famille.jpg", image_bytes("JPEG"))},
    )
    assert response.status_code == 302
    photo = WorkshopPhoto.objects.get()
    assert photo.file.name.endswith(".jpg")
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


@pytest.mark.django_db
def test_a_pdf_with_javascript_is_refused_as_a_workshop_document(client, secretariat):
    workshop = make_workshop()
    client.force_login(secretariat)
    response = client.post(
        reverse("workshops:document-add", args=[workshop.pk]),
        {"title": "Note", "file": upload("note.pdf", PDF_WITH_JAVASCRIPT)},
    )
    assert response.status_code == 200
    assert "JavaScript" in response.content.decode()
    assert not WorkshopDocument.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_limit_is_answered_413_unread(client, representative):
    make_application(representative)
    client.force_login(representative)

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    response = client.generic(
        "POST",
        reverse("members:add-document"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "5 Mo" in response.content.decode()

"""Pages seen with a session stay out of every cache; no page may use the camera,
the microphone or the location."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Document
from tests.factories import PDF_BYTES, make_application

pytestmark = pytest.mark.django_db


def kept_out_of_caches(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_public_page_may_be_cached_and_refuses_device_features(client):
    response = client.get("/")
    assert not kept_out_of_caches(response)
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_a_signed_in_page_is_kept_out_of_caches(client, secretariat):
    client.force_login(secretariat)
    response = client.get("/workshops/new/")
    assert response.status_code == 200
    assert kept_out_of_caches(response)
    assert "private" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_an_export_is_kept_out_of_caches(client, secretariat):
    client.force_login(secretariat)
    for url in ("/reports/figures.csv", "/reports/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        assert kept_out_of_caches(response), url


def test_a_downloaded_document_is_kept_out_of_caches(client, representative):
    make_application(representative)
    client.force_login(representative)
    upload = SimpleUploadedFile("statuts.pdf", PDF_BYTES, content_type="application/pdf")
    client.post("/membership/documents/add/", {"kind": "statutes", "file": upload})
    response = client.get(f"/membership/documents/{Document.objects.get().pk}/")
    assert response.status_code == 200
    assert kept_out_of_caches(response)


def test_signing_in_marks_the_answer_that_sets_the_cookie(client, representative):
    from tests.factories import PASSWORD

    response = client.post("/account/login/", {"login": representative.email, "password": PASSWORD})
    assert "sessionid" in response.cookies
    assert kept_out_of_caches(response)

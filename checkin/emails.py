"""The e-mail that carries a participant's certificate."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from common.mail import owe_email
from workshops.models import Attendance


def send_certificate(attendance: Attendance, pdf: bytes, *, address: str, language: str) -> None:
    """Owe checkin/emails/certificate_subject.txt, .txt and .html with the PDF attached,
    in the caller's transaction."""
    context = {
        "person": attendance.person,
        "workshop": attendance.workshop,
        "site_url": settings.SITE_URL,
        "LANGUAGE_CODE": language,
    }
    with translation.override(language):
        subject = render_to_string("checkin/emails/certificate_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("checkin/emails/certificate.txt", context),
            to=[address],
        )
        message.attach_alternative(
            render_to_string("checkin/emails/certificate.html", context), "text/html"
        )
    name = slugify(attendance.person.full_name) or "certificate"
    message.attach(f"{name}.pdf", pdf, "application/pdf")
    owe_email(message, kind="certificate")

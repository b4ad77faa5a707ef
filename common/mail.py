"""E-mails, each in the language its recipient chose, owed before they are sent.

A change that owes an e-mail calls `send_to_address` (or `owe_email`) inside its
own transaction: the message is written as an `OutgoingEmail` row with the task
that sends it, so both are committed with the change or not at all, and nothing
waits on the mail server in the request. The worker sends it (`common.delivery`),
tries again with growing delays while the server refuses, then lists it as failed
for the secretariat, who may send it again (`accounts.services.send_email_again`).
A message is sent once: its row says when it was sent, and every try first checks
that it was not.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from common.models import OutgoingEmail
from common.tasks import deliver_email


def send_to_address(address: str, *, language: str, template: str, context: dict) -> None:
    """Owe templates/emails/<template>_subject.txt, .txt and .html to one address."""
    with translation.override(language):
        full_context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"emails/{template}_subject.txt", full_context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string(f"emails/{template}.txt", full_context),
            to=[address],
        )
        message.attach_alternative(
            render_to_string(f"emails/{template}.html", full_context), "text/html"
        )
    owe_email(message, kind=template)


def send_to_users(users: Iterable, template: str, context: dict) -> None:
    for user in users:
        if user.email and user.is_active:
            send_to_address(
                user.email,
                language=user.language,
                template=template,
                context={**context, "recipient": user},
            )


def owe_email(message: EmailMessage, *, kind: str) -> list[OutgoingEmail]:
    """Write the message, one row per recipient, and enqueue its sending, in the
    caller's transaction."""
    body, html = message.body, ""
    if message.content_subtype == "html":
        body, html = "", message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    attachments = [
        {"name": name, "mimetype": mimetype, "content": base64.b64encode(_bytes(content)).decode()}
        for name, content, mimetype in message.attachments
    ]
    owed = []
    with transaction.atomic():
        for address in message.to:
            email = OutgoingEmail.objects.create(
                kind=kind,
                to=address,
                from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                subject=message.subject[:500],
                body=body,
                html=html,
                attachments=attachments,
            )
            deliver_email.enqueue(email.pk)
            owed.append(email)
    return owed


def forget_emails_to(person) -> None:
    """Erasure: the e-mails owed or sent to the person's address go."""
    if person.email:
        OutgoingEmail.objects.filter(to__iexact=person.email).delete()


def _bytes(content: bytes | str) -> bytes:
    return content.encode() if isinstance(content, str) else content

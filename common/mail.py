"""E-mails, each in the language its recipient chose."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_to_address(address: str, *, language: str, template: str, context: dict) -> None:
    """Send templates/emails/<template>_subject.txt, .txt and .html to one address.

    Call it from `transaction.on_commit`, so nothing is sent for a change that
    did not happen.
    """
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
    message.send()


def send_to_users(users: Iterable, template: str, context: dict) -> None:
    for user in users:
        if user.email and user.is_active:
            send_to_address(
                user.email,
                language=user.language,
                template=template,
                context={**context, "recipient": user},
            )

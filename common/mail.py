"""E-mails, each in the language its recipient chose, owed before they are sent.

A change that owes an e-mail calls `send_to_address` (or `owe_email`) inside its
own transaction: the message is written as an `OutgoingEmail` row with the task
that sends it, so both are committed with the change or not at all, and nothing
waits on the mail server in the request. The worker sends it (`deliver`), tries
again with growing delays while the server refuses, then lists it as failed for
the secretariat, who may send it again. A message is sent once: its row says
when it was sent, and every try first checks that it was not.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from common.models import OutgoingEmail

# Longer than the mail server's timeout (EMAIL_TIMEOUT): a worker that died while
# sending leaves the e-mail to the next try after this.
SENDING_LEASE = datetime.timedelta(minutes=5)
# Sent e-mails (to whom, what, when) are kept this long, then deleted.
SENT_KEPT = datetime.timedelta(days=30)


class MailError(Exception):
    """A request about an owed e-mail that cannot be granted, with a readable reason."""


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
    from common.tasks import deliver_email

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


def deliver(email_id: int) -> None:
    """Send an owed e-mail unless it was sent, or another worker is sending it; a
    refusal is recorded and raised, for the task to be tried again."""
    now = timezone.now()
    taken = (
        OutgoingEmail.objects.filter(pk=email_id, sent_at=None)
        .filter(Q(sending_since=None) | Q(sending_since__lt=now - SENDING_LEASE))
        .update(sending_since=now, tries=F("tries") + 1)
    )
    if not taken:
        return
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        message_of(email).send()
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email_id).update(
            sending_since=None, last_error=f"{type(error).__name__}: {error}"[:500]
        )
        raise
    # What was said goes; to whom, what and when stay.
    OutgoingEmail.objects.filter(pk=email_id).update(
        sent_at=timezone.now(),
        sending_since=None,
        failed_at=None,
        body="",
        html="",
        attachments=[],
    )


def message_of(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message as it was owed, under one Message-ID whatever the try, so that a
    mail server that received it twice can tell."""
    domain = parseaddr(email.from_email)[1].rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=[email.to],
        headers={"Message-ID": f"<owed-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"},
    )
    if email.html and email.body:
        message.attach_alternative(email.html, "text/html")
    elif email.html:
        message.body, message.content_subtype = email.html, "html"
    for attachment in email.attachments:
        message.attach(
            attachment["name"], base64.b64decode(attachment["content"]), attachment["mimetype"]
        )
    return message


def record_undelivered(email_id: int) -> None:
    """The last try failed: the secretariat sees it among the e-mails not sent."""
    OutgoingEmail.objects.filter(pk=email_id, sent_at=None).update(failed_at=timezone.now())


def send_email_again(email: OutgoingEmail, *, by) -> None:
    """Try a failed e-mail again, with as many tries as a new one (audited)."""
    from common.tasks import deliver_email

    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if email.sent_at is not None:
            raise MailError(_("This e-mail has been sent already."))
        if email.failed_at is None:
            raise MailError(_("This e-mail is being sent already."))
        email.failed_at = None
        email.save(update_fields=["failed_at"])
        log_action(AuditAction.EMAIL_SENT_AGAIN, actor=by, target=email, kind=email.kind)
        deliver_email.enqueue(email.pk)


def forget_sent_emails(now: datetime.datetime | None = None) -> int:
    """Delete the record of e-mails sent long ago; return how many."""
    before = (now or timezone.now()) - SENT_KEPT
    deleted, _rows = OutgoingEmail.objects.filter(sent_at__lt=before).delete()
    return deleted


def forget_emails_to(person) -> None:
    """Erasure: the e-mails owed or sent to the person's address go."""
    if person.email:
        OutgoingEmail.objects.filter(to__iexact=person.email).delete()


def _bytes(content: bytes | str) -> bytes:
    return content.encode() if isinstance(content, str) else content

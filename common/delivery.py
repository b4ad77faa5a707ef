"""What the worker does with owed e-mails: send each once, record the last refusal,
and forget the sent ones after a while. Changes owe e-mails through `common.mail`."""

from __future__ import annotations

import base64
import datetime
from email.utils import parseaddr

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from common.models import OutgoingEmail

# Longer than the mail server's timeout (EMAIL_TIMEOUT): a worker that died while
# sending leaves the e-mail to the next try after this.
SENDING_LEASE = datetime.timedelta(minutes=5)
# Sent e-mails (to whom, what, when) are kept this long, then deleted.
SENT_KEPT = datetime.timedelta(days=30)


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


def forget_sent_emails(now: datetime.datetime | None = None) -> int:
    """Delete the record of e-mails sent long ago; return how many."""
    before = (now or timezone.now()) - SENT_KEPT
    deleted, _rows = OutgoingEmail.objects.filter(sent_at__lt=before).delete()
    return deleted

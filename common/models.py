"""What the portal's models share."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str


class ChoiceLabels:
    """`get_FOO_display()` without rebuilding the field's choices on every call.

    Django makes a dictionary of all the choices each time a label is shown,
    which cost a list page of fifty rows about as much as its queries. The
    labels stay lazy, so each shows in the reader's language.
    """

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_acrss_labels")
        if labels is None:
            labels = field._acrss_labels = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)


class RateLimitCount(models.Model):
    """How many times something happened in one window of a limit (`common.ratelimit`),
    kept here when the shared cache is not Redis or does not answer."""

    key = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="ratelimit_one_count_per_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self) -> OutgoingEmailQuerySet:
        """Owed, tried until the worker gave up, and not sent since."""
        return self.filter(sent_at=None, failed_at__isnull=False)


class OutgoingEmail(models.Model):
    """An e-mail the portal owes someone: written, with its task, in the transaction of
    the change that owes it, then sent by the worker (`common/delivery.py`). Once sent,
    only to whom, what and when stay (the text goes), until the clean-up deletes it."""

    kind = models.CharField(max_length=100)
    to = models.CharField(max_length=254)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    # [{"name": …, "mimetype": …, "content": base64}]
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    tries = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # Set while a worker talks to the mail server: no second worker sends it meanwhile.
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        permissions = [("resend_email", "See the e-mails not sent, and send them again")]
        indexes = [models.Index(fields=["failed_at"], name="outgoing_email_failed")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"


# The task engine's models (`common/jobs.py`), registered with this app.
from common.jobs import Job, WorkerHeartbeat  # noqa: E402, F401

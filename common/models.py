"""What the portal's models share."""

from __future__ import annotations

from django.db import models
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

"""What the portal's models share."""

from __future__ import annotations

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

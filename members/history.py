"""The timeline of an application or an organisation, read from the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from members.models import Application, Organisation, VoteChoice

LABELS = {
    "organisation.registered": _("Organisation registered"),
    "organisation.updated": _("Profile updated"),
    "application.created": _("Application started"),
    "application.submitted": _("Application submitted"),
    "application.resubmitted": _("Application completed and resubmitted"),
    "application.information-requested": _("More information requested"),
    "application.voted": _("Vote cast"),
    "application.approved": _("Application approved"),
    "application.rejected": _("Application rejected"),
    "document.uploaded": _("Document added"),
    "document.removed": _("Document removed"),
    "representative.invited": _("Colleague invited"),
    "representative.added": _("Representative added"),
    "membership.suspend": _("Membership suspended"),
    "membership.reinstate": _("Membership reinstated"),
    "membership.withdraw": _("Membership withdrawn"),
}
# What the committee decides in private stays private until the decision.
HIDDEN_FROM_APPLICANTS = {"application.voted"}


def history_of(obj: Application | Organisation, *, for_applicant: bool) -> list[dict]:
    organisation = obj.organisation if isinstance(obj, Application) else obj
    targets = Q(
        target_type=ContentType.objects.get_for_model(Organisation), target_id=str(organisation.pk)
    )
    if isinstance(obj, Application):
        targets |= Q(
            target_type=ContentType.objects.get_for_model(Application), target_id=str(obj.pk)
        )
    entries = AuditEntry.objects.filter(targets).select_related("actor").order_by("at", "id")
    if for_applicant:
        entries = entries.exclude(action__in=HIDDEN_FROM_APPLICANTS)
    return [
        {
            "at": entry.at,
            "label": LABELS.get(entry.action, entry.action),
            "actor": entry.actor,
            "data": entry.data,
            "choice": VoteChoice(entry.data["choice"]).label if "choice" in entry.data else "",
        }
        for entry in entries
    ]

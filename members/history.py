"""The timeline of an application or an organisation, read from the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from audit.models import AuditAction, AuditEntry
from members.models import Application, Organisation, VoteChoice

# What the committee decides in private stays private until the decision.
HIDDEN_FROM_APPLICANTS = {AuditAction.VOTE_CAST}


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
            "label": entry.get_action_display(),
            "actor": entry.actor,
            "data": entry.data,
            "choice": VoteChoice(entry.data["choice"]).label if "choice" in entry.data else "",
        }
        for entry in entries
    ]

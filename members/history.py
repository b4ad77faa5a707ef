"""The timeline of an application or an organisation, read from the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from audit.models import AuditAction, AuditEntry
from members.models import Application, Organisation, VoteChoice

# What the committee decides in private stays private until the decision.
HIDDEN_FROM_APPLICANTS = {AuditAction.VOTE_CAST}
# What applicants read as the steering committee's, never as one member's.
COMMITTEE_ACTIONS = {
    AuditAction.INFORMATION_REQUESTED,
    AuditAction.APPLICATION_APPROVED,
    AuditAction.APPLICATION_REJECTED,
    AuditAction.MEMBERSHIP_SUSPENDED,
    AuditAction.MEMBERSHIP_REINSTATED,
    AuditAction.MEMBERSHIP_WITHDRAWN,
}


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
    colleagues = None
    if for_applicant:
        entries = entries.exclude(action__in=HIDDEN_FROM_APPLICANTS)
        colleagues = set(organisation.representatives.values_list("user_id", flat=True))
    return [
        {
            "at": entry.at,
            "label": entry.get_action_display(),
            # Applicants see their colleagues' names, and no one else's.
            "actor": entry.actor if colleagues is None or entry.actor_id in colleagues else None,
            "by_committee": colleagues is not None and entry.action in COMMITTEE_ACTIONS,
            "data": entry.data,
            "choice": VoteChoice(entry.data["choice"]).label if "choice" in entry.data else "",
        }
        for entry in entries
    ]

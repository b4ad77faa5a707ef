"""Who may check people in, decide self check-ins and produce certificates.

Only the secretariat and admins, as for every other page of a workshop's
records; anyone else gets 404, so a private event's existence is not revealed.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from checkin.models import SelfCheckIn
from workshops.permissions import get_attendance_for, get_workshop_for

__all__ = ["get_attendance_for", "get_self_check_in_for", "get_workshop_for"]


def get_self_check_in_for(user, workshop_pk: int, pk: int) -> SelfCheckIn:
    workshop = get_workshop_for(user, workshop_pk, edit=True)
    return get_object_or_404(
        SelfCheckIn.objects.select_related("workshop", "matched_person"), workshop=workshop, pk=pk
    )

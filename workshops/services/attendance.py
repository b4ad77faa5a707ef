"""Who attends a workshop, in which role, and on which days."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from members.models import Organisation
from workshops.models import Attendance, AttendanceRole, Person, Presence, Workshop
from workshops.services.errors import AlreadyRegistered, WorkshopError
from workshops.services.people import create_person, find_or_register_organisation


def register_attendance(
    workshop: Workshop, person: Person, *, by, role: str = AttendanceRole.PARTICIPANT
) -> Attendance:
    with transaction.atomic():
        if Attendance.objects.filter(workshop=workshop, person=person).exists():
            raise AlreadyRegistered(person)
        attendance = Attendance.objects.create(workshop=workshop, person=person, role=role)
        log_action(AuditAction.ATTENDANCE_REGISTERED, actor=by, target=attendance, role=role)
    return attendance


def register_new_person(
    workshop: Workshop,
    *,
    by,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    role: str = AttendanceRole.PARTICIPANT,
    **person_fields,
) -> Attendance:
    """Someone met at the workshop: their organisation (found or added), the person
    and their registration, all or nothing."""
    with transaction.atomic():
        if organisation is None:
            organisation = find_or_register_organisation(organisation_name, by=by)
        person = create_person(by=by, organisation=organisation, **person_fields)
        return register_attendance(workshop, person, by=by, role=role)


def change_role(attendance: Attendance, *, by, role: str) -> Attendance:
    with transaction.atomic():
        attendance.role = role
        attendance.full_clean()
        attendance.save(update_fields=["role"])
        log_action(AuditAction.ATTENDANCE_ROLE_CHANGED, actor=by, target=attendance, role=role)
    return attendance


def remove_attendance(attendance: Attendance, *, by) -> None:
    with transaction.atomic():
        log_action(AuditAction.ATTENDANCE_REMOVED, actor=by, target=attendance)
        attendance.delete()


def record_presence(
    workshop: Workshop,
    *,
    by,
    present: set[tuple[int, datetime.date]],
    days: Iterable[datetime.date] | None = None,
) -> tuple[int, int]:
    """Make the ticked (attendance id, day) pairs the presence of the given days
    (all days by default); return how many presences were added and removed."""
    days = set(days or workshop.days)
    if not days <= set(workshop.days):
        raise WorkshopError(_("This day is not a day of the workshop."))
    with transaction.atomic():
        attendance_ids = set(workshop.attendances.values_list("pk", flat=True))
        wanted = {(a, d) for a, d in present if a in attendance_ids and d in days}
        current = set(
            Presence.objects.filter(attendance__workshop=workshop, day__in=days).values_list(
                "attendance_id", "day"
            )
        )
        Presence.objects.bulk_create(
            [Presence(attendance_id=a, day=d) for a, d in wanted - current]
        )
        removed = current - wanted
        for attendance_id, day in removed:
            Presence.objects.filter(attendance_id=attendance_id, day=day).delete()
        log_action(
            AuditAction.PRESENCE_RECORDED,
            actor=by,
            target=workshop,
            added=len(wanted - current),
            removed=len(removed),
        )
    return len(wanted - current), len(removed)

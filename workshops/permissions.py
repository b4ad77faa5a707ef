"""Who may see and change workshops: the one place every view asks.

Those with `workshops.manage_workshop` (the secretariat, admins) edit
everything. Everyone else sees only the public page of a public workshop and
its public files, and gets 404 for the rest, so the existence of a private
event is never revealed.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from workshops.models import (
    Attendance,
    AttendanceImport,
    ImportStatus,
    Outcome,
    Person,
    Workshop,
)

MANAGE_WORKSHOPS = "workshops.manage_workshop"
EXPORT_PERSON = "workshops.export_person"
ERASE_PERSON = "workshops.erase_person"


def can_manage_workshops(user) -> bool:
    return user.has_perm(MANAGE_WORKSHOPS)


def require_workshop_manager(user) -> None:
    if not can_manage_workshops(user):
        raise Http404


def visible_workshops(user):
    workshops = Workshop.objects.all()
    return workshops if can_manage_workshops(user) else workshops.public()


def get_workshop_for(user, pk: int, *, edit: bool = False) -> Workshop:
    if can_manage_workshops(user):
        return get_object_or_404(Workshop, pk=pk)
    if edit:
        raise Http404
    return get_object_or_404(Workshop.objects.public(), pk=pk)


def get_attendance_for(user, workshop_pk: int, pk: int) -> Attendance:
    workshop = get_workshop_for(user, workshop_pk, edit=True)
    return get_object_or_404(
        Attendance.objects.select_related("person", "workshop"), workshop=workshop, pk=pk
    )


def get_outcome_for(user, workshop_pk: int, pk: int) -> Outcome:
    workshop = get_workshop_for(user, workshop_pk, edit=True)
    return get_object_or_404(Outcome.objects.select_related("workshop"), workshop=workshop, pk=pk)


def get_file_for(user, model, workshop_pk: int, pk: int, *, edit: bool = False):
    """A document or photo: any for the secretariat; a public one of a public
    workshop for anyone else (and never to change)."""
    workshop = get_workshop_for(user, workshop_pk, edit=edit)
    files = model.objects.select_related("workshop").filter(workshop=workshop)
    if not can_manage_workshops(user):
        files = files.filter(is_public=True)
    return get_object_or_404(files, pk=pk)


def get_import_for(user, workshop_pk: int, pk: int, *, pending: bool) -> AttendanceImport:
    """A sheet waiting for its preview to be confirmed, or the report of a confirmed one."""
    workshop = get_workshop_for(user, workshop_pk, edit=True)
    status = ImportStatus.PENDING if pending else ImportStatus.CONFIRMED
    return get_object_or_404(
        AttendanceImport.objects.select_related("workshop"),
        workshop=workshop,
        pk=pk,
        status=status,
    )


def get_person_for(user, pk: int, *, permission: str = MANAGE_WORKSHOPS) -> Person:
    """A person's record, for whoever holds the permission asked (manage, export or
    erase); 404 for anyone else, so that nobody learns who is on record."""
    if not user.has_perm(permission):
        raise Http404
    return get_object_or_404(Person.objects.select_related("organisation"), pk=pk)

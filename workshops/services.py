"""Everything that changes workshops, the people at them, presence and outcomes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from common.text import match_key, person_name_key
from members.models import MembershipStatus, Organisation, OrganisationKind
from members.services import DuplicateOrganisation, register_organisation
from workshops import importing
from workshops.files import FILE_KINDS, kind_of
from workshops.models import (
    AgeGroup,
    Attendance,
    AttendanceRole,
    Outcome,
    Person,
    Presence,
    Sex,
    Workshop,
    WorkshopFile,
)


class WorkshopError(Exception):
    """A change the rules refuse; the message is for the person who asked."""


class AlreadyRegistered(WorkshopError):
    def __init__(self, person: Person):
        super().__init__(_("%(person)s is already registered.") % {"person": person})


class DuplicatePerson(WorkshopError):
    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__(
            _("« %(person)s » already has this e-mail or phone number.") % {"person": existing}
        )


def create_workshop(*, by, funders: Iterable[Organisation] = (), **fields) -> Workshop:
    with transaction.atomic():
        workshop = Workshop(**fields)
        workshop.full_clean()
        workshop.save()
        workshop.funders.set(funders)
        log_action(AuditAction.WORKSHOP_CREATED, actor=by, target=workshop)
    return workshop


def update_workshop(workshop: Workshop, *, by, funders=None, **fields) -> Workshop:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(workshop, name, value)
        workshop.full_clean()
        workshop.save(update_fields=[*fields, "updated_at"])
        if funders is not None:
            workshop.funders.set(funders)
        # Presence outside the new dates would be counted by no report: drop it.
        Presence.objects.filter(attendance__workshop=workshop).exclude(
            day__range=(workshop.start_date, workshop.end_date)
        ).delete()
        log_action(AuditAction.WORKSHOP_UPDATED, actor=by, target=workshop, fields=sorted(fields))
    return workshop


def find_or_register_organisation(name: str, *, by) -> Organisation | None:
    """The organisation of the register with this name or acronym, or a new non-member one."""
    name = " ".join(name.split())
    if not match_key(name):
        return None
    if existing := Organisation.objects.matching(name).first():
        return existing
    try:
        return register_organisation(
            by=by, name=name, kind=OrganisationKind.OTHER, membership_status=MembershipStatus.NONE
        )
    except DuplicateOrganisation as duplicate:
        return duplicate.existing


def create_person(*, by, **fields) -> Person:
    """Add someone to the register of people, refusing a second copy of an e-mail or phone."""
    person = Person(**fields)
    person.name_key = person_name_key(person.full_name)
    with transaction.atomic():
        for field_name in ("email", "phone"):
            value = getattr(person, field_name)
            if value and (existing := Person.objects.filter(**{field_name: value}).first()):
                raise DuplicatePerson(existing)
        person.full_clean()
        person.save()
        log_action(AuditAction.PERSON_CREATED, actor=by, target=person)
    return person


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


def add_outcome(workshop: Workshop, *, by, **fields) -> Outcome:
    with transaction.atomic():
        if "order" not in fields:
            fields["order"] = workshop.outcomes.count() + 1
        outcome = Outcome(workshop=workshop, **fields)
        outcome.full_clean()
        outcome.save()
        log_action(AuditAction.OUTCOME_ADDED, actor=by, target=workshop, kind=outcome.kind)
    return outcome


def update_outcome(outcome: Outcome, *, by, **fields) -> Outcome:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(outcome, name, value)
        outcome.full_clean()
        outcome.save(update_fields=list(fields))
        log_action(
            AuditAction.OUTCOME_UPDATED, actor=by, target=outcome.workshop, outcome=outcome.pk
        )
    return outcome


def delete_outcome(outcome: Outcome, *, by) -> None:
    with transaction.atomic():
        log_action(
            AuditAction.OUTCOME_DELETED, actor=by, target=outcome.workshop, text=outcome.text[:200]
        )
        outcome.delete()


def add_file(workshop: Workshop, *, kind: str, by, file, content_type: str, **fields):
    """Keep a document or photo of the workshop, stored under a name of its own."""
    file_kind = FILE_KINDS[kind]
    with transaction.atomic():
        item = file_kind.model(
            workshop=workshop, content_type=content_type, uploaded_by=by, **fields
        )
        item.file.save(file_kind.name, file, save=False)
        item.save()
        label = getattr(item, file_kind.label_field)
        log_action(
            file_kind.added_action, actor=by, target=workshop, **{file_kind.label_field: label}
        )
    return item


def delete_file(item: WorkshopFile, *, by) -> None:
    with transaction.atomic():
        log_action(kind_of(item).deleted_action, actor=by, target=item.workshop)
        item.delete()
        transaction.on_commit(lambda: item.file.delete(save=False))


@dataclass
class ImportResult:
    people_created: int = 0
    people_matched: int = 0
    organisations_created: int = 0
    attendances_created: int = 0
    presences_created: int = 0
    refused: int = 0


def import_attendance(workshop: Workshop, sheet: importing.Sheet, *, by, default_day=None):
    """Write a typed sign-in sheet: what the preview showed, checked again now."""
    result = ImportResult()
    with transaction.atomic():
        # One import per workshop at a time, so two confirmations cannot both add a person.
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        plan = importing.plan_import(sheet, workshop, default_day=default_day)
        result.refused = plan.refused
        organisations: dict[str, Organisation] = {}
        for row in plan.rows:
            if row.verdict not in (importing.NEW, importing.MATCHED):
                continue
            organisation = row.organisation
            if row.new_organisation:
                key = match_key(row.organisation_name)
                if key not in organisations:
                    before = Organisation.objects.count()
                    organisations[key] = find_or_register_organisation(row.organisation_name, by=by)
                    result.organisations_created += Organisation.objects.count() - before
                organisation = organisations[key]
            if row.verdict == importing.MATCHED:
                person = row.person
                _fill_blanks(person, row, organisation)
                result.people_matched += 1
            else:
                person = Person(
                    full_name=row.full_name,
                    name_key=person_name_key(row.full_name),
                    sex=row.sex,
                    birth_year=row.birth_year,
                    phone=row.phone,
                    email=row.email,
                    organisation=organisation,
                    position=row.position,
                    region=row.region,
                )
                person.save()
                result.people_created += 1
            attendance, created = Attendance.objects.get_or_create(
                workshop=workshop, person=person, defaults={"role": row.role}
            )
            result.attendances_created += created
            existing_days = set(attendance.presences.values_list("day", flat=True))
            new_days = [day for day in row.days if day not in existing_days]
            Presence.objects.bulk_create([Presence(attendance=attendance, day=d) for d in new_days])
            result.presences_created += len(new_days)
        log_action(AuditAction.ATTENDANCE_IMPORTED, actor=by, target=workshop, **result.__dict__)
    return result


def _fill_blanks(person: Person, row: importing.PlannedRow, organisation) -> None:
    """A matched person gains what the sheet knows and the register did not; nothing
    the register holds is overwritten by a typed sheet."""
    changed = []
    for name in ("phone", "email", "position", "region", "birth_year"):
        if getattr(person, name) in ("", None) and getattr(row, name) not in ("", None):
            if name in ("phone", "email") and Person.objects.filter(
                **{name: getattr(row, name)}
            ).exclude(pk=person.pk):
                continue
            setattr(person, name, getattr(row, name))
            changed.append(name)
    if person.sex == Sex.UNKNOWN and row.sex != Sex.UNKNOWN:
        person.sex = row.sex
        changed.append("sex")
    if person.organisation_id is None and organisation is not None:
        person.organisation = organisation
        changed.append("organisation")
    if changed:
        person.save(update_fields=changed)


# Personal data rights -----------------------------------------------------------

ERASED_FIELDS = ["full_name", "name_key", "phone", "email", "birth_year", "position"]


def age_group_at(person: Person, day: datetime.date) -> str:
    youth = person.is_youth_on(day)
    if youth is None:
        return AgeGroup.UNKNOWN
    return AgeGroup.YOUTH if youth else AgeGroup.OLDER


def personal_data_of(person: Person) -> dict:
    """Everything the portal holds on one person, as plain JSON-ready values."""
    from audit.models import AuditEntry

    attendances = person.attendances.select_related("workshop").prefetch_related("presences")
    organisation = person.organisation
    return {
        "person": {
            "id": person.pk,
            "full_name": person.full_name,
            "sex": person.get_sex_display(),
            "birth_year": person.birth_year,
            "phone": person.phone,
            "email": person.email,
            "organisation": organisation.name if organisation else "",
            "position": person.position,
            "region": person.get_region_display(),
            "consent_recorded": person.consent_recorded,
            "consent_date": person.consent_date.isoformat() if person.consent_date else None,
            "recorded_on": person.created_at.isoformat(),
            "erased_on": person.erased_at.isoformat() if person.erased_at else None,
        },
        "attendances": [
            {
                "workshop": attendance.workshop.title,
                "first_day": attendance.workshop.start_date.isoformat(),
                "last_day": attendance.workshop.end_date.isoformat(),
                "city": attendance.workshop.city,
                "role": attendance.get_role_display(),
                "days_present": [p.day.isoformat() for p in attendance.presences.all()],
            }
            for attendance in attendances
        ],
        "records": [
            {"at": entry.at.isoformat(), "what": entry.get_action_display()}
            for entry in AuditEntry.objects.about(person)
        ],
    }


def record_personal_data_export(person: Person, *, by) -> None:
    with transaction.atomic():
        log_action(AuditAction.PERSON_EXPORTED, actor=by, target=person)


def erase_person(person: Person, *, by) -> Person:
    """Erase a person's identity: name, phone, e-mail, year of birth and position
    go; sex, organisation, region, roles and presence stay, and each attendance
    keeps the age group of its first day, so that no report figure changes."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            raise WorkshopError(_("This person's identity is already erased."))
        for attendance in person.attendances.select_related("workshop"):
            attendance.age_group_at_event = age_group_at(person, attendance.workshop.start_date)
            attendance.save(update_fields=["age_group_at_event"])
        person.full_name = person.name_key = person.phone = person.email = person.position = ""
        person.birth_year = None
        person.erased_at = timezone.now()
        person.save(update_fields=[*ERASED_FIELDS, "erased_at"])
        log_action(AuditAction.PERSON_ERASED, actor=by, target=person)
    return person


def people_past_retention(today: datetime.date | None = None):
    """People not yet erased whose last workshop ended more than
    ACRSS_RETENTION_YEARS ago (or who attended none and were recorded before)."""
    years = settings.ACRSS_RETENTION_YEARS
    if years is None:
        return Person.objects.none()
    today = today or timezone.localdate()
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    people = Person.objects.filter(erased_at=None).annotate(
        last_day=Max("attendances__workshop__end_date")
    )
    return people.filter(Q(last_day__lt=limit) | Q(last_day=None, created_at__date__lt=limit))


def apply_retention(*, by=None, today: datetime.date | None = None) -> list[int]:
    """Erase everyone past the retention period; the ids of those erased."""
    erased = []
    for person in people_past_retention(today).order_by("pk"):
        erase_person(person, by=by)
        erased.append(person.pk)
    return erased

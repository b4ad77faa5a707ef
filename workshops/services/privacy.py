"""A person's data rights: everything held on them, their erasure, and the retention period.

What each model holds on a person, and what erasure does with it, is written in
one register: common/personal_data.py."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from common import personal_data
from common.personal_data import Erasure
from common.text import person_name_key
from workshops.models import AttendanceImport, ImportStatus, Person
from workshops.rules import age_group
from workshops.services.errors import WorkshopError

PERSON = "workshops.Person"


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
        **personal_data.held_elsewhere(person),
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
    keeps the age group of its first day, so that no report figure changes. Every
    other field of the register that holds their data is erased too: their own
    check-ins, the sheets and import reports that name them, the exports that list
    them."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            raise WorkshopError(_("This person's identity is already erased."))
        for attendance in person.attendances.select_related("workshop"):
            # The group every figure gave before, by the one rule, now fixed on the row.
            attendance.age_group_at_event = age_group(
                birth_year=person.birth_year,
                event_year=attendance.workshop.start_date.year,
                typed_group=person.age_group,
                kept_group=attendance.age_group_at_event,
            )
            attendance.save(update_fields=["age_group_at_event"])
        personal_data.erase_everywhere(person)
        person.erased_at = timezone.now()
        person.save(update_fields=["erased_at"])
        log_action(AuditAction.PERSON_ERASED, actor=by, target=person)
        # Parts of pages drawn with the name are kept in the shared cache under
        # versions no longer read, until they expire: forget them all now.
        transaction.on_commit(cache.clear)
    return person


def blank_identity(person: Person) -> None:
    """The person's own row loses what the register says it must."""
    names = personal_data.fields_of(PERSON, Erasure.BLANK)
    for name in names:
        setattr(person, name, None if Person._meta.get_field(name).null else "")
    person.save(update_fields=names)


def names_person(person: Person, text: str) -> bool:
    """Whether a text (a sheet's row, a remark) carries the person's name, phone or e-mail."""
    words = set(person_name_key(text).split())
    if person.name_key and set(person.name_key.split()) <= words:
        return True
    digits = "".join(char for char in text if char.isdigit())
    if len(person.phone) >= 8 and person.phone[-8:] in digits:
        return True
    return bool(person.email) and person.email.lower() in text.lower()


def forget_in_import_reports(person: Person) -> None:
    """The reports of confirmed imports list the rows they had a word on, by name,
    with the raw values they flagged (a mistyped phone or e-mail): the rows naming
    this person lose both."""
    for attendance_import in AttendanceImport.objects.filter(
        workshop__attendances__person=person, status=ImportStatus.CONFIRMED
    ).distinct():
        rows = attendance_import.report.get("rows", [])
        named = [
            row
            for row in rows
            if names_person(person, " ".join([row.get("name", ""), *row.get("notes", [])]))
            or any(names_person(person, change) for change in row.get("changes", []))
        ]
        for row in named:
            row["name"] = ""
            row["notes"] = []
            row["changes"] = []
        if named:
            attendance_import.save(update_fields=["report"])


def import_report_rows_of(person: Person) -> list[dict]:
    """The rows of confirmed imports' reports that name the person."""
    return [
        {"workshop": attendance_import.workshop.title, **row}
        for attendance_import in AttendanceImport.objects.filter(
            workshop__attendances__person=person, status=ImportStatus.CONFIRMED
        )
        .select_related("workshop")
        .distinct()
        for row in attendance_import.report.get("rows", [])
        if names_person(person, row.get("name", ""))
    ]


def retention_limit(today: datetime.date | None = None) -> datetime.date | None:
    """The day before which data about people is past ACRSS_RETENTION_YEARS."""
    years = settings.ACRSS_RETENTION_YEARS
    if years is None:
        return None
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def people_past_retention(today: datetime.date | None = None):
    """People not yet erased whose last workshop ended more than
    ACRSS_RETENTION_YEARS ago (or who attended none and were recorded before)."""
    limit = retention_limit(today)
    if limit is None:
        return Person.objects.none()
    people = Person.objects.filter(erased_at=None).annotate(
        last_day=Max("attendances__workshop__end_date")
    )
    return people.filter(Q(last_day__lt=limit) | Q(last_day=None, created_at__date__lt=limit))


def apply_retention(*, by=None, today: datetime.date | None = None) -> list[int]:
    """Erase everyone past the retention period, then what the register's other
    models still hold from before it on nobody known (a rejected check-in); the ids
    of those erased."""
    erased = []
    for person in people_past_retention(today).order_by("pk"):
        erase_person(person, by=by)
        erased.append(person.pk)
    if limit := retention_limit(today):
        with transaction.atomic():
            personal_data.expire_everywhere(limit)
    return erased

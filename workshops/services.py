"""Everything that changes workshops, the people at them, presence and outcomes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from common.signals import announce_counted_data_changed
from common.text import match_key, person_name_key
from members.models import MembershipStatus, Organisation, OrganisationKind
from members.services import DuplicateOrganisation, register_organisation
from workshops import importing
from workshops.files import FILE_KINDS, kind_of
from workshops.models import (
    AgeGroup,
    Attendance,
    AttendanceImport,
    AttendanceRole,
    ImportStatus,
    Outcome,
    Person,
    Presence,
    Sex,
    Workshop,
    WorkshopFile,
)

# Rows written per INSERT when a sheet is imported.
BATCH = 1000


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
        announce_counted_data_changed()
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
        announce_counted_data_changed()
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
            by=by, name=name, kind=OrganisationKind.UNKNOWN, membership_status=MembershipStatus.NONE
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


def update_person(person: Person, *, by, **fields) -> Person:
    """Correct what the register holds on someone, keeping the name's matching key in step."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(person, name, value)
        person.name_key = person_name_key(person.full_name)
        for field_name in ("email", "phone"):
            value = getattr(person, field_name)
            others = Person.objects.exclude(pk=person.pk)
            if value and (existing := others.filter(**{field_name: value}).first()):
                raise DuplicatePerson(existing)
        person.full_clean()
        person.save(update_fields=[*fields, "name_key"])
        log_action(AuditAction.PERSON_UPDATED, actor=by, target=person, fields=sorted(fields))
        announce_counted_data_changed()
    return person


def register_attendance(
    workshop: Workshop, person: Person, *, by, role: str = AttendanceRole.PARTICIPANT
) -> Attendance:
    with transaction.atomic():
        if Attendance.objects.filter(workshop=workshop, person=person).exists():
            raise AlreadyRegistered(person)
        attendance = Attendance.objects.create(workshop=workshop, person=person, role=role)
        log_action(AuditAction.ATTENDANCE_REGISTERED, actor=by, target=attendance, role=role)
        announce_counted_data_changed()
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
        announce_counted_data_changed()
    return attendance


def remove_attendance(attendance: Attendance, *, by) -> None:
    with transaction.atomic():
        log_action(AuditAction.ATTENDANCE_REMOVED, actor=by, target=attendance)
        attendance.delete()
        announce_counted_data_changed()


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
        announce_counted_data_changed()
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


def start_import(workshop: Workshop, *, by, upload, day: datetime.date | None) -> AttendanceImport:
    """Keep an uploaded sheet, privately, until its preview is confirmed or cancelled;
    sheets abandoned for a day go first. SheetError when the file cannot be read."""
    purge_stale_imports()
    # A file that is no sheet at all is refused now, before it is kept.
    importing.read_sheet(upload.read(), upload.name, workshop)
    upload.seek(0)
    attendance_import = AttendanceImport(
        workshop=workshop, file_name=PurePath(upload.name).name[:200], day=day, created_by=by
    )
    attendance_import.file.save(upload.name, upload, save=False)
    attendance_import.save()
    return attendance_import


def read_import(attendance_import: AttendanceImport) -> importing.Sheet:
    """The sheet of a pending import; SheetError when it is gone or unreadable."""
    try:
        with attendance_import.file.open("rb") as file:
            data = file.read()
    except (FileNotFoundError, ValueError) as error:
        raise importing.SheetError(_("This import has expired: upload the file again.")) from error
    return importing.read_sheet(data, attendance_import.file.name, attendance_import.workshop)


def plan_of(attendance_import: AttendanceImport) -> importing.Plan:
    return importing.plan_import(
        read_import(attendance_import),
        attendance_import.workshop,
        default_day=attendance_import.day,
    )


def cancel_import(attendance_import: AttendanceImport, *, by) -> None:
    """Drop a pending import and its sheet: nothing of it was written."""
    with transaction.atomic():
        attendance_import = AttendanceImport.objects.select_for_update().get(
            pk=attendance_import.pk
        )
        if attendance_import.status != ImportStatus.PENDING:
            raise WorkshopError(_("This import is already confirmed."))
        _delete_sheet_on_commit(attendance_import)
        attendance_import.delete()


def purge_stale_imports(now: datetime.datetime | None = None) -> int:
    """Delete the sheets (names and phones) of previews nobody confirmed within a day."""
    stale = list(AttendanceImport.objects.stale(now or timezone.now()))
    with transaction.atomic():
        for attendance_import in stale:
            _delete_sheet_on_commit(attendance_import)
        AttendanceImport.objects.filter(pk__in=[i.pk for i in stale]).delete()
    return len(stale)


def _delete_sheet_on_commit(attendance_import: AttendanceImport) -> None:
    file = attendance_import.file
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))


def confirm_import(
    attendance_import: AttendanceImport,
    *,
    by,
    accepted: set[tuple[int, str, str]] = frozenset(),
    organisations: dict[str, importing.OrganisationChoice] | None = None,
) -> AttendanceImport:
    """Write a typed sheet as its preview showed it, read again now: people added or
    found, the changes to known people that were accepted (line, field, new value),
    presence; then delete the sheet and keep the report."""
    organisations = organisations or {}
    with transaction.atomic():
        # One confirmation per import, and one import per workshop at a time.
        attendance_import = AttendanceImport.objects.select_for_update().get(
            pk=attendance_import.pk
        )
        if attendance_import.status != ImportStatus.PENDING:
            raise WorkshopError(_("This import is already confirmed."))
        workshop = Workshop.objects.select_for_update().get(pk=attendance_import.workshop_id)
        attendance_import.workshop = workshop
        plan = plan_of(attendance_import)
        report = _ImportReport(plan)
        created = _create_organisations(plan, organisations, by=by, report=report)
        people = []
        for row in plan.rows:
            if row.verdict == importing.MATCHED:
                _apply_changes(row.person, row, accepted, created, by=by, report=report)
                people.append((row, row.person))
            elif row.verdict == importing.NEW:
                people.append((row, _new_person(row, created)))
        # In bulk: a sheet of thousands of rows is written in a few queries.
        Person.objects.bulk_create(
            [person for _row, person in people if person.pk is None], batch_size=BATCH
        )
        _record_attendance(workshop, people, report)
        attendance_import.status = ImportStatus.CONFIRMED
        attendance_import.confirmed_at = timezone.now()
        attendance_import.report = report.as_json()
        _delete_sheet_on_commit(attendance_import)
        attendance_import.file = ""
        attendance_import.save(update_fields=["status", "confirmed_at", "report", "file"])
        log_action(
            AuditAction.ATTENDANCE_IMPORTED,
            actor=by,
            target=workshop,
            **attendance_import.report["counts"],
        )
        announce_counted_data_changed()
    return attendance_import


def _new_person(row: importing.PlannedRow, created: dict[str, Organisation]) -> Person:
    return Person(
        full_name=row.full_name,
        name_key=person_name_key(row.full_name),
        sex=row.sex,
        birth_year=row.birth_year,
        age_group=row.age_group if row.birth_year is None else AgeGroup.UNKNOWN,
        phone=row.phone,
        email=row.email,
        organisation=row.organisation or created.get(row.organisation_key),
        position=row.position,
        region=row.region,
    )


def _record_attendance(workshop: Workshop, people: list, report: _ImportReport) -> None:
    """Register whoever is not yet, and add the days present not yet recorded."""
    attendance_of = dict(
        workshop.attendances.filter(person__in=[p for _r, p in people]).values_list(
            "person_id", "pk"
        )
    )
    added = Attendance.objects.bulk_create(
        [
            Attendance(workshop=workshop, person=person, role=row.role)
            for row, person in people
            if person.pk not in attendance_of
        ],
        batch_size=BATCH,
    )
    attendance_of |= {attendance.person_id: attendance.pk for attendance in added}
    report.counts["attendances_added"] += len(added)
    known = set(
        Presence.objects.filter(attendance__workshop=workshop).values_list("attendance_id", "day")
    )
    presences = [
        Presence(attendance_id=attendance_of[person.pk], day=day)
        for row, person in people
        for day in row.days
        if (attendance_of[person.pk], day) not in known
    ]
    Presence.objects.bulk_create(presences, batch_size=BATCH)
    report.counts["presences_added"] += len(presences)


class _ImportReport:
    """What a confirmed import did, kept as JSON: the remarkable rows only."""

    def __init__(self, plan: importing.Plan):
        self.counts = {
            "rows": len(plan.rows),
            "people_added": plan.new_people,
            "people_found": plan.matched_people,
            "rows_merged": plan.merged,
            "rows_refused": plan.refused,
            "values_flagged": plan.flagged,
            "changes_offered": plan.changes,
            "changes_applied": 0,
            "organisations_created": 0,
            "attendances_added": 0,
            "presences_added": 0,
        }
        self.totals = {
            key: value for key, value in plan.totals.__dict__.items() if key != "per_day"
        }
        self.totals["per_day"] = [[d.isoformat(), n] for d, n in plan.totals.per_day]
        self.rows = {row.line: row for row in plan.rows}
        self.applied: dict[int, list[str]] = {}

    def applied_change(self, row: importing.PlannedRow, change: importing.Change) -> None:
        self.counts["changes_applied"] += 1
        self.applied.setdefault(row.line, []).append(
            _("%(field)s: %(old)s → %(new)s")
            % {"field": capfirst(change.label), "old": change.old, "new": change.new}
        )

    def as_json(self) -> dict:
        rows = []
        for line, row in self.rows.items():
            applied = self.applied.get(line, [])
            if not (row.notes or row.refusal or row.same_as_line or applied):
                continue
            rows.append(
                {
                    "line": line,
                    "name": row.full_name,
                    "verdict": row.verdict,
                    "refusal": row.refusal,
                    "same_as": row.same_as_line,
                    "notes": row.notes,
                    "changes": applied,
                }
            )
        return {"counts": self.counts, "totals": self.totals, "rows": rows}


def _create_organisations(plan, choices: dict[str, importing.OrganisationChoice], *, by, report):
    created: dict[str, Organisation] = {}
    for new in plan.new_organisations:
        choice = choices.get(new.key) or importing.OrganisationChoice(
            name=new.name, acronym=new.acronym
        )
        if choice.existing is not None:
            created[new.key] = choice.existing
            continue
        try:
            created[new.key] = register_organisation(
                by=by,
                name=choice.name or new.name,
                acronym=choice.acronym,
                kind=choice.kind,
                membership_status=MembershipStatus.NONE,
            )
            report.counts["organisations_created"] += 1
        except DuplicateOrganisation as duplicate:
            created[new.key] = duplicate.existing
    return created


def _apply_changes(person: Person, row, accepted, created, *, by, report) -> None:
    """Only the changes the secretariat accepted, each checked against what is shown now."""
    changed = []
    for change in row.changes:
        if (row.line, change.field, change.token) not in accepted:
            continue
        if change.field == "organisation":
            kind, _sep, value = change.token.partition(":")
            person.organisation = row.organisation if kind == "pk" else created.get(value)
        elif change.field == "birth_year":
            person.birth_year = int(change.token)
            person.age_group = AgeGroup.UNKNOWN
            changed.append("age_group")
        else:
            setattr(person, change.field, change.token)
        changed.append(change.field)
        report.applied_change(row, change)
    if changed:
        person.save(update_fields=sorted(set(changed)))
        log_action(AuditAction.PERSON_UPDATED, actor=by, target=person, fields=sorted(set(changed)))


def merge_people(kept: Person, other: Person, *, by) -> Person:
    """Make two records of one person one: the other's attendances and presences
    move to the kept record (one attendance per workshop, the days of both), what
    the kept record leaves unknown is taken from the other, and the other goes."""
    if kept.pk == other.pk:
        raise WorkshopError(_("A person cannot be merged with themselves."))
    with transaction.atomic():
        locked = {
            p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, other.pk])
        }
        if len(locked) != 2:
            raise WorkshopError(_("One of these records no longer exists."))
        kept, other = locked[kept.pk], locked[other.pk]
        kept_attendances = {a.workshop_id: a for a in kept.attendances.all()}
        moved = joined = 0
        for attendance in list(other.attendances.prefetch_related("presences")):
            same = kept_attendances.get(attendance.workshop_id)
            if same is None:
                attendance.person = kept
                attendance.save(update_fields=["person"])
                moved += 1
                continue
            known = set(same.presences.values_list("day", flat=True))
            Presence.objects.bulk_create(
                [
                    Presence(attendance=same, day=presence.day)
                    for presence in attendance.presences.all()
                    if presence.day not in known
                ]
            )
            attendance.delete()
            joined += 1
        filled = []
        for name in ("sex", "birth_year", "age_group", "phone", "email", "organisation",
                     "position", "region", "consent_date"):  # fmt: skip
            if getattr(kept, name) in ("", None, Sex.UNKNOWN) and getattr(other, name) not in (
                "",
                None,
                Sex.UNKNOWN,
            ):
                setattr(kept, name, getattr(other, name))
                filled.append(name)
        if other.consent_recorded and not kept.consent_recorded:
            kept.consent_recorded = True
            filled.append("consent_recorded")
        # The audit log keeps ids only: the merged record's name is not personal data to keep.
        removed = other.pk
        # The phone and e-mail move to the kept record: free them first.
        other.delete()
        if filled:
            kept.save(update_fields=filled)
        log_action(
            AuditAction.PERSON_MERGED,
            actor=by,
            target=kept,
            removed=removed,
            attendances_moved=moved,
            attendances_joined=joined,
            fields_filled=filled,
        )
        announce_counted_data_changed()
    return kept


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
        _forget_name_in_import_reports(person)
        person.full_name = person.name_key = person.phone = person.email = person.position = ""
        person.birth_year = None
        person.erased_at = timezone.now()
        person.save(update_fields=[*ERASED_FIELDS, "erased_at"])
        log_action(AuditAction.PERSON_ERASED, actor=by, target=person)
        announce_counted_data_changed()
    return person


def _forget_name_in_import_reports(person: Person) -> None:
    """The reports of confirmed imports list the rows they had a word on, by name,
    with the raw values they flagged (a mistyped phone or e-mail): the rows typed
    with this person's name lose both."""
    if not person.name_key:
        return
    for attendance_import in AttendanceImport.objects.filter(
        workshop__attendances__person=person, status=ImportStatus.CONFIRMED
    ).distinct():
        rows = attendance_import.report.get("rows", [])
        named = [row for row in rows if person_name_key(row.get("name", "")) == person.name_key]
        for row in named:
            row["name"] = ""
            row["notes"] = []
            row["changes"] = []
        if named:
            attendance_import.save(update_fields=["report"])


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

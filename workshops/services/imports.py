"""Typed sign-in sheets: kept while their preview is checked, then written or dropped."""

from __future__ import annotations

import datetime
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from common.text import person_name_key
from members.models import MembershipStatus, Organisation
from members.services import DuplicateOrganisation, register_organisation
from workshops import importing
from workshops.models import (
    AgeGroup,
    Attendance,
    AttendanceImport,
    ImportMapping,
    ImportStatus,
    Person,
    Presence,
    Workshop,
)
from workshops.services.errors import WorkshopError
from workshops.services.privacy import names_person

# Rows written per INSERT when a sheet is imported.
BATCH = 1000


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
    """The sheet of a pending import, read as its mapping says (or as a header was read
    when last confirmed); SheetError when it is gone or unreadable."""
    try:
        with attendance_import.file.open("rb") as file:
            data = file.read()
    except (FileNotFoundError, ValueError) as error:
        raise importing.SheetError(_("This import has expired: upload the file again.")) from error
    return importing.read_sheet(
        data,
        attendance_import.file.name,
        attendance_import.workshop,
        importing.Mapping.from_json(attendance_import.mapping),
        recall=ImportMapping.objects.recall,
    )


def plan_of(attendance_import: AttendanceImport) -> importing.Plan:
    return importing.plan_import(
        read_import(attendance_import),
        attendance_import.workshop,
        default_day=attendance_import.day,
    )


def remap_import(attendance_import: AttendanceImport, mapping: importing.Mapping) -> None:
    """Keep the reading the secretariat chose on the preview; nothing else is written."""
    with transaction.atomic():
        attendance_import = AttendanceImport.objects.select_for_update().get(
            pk=attendance_import.pk
        )
        if attendance_import.status != ImportStatus.PENDING:
            raise WorkshopError(_("This import is already confirmed."))
        attendance_import.mapping = mapping.as_json()
        attendance_import.save(update_fields=["mapping"])


def _remember_mappings(sheet: importing.Sheet, *, by) -> None:
    """Each header read is read the same way next time, as confirmed now."""
    for table in sheet.tables:
        if not sheet.tabs[table.tab].read:
            continue
        columns = {str(c.index): c.field for c in table.columns if not c.field.startswith("day:")}
        known = ImportMapping.objects.filter(header_key=table.header_key).first()
        if known is not None and (known.columns, known.role) == (columns, table.role):
            continue
        ImportMapping.objects.update_or_create(
            header_key=table.header_key,
            defaults={"columns": columns, "role": table.role, "confirmed_by": by},
        )
        log_action(
            AuditAction.IMPORT_MAPPING_REMEMBERED,
            actor=by,
            header=table.header_key,
            columns=columns,
            role=table.role,
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


def drop_previews_naming(person: Person) -> None:
    """Erasure: a sheet waiting for its preview to be confirmed would bring the person
    back; one that names them (or can no longer be read) is dropped, to upload again."""
    for attendance_import in AttendanceImport.objects.filter(status=ImportStatus.PENDING):
        # Every line of every tab, read or not: a tab left out may be read tomorrow.
        try:
            with attendance_import.file.open("rb") as file:
                tabs = importing.read_tabs(file.read(), attendance_import.file.name)
        except (FileNotFoundError, ValueError, importing.SheetError):
            tabs = None
        if tabs is None or any(
            names_person(person, " ".join(str(cell) for cell in cells if cell is not None))
            for tab in tabs
            for cells in tab.cells
        ):
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
        _remember_mappings(plan.sheet, by=by)
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
            "rows_skipped": plan.skipped,
            "rows_empty": plan.empty_rows,
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
                    "line": row.label,
                    "name": row.full_name,
                    "verdict": row.verdict,
                    "refusal": row.refusal,
                    "same_as": row.same_as_label,
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

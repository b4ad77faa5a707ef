"""Everything that changes attendance on the day, self check-ins and certificates."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from checkin import emails
from checkin.certificates import certificates_pdf
from checkin.models import CertificateSettings, SelfCheckIn, SelfCheckInStatus
from checkin.queries import likely_matches
from common import personal_data
from common.text import person_name_key
from members.models import Organisation
from workshops.models import Attendance, Person, Presence, Sex, Workshop, WorkshopStatus
from workshops.services.attendance import register_new_person
from workshops.services.errors import DuplicatePerson, WorkshopError
from workshops.services.people import find_or_register_organisation


class CheckInError(WorkshopError):
    """A change the rules refuse; the message is for the person who asked."""


def check_day(workshop: Workshop, day: datetime.date) -> None:
    if day not in workshop.days:
        raise CheckInError(_("This day is not a day of the workshop."))


def mark_present(attendance: Attendance, *, day: datetime.date, by) -> bool:
    """Tick the attendee present on the day; a second tick (even at the same instant,
    from another phone) changes nothing. Returns whether the presence is new."""
    check_day(attendance.workshop, day)
    with transaction.atomic():
        # The unique constraint on (attendance, day) decides between two phones:
        # the second insert waits for the first, then finds its row.
        _presence, created = Presence.objects.get_or_create(attendance=attendance, day=day)
        if created:
            log_action(
                AuditAction.PRESENCE_CHECKED_IN, actor=by, target=attendance, day=day.isoformat()
            )
    return created


def mark_absent(attendance: Attendance, *, day: datetime.date, by) -> bool:
    """Undo a tick. Returns whether there was one."""
    with transaction.atomic():
        deleted, _rows = Presence.objects.filter(attendance=attendance, day=day).delete()
        if deleted:
            log_action(
                AuditAction.PRESENCE_UNTICKED, actor=by, target=attendance, day=day.isoformat()
            )
    return bool(deleted)


def check_in_person(workshop: Workshop, person: Person, *, day: datetime.date, by) -> Attendance:
    """Register a known person if they are not yet, and tick them present on the day."""
    check_day(workshop, day)
    with transaction.atomic():
        attendance, created = Attendance.objects.get_or_create(workshop=workshop, person=person)
        if created:
            log_action(
                AuditAction.ATTENDANCE_REGISTERED, actor=by, target=attendance, at_the_door=True
            )
        mark_present(attendance, day=day, by=by)
    return attendance


def add_walk_in(
    workshop: Workshop,
    *,
    day: datetime.date,
    by,
    organisation: Organisation | None,
    organisation_name: str = "",
    **person_fields,
) -> Attendance:
    """Someone who was not registered: added to the register, registered and ticked."""
    check_day(workshop, day)
    with transaction.atomic():
        attendance = register_new_person(
            workshop,
            by=by,
            organisation=organisation,
            organisation_name=organisation_name,
            **person_fields,
        )
        mark_present(attendance, day=day, by=by)
    return attendance


def record_self_check_in(workshop: Workshop, *, day: datetime.date, **fields) -> SelfCheckIn:
    """A participant's own check-in, kept to confirm; the same details typed twice on
    the same day make one entry."""
    if day != timezone.localdate() or day not in workshop.days:
        raise CheckInError(_("This check-in link is not valid today."))
    name_key = person_name_key(fields["full_name"])
    with transaction.atomic():
        same = SelfCheckIn.objects.pending().filter(
            workshop=workshop, day=day, name_key=name_key, phone=fields.get("phone", "")
        )
        if existing := same.first():
            return existing
        entry = SelfCheckIn(workshop=workshop, day=day, name_key=name_key, **fields)
        entry.matched_person = likely_matches(entry.full_name, entry.phone, entry.email).first()
        entry.full_clean()
        entry.save()
        log_action(AuditAction.SELF_CHECK_IN_RECORDED, actor=None, target=workshop, entry=entry.pk)
    return entry


def forget_self_check_ins_of(person: Person) -> None:
    """Erasure: the person's own check-ins go, pending or decided (their presence,
    once confirmed, is the attendance's)."""
    SelfCheckIn.objects.of_person(person).delete()


def forget_self_check_ins_before(day: datetime.date) -> None:
    """Retention: the check-ins of workshops ended before the day go, whoever typed them."""
    SelfCheckIn.objects.filter(workshop__end_date__lt=day).delete()


def self_check_ins_of(person: Person) -> list[dict]:
    """A person's own check-ins as they typed them, for their data export."""
    fields = personal_data.fields_of("checkin.SelfCheckIn")
    return [
        {
            "workshop": entry.workshop.title,
            "day": entry.day.isoformat(),
            "status": entry.get_status_display(),
            **{name: getattr(entry, name) for name in fields if name != "name_key"},
        }
        for entry in SelfCheckIn.objects.of_person(person).select_related("workshop")
    ]


def _lock_pending(entry: SelfCheckIn) -> SelfCheckIn:
    """The entry, locked, if nobody decided it meanwhile (two secretaries, one decision)."""
    entry = SelfCheckIn.objects.select_for_update().get(pk=entry.pk)
    if entry.status != SelfCheckInStatus.PENDING:
        raise CheckInError(_("This check-in has already been handled."))
    return entry


def _decide(entry: SelfCheckIn, status: str, *, by, person: Person | None = None) -> None:
    entry.status = status
    entry.decided_by = by
    entry.decided_at = timezone.now()
    fields = ["status", "decided_by", "decided_at"]
    if person is not None:
        entry.matched_person = person
        fields.append("matched_person")
    entry.save(update_fields=fields)


def confirm_self_check_in(entry: SelfCheckIn, *, by) -> Attendance:
    """A new person: added to the register with their organisation, registered and ticked."""
    with transaction.atomic():
        entry = _lock_pending(entry)
        try:
            attendance = register_new_person(
                entry.workshop,
                by=by,
                organisation_name=entry.organisation_name,
                full_name=entry.full_name,
                sex=entry.sex,
                birth_year=entry.birth_year,
                phone=entry.phone,
                email=entry.email,
                position=entry.position,
                consent_recorded=entry.consent,
                consent_date=entry.day if entry.consent else None,
            )
        except DuplicatePerson as duplicate:
            raise CheckInError(
                _("“%(person)s” already has this e-mail or phone number: merge instead.")
                % {"person": duplicate.existing}
            ) from None
        mark_present(attendance, day=entry.day, by=by)
        _decide(entry, SelfCheckInStatus.CONFIRMED, by=by, person=attendance.person)
        log_action(AuditAction.SELF_CHECK_IN_CONFIRMED, actor=by, target=attendance, entry=entry.pk)
    return attendance


def merge_self_check_in(entry: SelfCheckIn, *, by) -> Attendance:
    """The entry is its matched person: they are registered and ticked once, and gain
    the details they lacked; nothing the register holds is overwritten."""
    with transaction.atomic():
        entry = _lock_pending(entry)
        person = entry.matched_person
        if person is None:
            raise CheckInError(_("This check-in matches nobody known: confirm it instead."))
        person = Person.objects.select_for_update().get(pk=person.pk)
        filled = _fill_blanks(person, entry, by=by)
        attendance = check_in_person(entry.workshop, person, day=entry.day, by=by)
        _decide(entry, SelfCheckInStatus.CONFIRMED, by=by, person=person)
        log_action(
            AuditAction.SELF_CHECK_IN_MERGED,
            actor=by,
            target=attendance,
            entry=entry.pk,
            filled=filled,
        )
    return attendance


def _fill_blanks(person: Person, entry: SelfCheckIn, *, by) -> list[str]:
    changed = []
    for name in ("birth_year", "position", "phone", "email"):
        value = getattr(entry, name)
        if getattr(person, name) in ("", None) and value not in ("", None):
            taken = name in ("phone", "email") and (
                Person.objects.filter(**{name: value}).exclude(pk=person.pk).exists()
            )
            if not taken:
                setattr(person, name, value)
                changed.append(name)
    if person.sex == Sex.UNKNOWN and entry.sex != Sex.UNKNOWN:
        person.sex = entry.sex
        changed.append("sex")
    if person.organisation_id is None and entry.organisation_name:
        person.organisation = find_or_register_organisation(entry.organisation_name, by=by)
        changed.append("organisation")
    if not person.consent_recorded and entry.consent:
        person.consent_recorded, person.consent_date = True, entry.day
        changed += ["consent_recorded", "consent_date"]
    if changed:
        person.save(update_fields=changed)
    return changed


def reject_self_check_in(entry: SelfCheckIn, *, by) -> None:
    with transaction.atomic():
        entry = _lock_pending(entry)
        _decide(entry, SelfCheckInStatus.REJECTED, by=by)
        log_action(
            AuditAction.SELF_CHECK_IN_REJECTED, actor=by, target=entry.workshop, entry=entry.pk
        )


def save_certificate_settings(
    workshop: Workshop, *, by, signatory_name: str, signatory_function: str
) -> CertificateSettings:
    with transaction.atomic():
        certificate_settings, _created = CertificateSettings.objects.update_or_create(
            workshop=workshop,
            defaults={"signatory_name": signatory_name, "signatory_function": signatory_function},
        )
        log_action(AuditAction.CERTIFICATE_SIGNATORY_SET, actor=by, target=workshop)
    return certificate_settings


def generate_certificates(
    workshop: Workshop, attendances: list[Attendance], *, by, language: str, min_days: int
) -> bytes:
    """One PDF, one page per attendance; who produced it is written to the audit log."""
    check_certificates_allowed(workshop)
    pdf = certificates_pdf(workshop, attendances, language=language)
    log_action(
        AuditAction.CERTIFICATES_GENERATED,
        actor=by,
        target=workshop,
        count=len(attendances),
        attendances=[attendance.pk for attendance in attendances],
        language=language,
        min_days=min_days,
    )
    return pdf


def send_certificate(attendance: Attendance, *, by, language: str) -> None:
    """E-mail the attendee their certificate, owed with the audit entry."""
    check_certificates_allowed(attendance.workshop)
    address = attendance.person.email
    if not address:
        raise CheckInError(_("%(person)s has no e-mail address.") % {"person": attendance.person})
    with transaction.atomic():
        pdf = certificates_pdf(attendance.workshop, [attendance], language=language)
        log_action(AuditAction.CERTIFICATE_SENT, actor=by, target=attendance, language=language)
        emails.send_certificate(attendance, pdf, address=address, language=language)


def check_certificates_allowed(workshop: Workshop) -> None:
    if workshop.status != WorkshopStatus.HELD:
        raise CheckInError(_("Certificates are produced once the workshop is marked as held."))

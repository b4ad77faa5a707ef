"""The register of people: added, corrected and merged, and the organisations they come from."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import log_action
from common.text import match_key, person_name_key
from members.models import MembershipStatus, Organisation, OrganisationKind
from members.services import DuplicateOrganisation, register_organisation
from workshops.models import Person, Presence, Sex
from workshops.services.errors import DuplicatePerson, WorkshopError


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
    return person


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
    return kept

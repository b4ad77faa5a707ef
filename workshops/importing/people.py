"""Rows against the register: who a row may be, and what it would change.

A known person is taken for a row only when the name and a contact (phone or
e-mail) agree, or when the name and organisation agree with someone already
registered at this workshop (the same sheet imported again). A name alone, or a
contact under another name, is only proposed: the secretariat says yes or no, and
until then the row is a new person.
"""

from __future__ import annotations

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from common.text import person_name_key
from members.models import Region
from workshops.importing.rows import MATCHED, Change, PlannedRow
from workshops.models import AgeGroup, Attendance, Person, Sex, Workshop


def _display(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "sex":
        return str(Sex(value).label)
    if name == "age_group":
        return str(AgeGroup(value).label)
    if name == "region":
        return str(Region(value).label)
    return str(value)


def changes_of(row: PlannedRow, by_phone: dict, by_email: dict) -> list[Change]:
    """The values of the row that differ from the known person's: each one shown,
    and applied only if accepted. A phone or e-mail of someone else is flagged instead."""
    person = row.person
    proposed = {
        "sex": row.sex if row.sex != Sex.UNKNOWN else None,
        "birth_year": row.birth_year,
        "age_group": row.age_group
        if row.age_group and row.birth_year is None and person.birth_year is None
        else None,
        "phone": row.phone,
        "email": row.email,
        "position": row.position,
        "region": row.region,
    }
    changes = []
    for name, value in proposed.items():
        if value in (None, "") or value == getattr(person, name):
            continue
        owners = {"phone": by_phone, "email": by_email}.get(name, {})
        if (owner := owners.get(value)) is not None and owner.pk != person.pk:
            row.notes.append(
                _("%(field)s “%(value)s” belongs to %(other)s: not changed.")
                % {
                    "field": Person._meta.get_field(name).verbose_name,
                    "value": value,
                    "other": owner,
                }
            )
            continue
        label = str(Person._meta.get_field(name).verbose_name)
        changes.append(
            Change(
                name,
                label,
                _display(name, getattr(person, name)),
                _display(name, value),
                str(value),
            )
        )
    if row.organisation_key:
        current = person.organisation
        if row.organisation is not None and row.organisation.pk != getattr(current, "pk", None):
            changes.append(
                Change(
                    "organisation",
                    str(Person._meta.get_field("organisation").verbose_name),
                    str(current) if current else "—",
                    str(row.organisation),
                    f"pk:{row.organisation.pk}",
                )
            )
        elif row.organisation is None:
            changes.append(
                Change(
                    "organisation",
                    str(Person._meta.get_field("organisation").verbose_name),
                    str(current) if current else "—",
                    row.organisation_name,
                    f"new:{row.organisation_key}",
                )
            )
    return changes


def match_people(rows: list[PlannedRow], workshop: Workshop, same: set[int]):
    """Set each row's known person (MATCHED) or proposal; who holds each phone and e-mail."""
    emails = {row.email for row in rows if row.email}
    phones = {row.phone for row in rows if row.phone}
    names = {person_name_key(row.full_name) for row in rows}
    candidates = list(
        Person.objects.filter(Q(email__in=emails) | Q(phone__in=phones) | Q(name_key__in=names))
        .select_related("organisation")
        .order_by("pk")
    )
    registered = set(
        workshop.attendances.filter(person__in=candidates).values_list("person_id", flat=True)
    )
    by_email, by_phone, by_name = {}, {}, {}
    for person in candidates:
        if person.email:
            by_email.setdefault(person.email.lower(), person)
        if person.phone:
            by_phone.setdefault(person.phone, person)
        by_name.setdefault(person.name_key, []).append(person)
    for row in rows:
        name_key = person_name_key(row.full_name)
        organisation_id = row.organisation.pk if row.organisation else None
        found, how = None, ""
        contacts = ((row.email, by_email, "email"), (row.phone, by_phone, "phone"))
        for contact, owners, kind in contacts:
            if contact and contact in owners:
                owner = owners[contact]
                if owner.name_key == name_key:
                    found, how = owner, kind
                    break
                row.proposal, row.proposed_by = row.proposal or owner, row.proposed_by or kind
        if found is None:
            for person in by_name.get(name_key, []):
                again = person.pk in registered and person.organisation_id == organisation_id
                if again and not row.new_organisation:
                    found, how = person, "name"
                    break
                if row.proposal is None:
                    row.proposal, row.proposed_by = person, "name"
        if found is None and row.proposal is not None and row.line in same:
            found, how = row.proposal, row.proposed_by
            row.proposal_accepted = True
        if found is not None:
            row.verdict, row.person, row.matched_by = MATCHED, found, how
            row.already_registered = found.pk in registered
            if not row.proposal_accepted:
                row.proposal = None
        elif row.proposal is not None:
            row.proposal_registered = row.proposal.pk in registered
    _last_met([row for row in rows if row.proposal is not None])
    return by_phone, by_email


def _last_met(rows: list[PlannedRow]) -> None:
    """When each proposed person was last at a workshop, to help the secretariat answer."""
    last = (
        dict(
            Attendance.objects.filter(person__in={row.proposal.pk for row in rows})
            .values("person")
            .annotate(last=Max("workshop__start_date"))
            .values_list("person", "last")
        )
        if rows
        else {}
    )
    for row in rows:
        row.proposal_last_met = last.get(row.proposal.pk)

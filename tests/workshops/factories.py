"""Explicit factories of the workshop tests."""

from __future__ import annotations

import datetime

from common.text import person_name_key
from tests.factories import make_organisation  # noqa: F401  (the workshop tests' one register)
from workshops.models import Attendance, Person, Presence, Workshop


def make_workshop(title: str = "Atelier national", **fields) -> Workshop:
    fields.setdefault("start_date", datetime.date(2022, 1, 26))
    fields.setdefault("end_date", fields["start_date"] + datetime.timedelta(days=1))
    fields.setdefault("city", "Bamako")
    return Workshop.objects.create(title=title, **fields)


def make_person(full_name: str, **fields) -> Person:
    return Person.objects.create(full_name=full_name, name_key=person_name_key(full_name), **fields)


def make_attendance(workshop: Workshop, person: Person, *days, **fields) -> Attendance:
    attendance = Attendance.objects.create(workshop=workshop, person=person, **fields)
    Presence.objects.bulk_create([Presence(attendance=attendance, day=day) for day in days])
    return attendance

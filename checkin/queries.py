"""What the check-in and certificate pages read, aggregated by the database."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from common.text import person_name_key
from workshops.models import AgeGroup, Attendance, Person, Presence, Sex, Workshop
from workshops.rules import age_group_expression

# What a phone shows within the page budget; a longer name narrows the search.
SEARCH_LIMIT = 15
KNOWN_LIMIT = 5


def day_counts(workshop: Workshop, day: datetime.date) -> dict[str, int]:
    """Present, women and youth on one day, in one query.

    Youth is counted as the reports count it (``workshops.rules``): by the year of
    birth at the workshop's first day, else the age group typed or kept."""
    group = age_group_expression(
        birth_year="attendance__person__birth_year",
        event_date="attendance__workshop__start_date",
        typed_group="attendance__person__age_group",
        kept_group="attendance__age_group_at_event",
    )
    return (
        Presence.objects.filter(attendance__workshop=workshop, day=day)
        .annotate(age_group=group)
        .aggregate(
            present=Count("pk"),
            women=Count("pk", filter=Q(attendance__person__sex=Sex.FEMALE)),
            youth=Count("pk", filter=Q(age_group=AgeGroup.YOUTH)),
        )
    )


def registered_matching(workshop: Workshop, text: str, day: datetime.date):
    """Attendances of the workshop whose person's name or phone contains the text,
    each annotated with whether they are present on the day."""
    people = Person.objects.search(text).values("pk")
    return (
        workshop.attendances.filter(person__in=people)
        .select_related("person__organisation")
        .annotate(present=Count("presences", filter=Q(presences__day=day)))
        .order_by("person__full_name", "pk")[:SEARCH_LIMIT]
    )


def known_not_registered(workshop: Workshop, text: str):
    """Known people matching the text who are not registered for the workshop."""
    return (
        Person.objects.search(text)
        .exclude(pk__in=workshop.attendances.values("person_id"))
        .select_related("organisation")
        .order_by("full_name", "pk")[:KNOWN_LIMIT]
    )


def likely_matches(full_name: str, phone: str = "", email: str = ""):
    """Known people who are probably this one: the same phone or e-mail, or the same
    name whatever the case, accents and order of its words."""
    condition = Q(name_key=person_name_key(full_name))
    if phone:
        condition |= Q(phone=phone)
    if email:
        condition |= Q(email__iexact=email)
    return Person.objects.filter(condition).select_related("organisation").order_by("pk")


def certificate_attendances(workshop: Workshop, min_days: int):
    """Attendances present at least `min_days` days, by name, with their days present."""
    return (
        Attendance.objects.filter(workshop=workshop)
        .select_related("person")
        .annotate(days_present=Count("presences"))
        .filter(days_present__gte=min_days)
        .order_by("person__full_name", "pk")
    )

"""How a figure classifies a person, each rule written once in its two forms.

Every rule has a Python form (for one person in hand: the door page, a
certificate, the import preview, an export row) and a database form (an ORM
expression, for reports aggregated by the database and the summaries their
triggers keep). They sit side by side here so that they cannot drift apart;
``tests/workshops/test_rules.py`` gives both the same people and compares.

Age group at an event:
- with a year of birth: youth when the event's year minus that year is
  ``settings.ACRSS_YOUTH_MAX_AGE`` or less (only the year is recorded), else older;
- without one: the group typed on a sheet as a range wholly on one side of the
  limit (« 40+ »), else the group kept on the attendance when the year of birth
  was erased, else unknown.
A person counted once over several events takes their group at the first of them.

Kind of organisation and membership, exclusive and taken in the order of
``CATEGORIES``: an AC-RSS member that also belongs to the CCSC-PURN counts as an
AC-RSS member.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from members.models import MembershipStatus, OrganisationKind

# The choices module alone: the models use these rules, so this must not import them.
from workshops.models.choices import AgeGroup

YOUTH = AgeGroup.YOUTH.value
OLDER = AgeGroup.OLDER.value
UNKNOWN = AgeGroup.UNKNOWN.value


class Year(Func):
    """A date's year in the database's own words: Django's ``ExtractYear`` calls a
    Python function on SQLite (absent in triggers and views) and is slow on PostgreSQL."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%Y', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(YEAR FROM %(expressions)s)::int")


def youth_max_age() -> int:
    return settings.ACRSS_YOUTH_MAX_AGE


def age_group(
    *,
    birth_year: int | None,
    event_year: int,
    typed_group: str = UNKNOWN,
    kept_group: str = UNKNOWN,
    max_age: int | None = None,
) -> str:
    """The age group at an event of a person in hand (an ``AgeGroup`` value)."""
    max_age = youth_max_age() if max_age is None else max_age
    if birth_year is not None:
        return YOUTH if event_year - birth_year <= max_age else OLDER
    return typed_group or kept_group or UNKNOWN


def age_group_expression(
    *,
    birth_year: str,
    event_date: str,
    typed_group: str,
    kept_group: str | None = None,
    max_age: int | None = None,
) -> Case:
    """``age_group`` computed by the database; the arguments are field paths
    from the queried model (``kept_group`` is None where no attendance is joined)."""
    max_age = youth_max_age() if max_age is None else max_age
    age = ExpressionWrapper(Year(event_date) - F(birth_year), output_field=IntegerField())
    without_year = Case(
        When(~Q(**{typed_group: UNKNOWN}), then=F(typed_group)),
        default=Coalesce(F(kept_group), Value(UNKNOWN)) if kept_group else Value(UNKNOWN),
        output_field=CharField(),
    )
    return Case(
        When(Q(**{f"{birth_year}__isnull": True}), then=without_year),
        When(GreaterThan(age, max_age), then=Value(OLDER)),
        default=Value(YOUTH),
        output_field=CharField(),
    )


def age_group_labels(max_age: int | None = None) -> dict[str, str]:
    max_age = youth_max_age() if max_age is None else max_age
    return {
        YOUTH: _("%(age)s or younger") % {"age": max_age},
        OLDER: _("%(age)s or older") % {"age": max_age + 1},
        UNKNOWN: _("Unknown (no year of birth)"),
    }


CATEGORIES = [
    ("acrss-member", _("AC-RSS member")),
    ("ccsc-purn-member", _("CCSC-PURN member (not AC-RSS)")),
    ("public", _("Public institution")),
    ("partner", _("Technical and financial partner")),
    ("media", _("Media")),
    ("other-osc", _("Other civil-society organisation")),
    ("unknown-kind", _("Kind of organisation unknown")),
    ("none", _("No organisation recorded")),
]
_KIND_CATEGORIES = {
    OrganisationKind.PUBLIC: "public",
    OrganisationKind.PARTNER: "partner",
    OrganisationKind.MEDIA: "media",
    OrganisationKind.UNKNOWN: "unknown-kind",
}


def category(organisation) -> str:
    """The kind-of-organisation key of a person's organisation (or None)."""
    if organisation is None:
        return "none"
    if organisation.membership_status == MembershipStatus.MEMBER:
        return "acrss-member"
    if organisation.ccsc_purn_member:
        return "ccsc-purn-member"
    return _KIND_CATEGORIES.get(organisation.kind, "other-osc")


def category_expression(prefix: str) -> Case:
    """``category`` computed by the database; ``prefix`` leads from the queried
    model to the organisation ("organisation__" from a person)."""

    def q(**lookups) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    return Case(
        When(q(isnull=True), then=Value("none")),
        When(q(membership_status=MembershipStatus.MEMBER), then=Value("acrss-member")),
        When(q(ccsc_purn_member=True), then=Value("ccsc-purn-member")),
        *(When(q(kind=kind), then=Value(key)) for kind, key in _KIND_CATEGORIES.items()),
        default=Value("other-osc"),
        output_field=CharField(),
    )

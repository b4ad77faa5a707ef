"""The figures of every workshop, kept by the database's own triggers.

Written only by the triggers that ``workshops/summaries/`` installs, in the
transaction of the write they follow; read by the reports and by the pages
that are kept under a workshop's version (``WorkshopSummary.revision``).
"""

from __future__ import annotations

import hashlib

from django.db import connection, models
from django.db.models import Q

from members.models import Region
from workshops.models.choices import AgeGroup, AttendanceRole, Sex
from workshops.rules import CATEGORIES

# What a classified row is counted by: one column per value a figure breaks down by.
SEXES = list(Sex.values)
AGE_GROUPS = {"youth": AgeGroup.YOUTH.value, "older": AgeGroup.OLDER.value, "unknown": ""}


def _categories() -> list[str]:
    return [key for key, _label in CATEGORIES]


def _regions() -> list[str]:
    return [*Region.values, ""]


def _roles() -> list[str]:
    return list(AttendanceRole.values)


def column(kind: str, key: str) -> str:
    """The column counting one value: ``column("region", "kayes")`` → ``region_kayes``."""
    key = (key or "unknown").replace("-", "_").lower()
    return f"{kind}_{key}"


def person_columns() -> dict[str, str]:
    """Columns counted per person, each with its condition on a classified row."""
    columns = {"participants": "1=1"}
    for sex in SEXES:
        columns[column("sex", sex)] = f"sex = '{sex}'"
    for name, group in AGE_GROUPS.items():
        columns[column("age", name)] = f"age_group = '{group}'"
    for sex in SEXES:
        for name, group in AGE_GROUPS.items():
            columns[f"sex_{sex.lower()}_{name}"] = f"sex = '{sex}' AND age_group = '{group}'"
    for key in _categories():
        columns[column("category", key)] = f"category = '{key}'"
    for region in _regions():
        columns[column("region", region)] = f"region = '{region}'"
    return columns


def attendance_columns() -> dict[str, str]:
    """Person columns and, per attendance, its role."""
    columns = person_columns()
    for role in _roles():
        columns[column("role", role)] = f"role = '{role}'"
    return columns


class WorkshopSummaryQuerySet(models.QuerySet):
    def version_of(self, workshops) -> str:
        """The counters of a set of workshops (a queryset), as two digests: it
        changes with anything their pages show, its part before the ":" with
        anything but presences. One query, whatever the rows."""
        fields = ["workshop_id", "revision", "day_revision"]
        rows = self.filter(workshop_id__in=workshops.order_by().values("pk"))
        people, days = hashlib.sha256(), hashlib.sha256()
        for workshop, revision, day_revision in rows.order_by("workshop_id").values_list(*fields):
            people.update(f"{workshop}.{revision};".encode())
            days.update(f"{workshop}.{day_revision};".encode())
        return f"set-{people.hexdigest()}:{days.hexdigest()}"

    # The two below are read before every kept page is served: plain SQL, because
    # building the ORM's query cost more than running it. Every version ends with
    # ":" and the presences' counters, so that what presences leave unchanged (a
    # page's title, a filter's choices, who may read, every figure but presences)
    # can be kept under the part before it (``without_presences``) through a day
    # of check-ins.

    def version_of_workshop(self, pk: int) -> str:
        """One workshop's counters (one row by its key)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT revision, day_revision FROM workshops_workshopsummary "
                "WHERE workshop_id = %s",
                [pk],
            )
            return "workshop-{}-{}:{}".format(pk, *(cursor.fetchone() or ("", "")))

    def version_of_scope(self, scope: int) -> str:
        """The counters of every workshop of a scope (see summaries/sql.py), summed:
        any change raises the sum, a workshop coming or going changes the others."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), SUM(s.revision), SUM(s.workshop_id), "
                "SUM(s.workshop_id * s.workshop_id), SUM(s.day_revision) "
                "FROM workshops_workshopsummary s "
                "JOIN workshops_scope_workshops_v v ON v.workshop_id = s.workshop_id "
                "WHERE v.scope_id = %s",
                [scope],
            )
            return "scope-{}-{}.{}.{}.{}:{}".format(scope, *cursor.fetchone())


def without_presences(version: str) -> str:
    """The part of a workshop's, a scope's or a set's version that presences leave
    as it is."""
    return version.rpartition(":")[0]


class SummaryState(models.Model):
    """One row: the fingerprint of the triggers installed and the youth limit they
    count with (see workshops/summaries.py); a rebuild follows any difference."""

    fingerprint = models.CharField(max_length=64)
    youth_max_age = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reports_summarystate_one_row"),
        ]

    def __str__(self) -> str:
        return self.fingerprint


class AttendanceFact(models.Model):
    """An attendance as the reports classify it; written only by the database's triggers."""

    attendance_id = models.BigIntegerField(primary_key=True)
    workshop_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField(db_index=True)
    role = models.CharField(max_length=16)
    sex = models.CharField(max_length=1)
    age_group = models.CharField(max_length=8)
    category = models.CharField(max_length=20)
    region = models.CharField(max_length=20)
    organisation_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"attendance {self.attendance_id}"


class ScopePerson(models.Model):
    """A person once per scope (0: every workshop; else the partner funding them),
    classified at their first workshop of it; written only by the triggers."""

    scope_id = models.BigIntegerField()
    person_id = models.BigIntegerField(db_index=True)
    first_workshop_id = models.BigIntegerField()
    sex = models.CharField(max_length=1)
    age_group = models.CharField(max_length=8)
    category = models.CharField(max_length=20)
    region = models.CharField(max_length=20)
    organisation_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_id", "person_id"], name="reports_scopeperson_once"
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} in scope {self.scope_id}"


class WorkshopSummary(models.Model):
    """A workshop's attendances summed, one row per workshop. ``revision`` grows with
    every change to what its reports show (people, the workshop, its funders),
    ``day_revision`` with every presence: caches are keyed by them."""

    workshop_id = models.BigIntegerField(primary_key=True)
    revision = models.BigIntegerField(db_default=0)
    day_revision = models.BigIntegerField(db_default=0)
    organisations = models.IntegerField(db_default=0)

    objects = WorkshopSummaryQuerySet.as_manager()

    def __str__(self) -> str:
        return f"workshop {self.workshop_id}"


class ScopeSummary(models.Model):
    """The people of a scope first seen at one workshop, summed."""

    scope_id = models.BigIntegerField()
    workshop_id = models.BigIntegerField(db_index=True)
    revision = models.BigIntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_id", "workshop_id"], name="reports_scopesummary_once"
            ),
        ]

    def __str__(self) -> str:
        return f"scope {self.scope_id}, workshop {self.workshop_id}"


class WorkshopDay(models.Model):
    """People present at a workshop on one day."""

    workshop_id = models.BigIntegerField()
    day = models.DateField()
    present = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop_id", "day"], name="reports_workshopday_once"),
        ]

    def __str__(self) -> str:
        return f"workshop {self.workshop_id} on {self.day}"


class WorkshopOrganisation(models.Model):
    """People of one organisation at a workshop: a workshop's unique organisations."""

    workshop_id = models.BigIntegerField()
    organisation_id = models.BigIntegerField()
    people = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop_id", "organisation_id"], name="reports_workshoporganisation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} at workshop {self.workshop_id}"


class ScopeOrganisation(models.Model):
    """People of one organisation in a scope: a scope's unique organisations."""

    scope_id = models.BigIntegerField()
    organisation_id = models.BigIntegerField()
    people = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope_id", "organisation_id"], name="reports_scopeorganisation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} in scope {self.scope_id}"


# The counted columns, one per value a figure breaks down by (see workshops/summaries.py).
for _name in attendance_columns():
    WorkshopSummary.add_to_class(_name, models.IntegerField(db_default=0))
for _name in person_columns():
    ScopeSummary.add_to_class(_name, models.IntegerField(db_default=0))

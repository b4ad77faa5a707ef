"""Report pages and figures kept in the cache under the versions of the workshops
they show.

Every workshop's summary row carries two counters that the database's triggers
raise with every change a report shows (``revision``: its people, its fields,
its funders; ``day_revision``: its presences). A workshop's report is kept under
its own counters; a set report page under the counters of the user's whole
scope, summed (one small query, and a filtered set is part of its scope); a
filtered set's figures under the digest of its own workshops' counters. A
check-in at one workshop thus leaves the reports of other workshops, and of
scopes without it, as they were kept, and nothing kept is ever read once one of
its workshops has changed.

Every version ends with the presences' counter, which a door check-in raises alone:
what presences leave unchanged (every figure but presences, and what the page
draws of them) is kept under the version without it, so a check-in costs a
report one small count of its presences and the drawing of what shows them.

When a kept value is missing, one process counts it while the others wait for
it (``common.caching.kept``), rather than every worker recounting the same
figures at once; the page parts are drawn the same way (``{% kept %}``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from common.caching import kept
from reports.queries import (
    Figures,
    SignInRow,
    build_figures,
    count_people,
    sign_in_people,
    with_days_present,
    with_presences,
)
from workshops.models import Project, WorkshopSummary
from workshops.models.summaries import without_presences
from workshops.rules import youth_max_age

# Changed when the shape of Figures changes: older entries are then never read.
FORMAT = 2
# Entries of older versions are never read again; they leave the cache after a day.
TIMEOUT = 24 * 3600


def versions(workshops) -> str | None:
    """The set's workshops with their counters, as one digest (one query);
    None for a set that is empty by construction."""
    try:
        str(workshops.order_by().values("pk").query)
    except EmptyResultSet:
        return None
    return WorkshopSummary.objects.version_of(workshops)


def _key(*parts: str) -> str:
    text = "|".join([str(FORMAT), get_language() or "", str(youth_max_age()), *parts])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class FigureKeys:
    """The cache keys of a set's figures: ``people``, of every figure but presences
    (kept through a day of check-ins), and ``all``, of every figure."""

    people: str
    all: str


def figure_keys(
    workshops, project: Project | None, scope: int | None, version: str | None = None
) -> FigureKeys | None:
    """The keys of a set's figures; None for a set that is empty by construction."""
    version = versions(workshops) if version is None else version
    if version is None:
        return None
    project_key = str(project.pk if project else "")
    return FigureKeys(
        people="reports:people:" + _key(without_presences(version), project_key, str(scope)),
        all="reports:figures:" + _key(version, project_key, str(scope)),
    )


def cached_page(request: HttpRequest, scope: str, version: str | None) -> dict:
    """What a report page's ``{% cache part.seconds "report" part.key %}`` varies on:
    the versions of its workshops (``versions()``, read before anything the page
    shows), whose workshops (``scope``), the filter, the language. Its title and
    its filter's choices, which no check-in changes, are kept under ``part.fields_key``
    (the version but for presences), so a day of check-ins leaves them kept."""
    version = version or "empty:"
    query = request.GET.urlencode()
    return {
        "part": {
            "seconds": TIMEOUT,
            "key": _key(version, scope, query),
            "fields_key": _key(without_presences(version), scope, query),
        }
    }


@dataclass(frozen=True)
class ChosenSet:
    """What a set report's filter holds: its workshops, its project, and whether it
    holds at all (an invalid filter holds no workshop)."""

    ids: list[int]
    project_id: int | None
    holds: bool

    @property
    def project(self) -> Project | None:
        return Project.objects.get(pk=self.project_id) if self.project_id else None


def chosen_set(
    request: HttpRequest, scope: str, version: str, choose: Callable[[], ChosenSet]
) -> ChosenSet:
    """What the request's filter holds in the scope, kept under the scope's version
    but for presences (which workshops a filter holds changes with their fields,
    funders or projects, never with a check-in)."""
    key = "reports:chosen:" + _key(without_presences(version), scope, request.GET.urlencode())
    return kept(key, choose, timeout=TIMEOUT)


def cached_figures(
    workshops,
    *,
    project: Project | None = None,
    scope: int | None = None,
    keys: FigureKeys | None = None,
) -> Figures:
    """``build_figures``: every figure but presences counted once per version of the
    set's workshops without their presences (``keys``: its ``figure_keys`` when the
    caller has them), the presences counted each time (one query), so that a door
    check-in costs a report no recount."""
    keys = figure_keys(workshops, project, scope) if keys is None else keys

    def count() -> Figures:
        return count_people(workshops, project=project, scope=scope)

    people = count() if keys is None else kept(keys.people, count, timeout=TIMEOUT)
    return with_presences(people)


def figures_and_keys(
    workshops,
    *,
    project: Project | None = None,
    scope: int | None = None,
    version: str | None = None,
) -> tuple[Figures, FigureKeys | None]:
    """The figures, and the keys a page caches what it draws of them under
    (``version``: the set's ``versions()`` when the caller has read them).

    The figures are read (from the cache, or counted) only when first used: a
    page whose drawing of them is cached under the keys never reads them.
    """
    keys = figure_keys(workshops, project, scope, version)
    if keys is None:
        return build_figures(workshops, project=project, scope=scope), None
    figures = SimpleLazyObject(
        lambda: cached_figures(workshops, project=project, scope=scope, keys=keys)
    )
    return figures, keys


def cached_sign_in(workshop, keys: FigureKeys, max_age: int, *, limit: int) -> list[SignInRow]:
    """A workshop's sign-in list: its people kept with the figures but presences
    (``keys.people``), their days present read each time (one query)."""
    people = kept(
        f"{keys.people}:sign-in:{limit}",
        lambda: sign_in_people(workshop, max_age, limit=limit),
        timeout=TIMEOUT,
    )
    return with_days_present(people, workshop)

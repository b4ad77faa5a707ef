"""Report figures kept in the cache under the stamp of the data they count.

Counting a set of workshops re-reads every attendance of the set (seconds at
100,000 attendances); reading the same figures again is one small query for the
stamp and one cache read. Every write a report counts changes the stamp in its
own transaction (the services announce it with ``common.signals``, and
``reports.services.mark_report_data_changed`` listens), so a stamp names one
state of the data and figures cached under it are never stale.

The key holds the set's own SQL (its scope and filter, whoever asks), the
chosen project, the language of the labels and the youth limit: two people see
the same cached figures only when they ask for the same workshops.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from reports.models import ReportDataVersion
from reports.queries import Figures, build_figures, youth_max_age
from workshops.models import Project

# Changed when the shape of Figures changes: older entries are then never read.
FORMAT = 1
# Entries of an older stamp are never read again; they leave the cache after a day.
TIMEOUT = 24 * 3600


def current_stamp() -> str:
    """Read on every report page: one row by its key, in plain SQL (the ORM's
    building of this query cost more than the query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT stamp FROM reports_reportdataversion WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        version, _created = ReportDataVersion.objects.get_or_create(pk=1)
        return str(version.stamp)
    return str(uuid.UUID(str(row[0])))


def figures_key(workshops, project: Project | None) -> str | None:
    """The cache key of a set's figures; None for a set that is empty by construction."""
    try:
        sql, params = workshops.order_by("pk").values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    text = "|".join(
        [
            str(FORMAT),
            current_stamp(),
            get_language() or "",
            str(youth_max_age()),
            str(project.pk if project else ""),
            sql,
            repr(params),
        ]
    )
    return "reports:figures:" + hashlib.sha256(text.encode()).hexdigest()


def cached_page(request: HttpRequest, scope: str, stamp: str) -> dict:
    """What a report page's ``{% cache part.seconds "report" part.key %}`` varies on:
    the data's ``stamp`` (``current_stamp()``, read before anything the page
    shows), whose workshops (``scope``), the filter, the language.
    A page kept under it is read with one small query, and never once the data
    has changed."""
    text = "|".join(
        [
            str(FORMAT),
            stamp,
            scope,
            request.GET.urlencode(),
            get_language() or "",
            str(youth_max_age()),
        ]
    )
    return {"part": {"seconds": TIMEOUT, "key": hashlib.sha256(text.encode()).hexdigest()}}


def cached_figures(workshops, *, project: Project | None = None) -> Figures:
    """``build_figures``, counted once per state of the data."""
    key = figures_key(workshops, project)
    if key is None:
        return build_figures(workshops, project=project)
    return _kept(key, workshops, project)


def figures_and_key(workshops, *, project: Project | None = None) -> tuple[Figures, str | None]:
    """The figures, and the key a page caches what it draws of them under.

    The figures are read (from the cache, or counted) only when first used: a
    page whose drawing of them is cached under the key never reads them.
    """
    key = figures_key(workshops, project)
    if key is None:
        return build_figures(workshops, project=project), None
    return SimpleLazyObject(lambda: _kept(key, workshops, project)), key


def _kept(key: str, workshops, project: Project | None) -> Figures:
    figures = cache.get(key)
    if figures is None:
        figures = build_figures(workshops, project=project)
        cache.set(key, figures, timeout=TIMEOUT)
    return figures

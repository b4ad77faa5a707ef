"""The alliance's own public pages, the health probes and the server error page."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.caching import VISITOR_SECONDS, cached_for_visitors
from members.models import Organisation
from workshops.models import Workshop

# Seconds a client or load balancer should wait before asking again.
RETRY_AFTER = 30


def alliance_figures() -> dict[str, int]:
    members = Organisation.objects.members()
    return {
        "members": members.count(),
        "regions": members.regions_covered(),
        "workshops": Workshop.objects.held().count(),
    }


@login_not_required
@require_safe
@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    # The same figures for everyone, as fresh as a visitor's page.
    figures = cache.get_or_set("alliance-figures", alliance_figures, VISITOR_SECONDS)
    return render(request, "home.html", {"figures": figures})


@login_not_required
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    # The oldest backup kept: the newest of each of the last weeks kept, or of the days.
    backup_days = max(settings.ACRSS_BACKUP_KEEP_DAILY, 7 * (settings.ACRSS_BACKUP_KEEP_WEEKLY + 1))
    context = {"retention_years": settings.ACRSS_RETENTION_YEARS, "backup_days": backup_days}
    return render(request, "privacy.html", context)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers; it touches no database, so a restart is not asked for
    when only the database is down."""
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic when the database and the shared cache answer; otherwise
    503, naming what is down (the pages carry on over the database meanwhile)."""
    down = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        down.append("database unavailable")
    answers = getattr(cache, "answers", None)
    if answers is not None and not answers():
        down.append("cache (Redis) unavailable")
    if down:
        body = "".join(f"{line}\n" for line in down)
        response = HttpResponse(body, status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse("ok\n", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page, rendered without the request: a request refused before the
    middleware ran (an unknown host) has no user to show."""
    return HttpResponse(loader.get_template("400.html").render(), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the database does not answer.

    Rendered without the request, so that no context processor reaches for the
    session or the user: it must show when the database is down.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)

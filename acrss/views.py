"""The alliance's own public pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from members.models import Organisation
from workshops.models import Workshop


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    members = Organisation.objects.members()
    figures = {
        "members": members.count(),
        "regions": members.regions_covered(),
        "workshops": Workshop.objects.held().count(),
    }
    return render(request, "home.html", {"figures": figures})


@login_not_required
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"retention_years": settings.ACRSS_RETENTION_YEARS})

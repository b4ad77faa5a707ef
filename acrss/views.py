"""The alliance's own public pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from members.models import Organisation
from workshops.models import Workshop


def home(request: HttpRequest) -> HttpResponse:
    members = Organisation.objects.members()
    figures = {
        "members": members.count(),
        "regions": members.regions_covered(),
        "workshops": Workshop.objects.held().count(),
    }
    return render(request, "home.html", {"figures": figures})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html")

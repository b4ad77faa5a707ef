"""The portal's URLs and the bare view the pages are compared with.

Only the benchmark's WSGI entry point (`bench.wsgi`) serves these: the bare
view never exists in the portal itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", ok), path("", include("acrss.urls"))]

"""The portal's URLs and the bare view the pages are compared with.

Only the benchmark's WSGI entry point (`bench.wsgi`) serves these: the bare
view never exists in the portal itself.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_not_required  # the same view is measured for visitors and signed in
def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/ok/", ok), path("", include("acrss.urls"))]

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.services import set_preferred_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language, and remember it for a signed-in person's e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        set_preferred_language(request.user, language=language)
    return response

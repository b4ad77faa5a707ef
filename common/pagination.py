"""One page of a long list, the same way on every list of the portal."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import reverse


def page_of(request: HttpRequest, items, *, size: int | None = None) -> tuple[Page, str]:
    """The page the request asks for (the last one past the end), and the request's
    other query parameters, for the links to the pages beside it.

    An offset paginator is enough at the portal's sizes: its longest list, the
    register of people, holds tens of thousands of rows, a few hundred pages.
    """
    page = Paginator(items, size or settings.ACRSS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# A number no row's key reaches, replaced in one reversed URL by each row's key.
_MARKER = 987654321987654321


def url_for_each(viewname: str, *args) -> Callable[[int], str]:
    """The URL of `viewname` for any last argument, reversed once for a whole page.

    A long table links each row two or three times; `{% url %}` resolves the
    pattern anew every time, which cost most of a 300-row page's rendering.
    """
    head, _marker, tail = reverse(viewname, args=[*args, _MARKER]).rpartition(str(_MARKER))
    return lambda key: f"{head}{key}{tail}"

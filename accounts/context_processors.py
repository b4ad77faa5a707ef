from __future__ import annotations

from django.http import HttpRequest

from accounts.navigation import entries_for


def navigation(request: HttpRequest) -> dict:
    return {"nav_entries": lambda: entries_for(request)}

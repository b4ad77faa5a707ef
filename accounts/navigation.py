"""The entries of the main navigation, each shown only to the roles it serves."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    shown_to: tuple[str, ...] = ("everyone",)
    hidden_from: tuple[str, ...] = ()

    def visible_to(self, user) -> bool:
        if any(has_role(user, Role(name)) for name in self.hidden_from):
            return False
        if "everyone" in self.shown_to:
            return True
        if "signed-in" in self.shown_to:
            return user.is_authenticated
        if "admin" in self.shown_to and user.is_superuser:
            return True
        return any(has_role(user, Role(name)) for name in self.shown_to if name in Role.values)


ENTRIES: list[Entry] = [
    Entry("home", _("Home")),
    Entry("members:directory", _("Directory")),
    Entry("workshops:list", _("Workshops")),
    Entry("members:mine", _("My organisation"), ("signed-in",), hidden_from=(Role.PARTNER,)),
    Entry("members:queue", _("Applications"), (Role.COMMITTEE, Role.SECRETARIAT)),
    Entry("members:organisations", _("Members"), (Role.COMMITTEE, Role.SECRETARIAT)),
    Entry("reports:set", _("Reports"), (Role.PARTNER, Role.SECRETARIAT)),
    Entry("accounts:roles", _("Roles"), (Role.SECRETARIAT,)),
    Entry("admin:index", _("Administration"), ("admin",)),
]


def entries_for(request: HttpRequest) -> list[dict]:
    path = request.path
    items = []
    for entry in ENTRIES:
        if not entry.visible_to(request.user):
            continue
        url = reverse(entry.url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": entry.label, "current": current})
    return items

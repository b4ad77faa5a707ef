"""The entries of the main navigation, each shown only to those it serves.

An entry is shown when the user holds its permission (the same permission
the page's view asks for), so the menu never offers a page that answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    # Any of: "everyone", "admin", "representative" (a signed-in person who is
    # not partner staff), or a permission the page needs.
    shown_to: tuple[str, ...] = ("everyone",)

    def visible_to(self, user) -> bool:
        for who in self.shown_to:
            if who == "everyone":
                return True
            if who == "admin" and user.is_superuser:
                return True
            if who == "representative" and user.is_authenticated:
                return user.partner_organisation_id is None or user.is_superuser
            if "." in who and user.has_perm(who):
                return True
        return False


ENTRIES: list[Entry] = [
    Entry("home", _("Home")),
    Entry("members:directory", _("Directory")),
    Entry("workshops:list", _("Workshops")),
    Entry("members:mine", _("My organisation"), ("representative",)),
    Entry("members:queue", _("Applications"), ("members.view_application",)),
    Entry("members:organisations", _("Members"), ("members.view_organisation",)),
    Entry(
        "reports:set",
        _("Reports"),
        ("workshops.view_all_attendance_reports", "workshops.view_attendance_report"),
    ),
    Entry("accounts:roles", _("Roles"), ("accounts.assign_roles",)),
    Entry("accounts:failed-emails", _("E-mails not sent"), ("common.resend_email",)),
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

"""Demo accounts, one per role: only ever created in a demo database."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role

# Published in the README on purpose: demo accounts exist only with DJANGO_DEBUG=1.
DEMO_PASSWORD = "demo-acrss-2022"  # noqa: S105

# (e-mail, full name, role or "admin" or "representative")
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("admin@example.org", "Moussa Keïta", "admin"),
    ("secretariat@example.org", "Aminata Traoré", Role.SECRETARIAT),
    ("committee1@example.org", "Oumar Diallo", Role.COMMITTEE),
    ("committee2@example.org", "Fatoumata Coulibaly", Role.COMMITTEE),
    ("committee3@example.org", "Ibrahim Maïga", Role.COMMITTEE),
    ("committee4@example.org", "Kadiatou Sangaré", Role.COMMITTEE),
    ("committee5@example.org", "Bakary Dembélé", Role.COMMITTEE),
    ("fes@example.org", "Claudia Weber", Role.PARTNER),
    ("representative@example.org", "Mariam Touré", "representative"),
]


@transaction.atomic
def load_accounts() -> list[tuple[str, str]]:
    """Create the demo accounts that do not exist yet; return (e-mail, role) rows."""
    rows = []
    for email, full_name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role == "admin"
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            if role in Role.values:
                user.groups.add(Group.objects.get(name=role))
        rows.append((email, str(role)))
    return rows

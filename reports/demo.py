"""Demo link: the FES demo account represents the Friedrich-Ebert-Stiftung."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from members.models import Organisation, Representative

PARTNER_ACCOUNTS = [("fes@example.org", "Friedrich-Ebert-Stiftung")]


@transaction.atomic
def load() -> str:
    """Make each demo partner account represent its organisation, once."""
    linked = []
    for email, organisation_name in PARTNER_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        organisation = Organisation.objects.matching(organisation_name).first()
        if user is None or organisation is None:
            continue
        Representative.objects.get_or_create(user=user, defaults={"organisation": organisation})
        linked.append(f"{email} → {organisation.acronym or organisation.name}")
    return "Demo partner accounts: " + (", ".join(linked) or "none")

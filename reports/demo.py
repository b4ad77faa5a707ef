"""Demo link: the FES demo account reads the reports of the Friedrich-Ebert-Stiftung."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from members.models import Organisation

PARTNER_ACCOUNTS = [("fes@example.org", "Friedrich-Ebert-Stiftung")]


@transaction.atomic
def load() -> str:
    """Link each demo partner account to its funding organisation, once."""
    linked = []
    for email, organisation_name in PARTNER_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        organisation = Organisation.objects.matching(organisation_name).first()
        if user is None or organisation is None:
            continue
        if user.partner_organisation_id is None:
            user.partner_organisation = organisation
            user.save(update_fields=["partner_organisation"])
        linked.append(f"{email} → {organisation.acronym or organisation.name}")
    return "Demo partner accounts: " + (", ".join(linked) or "none")

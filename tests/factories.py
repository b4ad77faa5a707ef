"""Explicit factories: each test shows the data it depends on."""

from __future__ import annotations

import time
from itertools import count

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from accounts.models import User

PASSWORD = "a-long-test-password-1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_numbers = count(1)


def make_user(
    email: str | None = None,
    *,
    role: str | None = None,
    verified: bool = True,
    second_factor: bool = True,
    **fields,
) -> User:
    email = email or f"person{next(_numbers)}@example.org"
    user = User.objects.create_user(email, PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if role == "admin":
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    elif role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if role and second_factor:
        # Accounts that see personal data have a second factor, as in production.
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_partner(organisation, email: str | None = None, **fields) -> User:
    """Staff of a funding partner: the partner role, linked to the funder they work for."""
    return make_user(email, role="partner", partner_organisation=organisation, **fields)


def pass_second_factor(client, user: User) -> None:
    """Record in the client's session that it signed in with the password and,
    when the account has one, the second factor."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


def current_totp_code() -> str:
    """The code an authenticator app would show now for TOTP_SECRET.

    A code is good for its 30-second window only (no tolerance): none is given in
    the window's last three seconds, where it could expire before the server reads it.
    """
    time.sleep(max(0.0, 3 - (30 - time.time() % 30)))
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


_organisation_numbers = count(1)
PDF_BYTES = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The smallest valid PNG: one transparent pixel.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def make_organisation(name: str | None = None, acronym: str | None = None, **overrides):
    from members.services import register_organisation

    number = next(_organisation_numbers)
    fields = {
        "name": name or f"Association numéro {number}",
        "acronym": f"AN{number}" if acronym is None else acronym,
        "kind": "association",
        "region": "bamako",
        "by": None,
    }
    fields.update(overrides)
    return register_organisation(**fields)


def make_application(representative, *, status: str = "draft", **organisation_fields):
    """An application of a new organisation that `representative` represents,
    moved through the services to `status`."""
    from django.core.files.base import ContentFile

    from members import services

    number = next(_organisation_numbers)
    fields = {
        "name": f"Organisation {number}",
        "acronym": f"ORG{number}",
        "kind": "ngo",
        "region": "segou",
    }
    fields.update(organisation_fields)
    application = services.create_applicant_organisation(by=representative, **fields)
    if status == "draft":
        return application
    for kind in ("statutes", "receipt"):
        services.add_document(
            application.organisation,
            by=representative,
            kind=kind,
            file=ContentFile(PDF_BYTES, name=f"{kind}.pdf"),
            content_type="application/pdf",
        )
    services.submit_application(application, by=representative)
    if status in ("more-information", "resubmitted"):
        services.request_more_information(application, by=None, message="Où est le PV ?")
    if status == "resubmitted":
        services.submit_application(application, by=representative)
    application.refresh_from_db()
    return application


def make_failed_email(to: str = "awa@example.org", **fields):
    """An e-mail the mail server refused at every try: listed for the secretariat."""
    from django.utils import timezone

    from common.models import OutgoingEmail

    defaults = {
        "kind": "application_decided",
        "subject": "Bienvenue dans l'alliance",
        "tries": 5,
        "last_error": "ConnectionRefusedError: [Errno 111] Connection refused",
        "failed_at": timezone.now(),
    }
    return OutgoingEmail.objects.create(to=to, **{**defaults, **fields})

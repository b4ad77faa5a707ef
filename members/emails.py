"""The e-mails of the membership process: one function each, knowing its
templates (`templates/emails/<name>_subject.txt`, `.txt`, `.html`) and its
recipients.

Services call them inside the transaction of the change: the e-mail is owed
(`common/mail.py`) with the change, or not at all, and sent by the worker.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model

from accounts.roles import Role, holders_of
from common.mail import send_to_address, send_to_users
from members.models import Application, Organisation


def _representatives(organisation: Organisation):
    return get_user_model().objects.filter(representation__organisation=organisation)


def send_application_received(application: Application) -> None:
    """To the applicant's representatives: their application reached the committee."""
    send_to_users(
        _representatives(application.organisation),
        "application_received",
        {"application": application, "organisation": application.organisation},
    )


def send_application_to_review(application: Application) -> None:
    """To every active member of the steering committee, except those who
    represent the applicant: an application awaits them."""
    send_to_users(
        holders_of(Role.COMMITTEE).exclude(representation__organisation=application.organisation),
        "application_to_review",
        {"application": application, "organisation": application.organisation},
    )


def send_information_requested(application: Application) -> None:
    """To the applicant's representatives: the committee asks a question."""
    send_to_users(
        _representatives(application.organisation),
        "information_requested",
        {"application": application, "organisation": application.organisation},
    )


def send_application_decided(application: Application) -> None:
    """To the applicant's representatives: approved or rejected, and why."""
    send_to_users(
        _representatives(application.organisation),
        "application_decided",
        {"application": application, "organisation": application.organisation},
    )


def send_membership_changed(organisation: Organisation, action: str, reason: str) -> None:
    """To a member's representatives: suspended, reinstated or withdrawn, and why."""
    send_to_users(
        _representatives(organisation),
        "membership_changed",
        {"organisation": organisation, "action": action, "reason": reason},
    )


def send_invitation_request(organisation: Organisation, asker) -> None:
    """To the organisation's representatives: someone asks to be invited; they get the
    asker's address and a link to the invitation form filled with it."""
    send_to_users(
        _representatives(organisation),
        "invitation_requested",
        {"organisation": organisation, "asker": asker, "query": urlencode({"email": asker.email})},
    )


def send_invitation(organisation: Organisation, inviter, email: str, token: str) -> None:
    """To the invited colleague's address, in the inviter's language: a link to join."""
    send_to_address(
        email,
        language=inviter.language,
        template="representative_invited",
        context={
            "organisation": organisation,
            "inviter": inviter,
            "token": token,
            "days": settings.ACRSS_INVITATION_DAYS,
        },
    )

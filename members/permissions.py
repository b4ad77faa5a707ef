"""Who may see or change an organisation, its application and its documents.

Every view fetches through these helpers. Someone with no business with an
object gets 404, so its existence is not revealed; someone who may see it but
not do what they asked gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from members.models import (
    Application,
    ApplicationStatus,
    Document,
    Organisation,
    OrganisationKind,
)

VIEW_APPLICATIONS = "members.view_application"
DECIDE_APPLICATIONS = "members.decide_application"
VIEW_ORGANISATIONS = "members.view_organisation"


def own_organisation(user) -> Organisation | None:
    """The organisation a signed-in person represents, if any.

    A partner's link to its funder only scopes its reports: partner staff
    never edit the funder's record, apply or invite from it."""
    if not user.is_authenticated:
        return None
    return (
        Organisation.objects.filter(representatives__user=user)
        .exclude(kind=OrganisationKind.PARTNER)
        .first()
    )


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_APPLICATIONS)


def get_application_for(user, pk: int, *, decide: bool = False) -> Application:
    """An application for its own representatives (read) or the committee and
    secretariat once submitted (read; the committee also votes)."""
    application = Application.objects.select_related("organisation").filter(pk=pk).first()
    if application is None or not user.is_authenticated:
        raise Http404
    is_own = application.organisation.representatives.filter(user=user).exists()
    reviewer = can_review(user) and application.status != ApplicationStatus.DRAFT
    if not (is_own or reviewer):
        raise Http404
    if decide and not user.has_perm(DECIDE_APPLICATIONS):
        raise PermissionDenied
    return application


def get_document_for(user, pk: int) -> Document:
    document = Document.objects.select_related("organisation").filter(pk=pk).first()
    if document is None or not user.is_authenticated:
        raise Http404
    is_own = document.organisation.representatives.filter(user=user).exists()
    # Reviewers read what was sent to them, not an applicant's unsent draft.
    sent = document.organisation.applications.exclude(status=ApplicationStatus.DRAFT).exists()
    if not (is_own or (can_review(user) and sent)):
        raise Http404
    return document


def get_organisation_for(user, pk: int, *, decide: bool = False) -> Organisation:
    """An organisation's full record, for the committee and the secretariat."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not (user.is_authenticated and user.has_perm(VIEW_ORGANISATIONS)):
        raise Http404
    if decide and not user.has_perm(DECIDE_APPLICATIONS):
        raise PermissionDenied
    return organisation


def require_reviewer(user) -> None:
    if not can_review(user):
        raise Http404

"""Who may see or change an organisation, its application and its documents.

Every view fetches through these helpers, which ask `user.has_perm(...)` for
the permissions of `accounts.roles`. Someone with no business with an object
gets 404, so its existence is not revealed; someone who may see it but not do
what they asked gets 403.

An organisation that never sent an application is a draft: only its own
representatives (and admins) know it exists. A reviewer who represents an
organisation never meets it as a reviewer: its application, its record and
its place in the queue answer 404, as for anyone who may not know of them
(they follow it on their own organisation's page, as its applicants do).
Only active committee members decide: admins read and correct, never vote.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role, roles_of
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
VIEW_DOCUMENTS = "members.view_document"
VIEW_DRAFTS = "members.view_draft_organisation"


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


def represents(user, organisation: Organisation) -> bool:
    return user.is_authenticated and organisation.representatives.filter(user=user).exists()


def can_review(user) -> bool:
    return user.has_perm(VIEW_APPLICATIONS)


def is_committee_member(user) -> bool:
    """An active account in the committee's group: holding the permission is not
    enough, since admins hold every permission without being members."""
    return user.is_authenticated and user.is_active and Role.COMMITTEE in roles_of(user)


def is_conflicted(user, organisation: Organisation) -> bool:
    """A reviewer who represents the organisation (admins, who never vote, excepted)."""
    return not user.is_superuser and can_review(user) and represents(user, organisation)


def may_decide_any(user) -> bool:
    return is_committee_member(user) and user.has_perm(DECIDE_APPLICATIONS)


def may_decide(user, application: Application) -> bool:
    """Committee members vote and return applications, except their own organisation's."""
    return may_decide_any(user) and not represents(user, application.organisation)


def is_unsent_draft(organisation: Organisation) -> bool:
    """An applicant's organisation that never sent its application. (An
    organisation the secretariat registered, with no application, is not one.)"""
    applications = organisation.applications.all()
    return applications.exists() and not applications.exclude(submitted_at=None).exists()


def _may_see_organisation(user, organisation: Organisation, permission: str) -> bool:
    if represents(user, organisation):
        return True
    if not user.has_perm(permission):
        return False
    return user.has_perm(VIEW_DRAFTS) or not is_unsent_draft(organisation)


def get_application_for(user, pk: int, *, decide: bool = False) -> Application:
    """An application for its own representatives (read) or, once submitted,
    for the committee and secretariat (read; the committee also votes, except
    on its own members' organisations)."""
    application = Application.objects.select_related("organisation").filter(pk=pk).first()
    if application is None or not user.is_authenticated:
        raise Http404
    if is_conflicted(user, application.organisation):
        raise Http404
    is_own = represents(user, application.organisation)
    sent = application.status != ApplicationStatus.DRAFT or user.has_perm(VIEW_DRAFTS)
    if not (is_own or (can_review(user) and sent)):
        raise Http404
    if decide and not may_decide(user, application):
        raise PermissionDenied
    return application


def get_document_for(user, pk: int, *, change: bool = False) -> Document:
    """A document, read by its organisation's representatives and, once the
    organisation has sent an application, by reviewers; changed only by its
    representatives."""
    document = Document.objects.select_related("organisation").filter(pk=pk).first()
    if document is None or not _may_see_organisation(user, document.organisation, VIEW_DOCUMENTS):
        raise Http404
    if change and not represents(user, document.organisation):
        raise PermissionDenied
    return document


def get_organisation_for(user, pk: int, *, decide: bool = False) -> Organisation:
    """An organisation's full record, for the committee and the secretariat
    once it has applied (admins see drafts too)."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not user.has_perm(VIEW_ORGANISATIONS):
        raise Http404
    if is_unsent_draft(organisation) and not user.has_perm(VIEW_DRAFTS):
        raise Http404
    if is_conflicted(user, organisation):
        raise Http404
    if decide and not may_decide_any(user):
        raise PermissionDenied
    return organisation


def require_reviewer(user) -> None:
    if not can_review(user):
        raise Http404

"""Everything that changes organisations, their applications and their membership.

Each function runs in one transaction, refuses a move the rules forbid with a
message the person can read, writes the audit log and sends its e-mails only
once the change is committed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, holders_of
from audit.models import AuditAction
from audit.services import log_action
from common.caching import forget_visitor_pages
from common.ratelimit import allow
from members import emails
from members.models import (
    AWAITING_DECISION,
    REQUIRED_DOCUMENTS,
    Application,
    ApplicationStatus,
    Document,
    DocumentKind,
    MembershipStatus,
    Organisation,
    Representative,
    Vote,
    VoteChoice,
    match_key,
)


class MembershipError(Exception):
    """A change the rules refuse; the message is for the person who asked."""


class DuplicateOrganisation(MembershipError):
    def __init__(self, existing: Organisation):
        self.existing = existing
        super().__init__(
            _("This organisation is already registered as “%(existing)s”.") % {"existing": existing}
        )


def find_duplicate(name: str, acronym: str = "", *, exclude: Organisation | None = None):
    """The registered organisation whose name or acronym matches, ignoring case,
    accents, spaces and punctuation."""
    candidates = Organisation.objects.none()
    for text in (name, acronym):
        candidates = candidates | Organisation.objects.matching(text)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return candidates.first()


def store_organisation(organisation: Organisation, *, update_fields=None) -> None:
    """Save with its matching keys, refusing a duplicate of another organisation."""
    organisation.name_key = match_key(organisation.name)
    organisation.acronym_key = match_key(organisation.acronym)
    exclude = organisation if organisation.pk else None
    if existing := find_duplicate(organisation.name, organisation.acronym, exclude=exclude):
        raise DuplicateOrganisation(existing)
    try:
        with transaction.atomic():
            organisation.save(update_fields=update_fields)
    except IntegrityError:
        # Someone registered the same name at the same instant.
        existing = find_duplicate(organisation.name, organisation.acronym, exclude=exclude)
        raise DuplicateOrganisation(existing or organisation) from None


def register_organisation(*, by, themes=(), **fields) -> Organisation:
    """Add an organisation to the register, refusing a second copy of one."""
    organisation = Organisation(**fields)
    with transaction.atomic():
        store_organisation(organisation)
        organisation.themes.set(themes)
        log_action(AuditAction.ORGANISATION_REGISTERED, actor=by, target=organisation)
    return organisation


def _refuse_a_second_organisation(user) -> None:
    """A person speaks for one organisation; partner staff, who read their
    funder's reports, speak for none."""
    if (
        user.partner_organisation_id is not None
        or Representative.objects.filter(user=user).exists()
    ):
        raise MembershipError(_("You already represent an organisation."))


def create_applicant_organisation(*, by, themes=(), **fields) -> Application:
    """A person describes their organisation: they become its representative,
    and its membership application starts as a draft."""
    with transaction.atomic():
        _refuse_a_second_organisation(by)
        organisation = register_organisation(by=by, themes=themes, **fields)
        Representative.objects.create(organisation=organisation, user=by)
        application = Application.objects.create(organisation=organisation)
        log_action(AuditAction.APPLICATION_CREATED, actor=by, target=application)
    return application


def apply_again(organisation: Organisation, *, by) -> Application:
    """A new application after a rejection or a withdrawal; the profile and the
    documents already sent stay, to be brought up to date."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.membership_status in (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED):
            raise MembershipError(_("Your organisation is already a member of the alliance."))
        if organisation.applications.open().exists():
            raise MembershipError(_("Your organisation already has an application in progress."))
        application = Application.objects.create(organisation=organisation)
        log_action(AuditAction.APPLICATION_CREATED, actor=by, target=application, again=True)
    return application


def _refuse_while_under_review(organisation: Organisation, message: str) -> None:
    if organisation.applications.filter(status__in=AWAITING_DECISION).exists():
        raise MembershipError(message)


def update_organisation(organisation: Organisation, *, by, themes=None, **fields) -> None:
    with transaction.atomic():
        _refuse_while_under_review(
            organisation,
            _("The profile cannot change while the committee examines the application."),
        )
        # A bound form may have written its values on `organisation` already:
        # what changed is read against the stored row.
        stored = Organisation.objects.get(pk=organisation.pk)
        changed = [name for name, value in fields.items() if getattr(stored, name) != value]
        for name, value in fields.items():
            setattr(organisation, name, value)
        store_organisation(organisation, update_fields=[*fields, "name_key", "acronym_key"])
        if themes is not None:
            organisation.themes.set(themes)
            changed.append("themes")
        log_action(AuditAction.ORGANISATION_UPDATED, actor=by, target=organisation, fields=changed)


def delete_organisation(organisation: Organisation, *, by) -> None:
    """Remove an organisation from the register with its applications, votes,
    representatives and documents (their files once committed); the audit log
    keeps its name. Refused while people or partner staff belong to it."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        files = [document.file for document in organisation.documents.all()]
        log_action(
            AuditAction.ORGANISATION_DELETED,
            actor=by,
            target=organisation,
            name=organisation.name,
            acronym=organisation.acronym,
            documents=len(files),
        )
        try:
            organisation.delete()
        except ProtectedError:
            raise MembershipError(
                _("People or partner staff belong to this organisation: move them first.")
            ) from None
        # Named on the visitors' directory: not for another minute.
        forget_visitor_pages("directory")
        transaction.on_commit(lambda: [file.delete(save=False) for file in files])


def _lock(application: Application) -> Application:
    """Re-read the application under a row lock: concurrent moves queue here."""
    return (
        Application.objects.select_for_update()
        .select_related("organisation")
        .get(pk=application.pk)
    )


def missing_documents(organisation: Organisation) -> list[str]:
    present = set(organisation.documents.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_DOCUMENTS if kind not in present]


def add_document(organisation: Organisation, *, by, kind: str, file, content_type: str) -> Document:
    with transaction.atomic():
        _refuse_while_under_review(
            organisation,
            _("Documents cannot change while the committee examines the application."),
        )
        document = Document(
            organisation=organisation,
            kind=kind,
            original_name=file.name[-200:],
            content_type=content_type,
            size=file.size,
            uploaded_by=by,
        )
        document.file.save(file.name, file, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        log_action(
            AuditAction.DOCUMENT_ADDED,
            actor=by,
            target=organisation,
            kind=kind,
            name=document.original_name,
        )
    return document


def remove_document(document: Document, *, by) -> None:
    organisation = document.organisation
    with transaction.atomic():
        _refuse_while_under_review(
            organisation,
            _("Documents cannot change while the committee examines the application."),
        )
        log_action(
            AuditAction.DOCUMENT_REMOVED,
            actor=by,
            target=organisation,
            kind=document.kind,
            name=document.original_name,
        )
        document.delete()
        transaction.on_commit(lambda: document.file.delete(save=False))


def submit_application(application: Application, *, by) -> None:
    """Send a draft, or a completed application, to the steering committee."""
    with transaction.atomic():
        application = _lock(application)
        if not application.is_editable:
            raise MembershipError(_("This application has already been submitted."))
        if missing := missing_documents(application.organisation):
            names = ", ".join(str(DocumentKind(kind).label) for kind in missing)
            raise MembershipError(
                _("Add the missing documents before submitting: %(names)s.") % {"names": names}
            )
        resubmission = application.status == ApplicationStatus.MORE_INFORMATION
        application.status = (
            ApplicationStatus.RESUBMITTED if resubmission else ApplicationStatus.SUBMITTED
        )
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at"])
        log_action(
            AuditAction.APPLICATION_RESUBMITTED
            if resubmission
            else AuditAction.APPLICATION_SUBMITTED,
            actor=by,
            target=application,
        )
        emails.send_application_received(application)
        emails.send_application_to_review(application)


def request_more_information(application: Application, *, by, message: str) -> None:
    """The committee returns an application to its applicant with a question."""
    with transaction.atomic():
        application = _lock(application)
        if not application.awaits_decision:
            raise MembershipError(_("Only an application awaiting a decision can be returned."))
        application.status = ApplicationStatus.MORE_INFORMATION
        application.information_request = message
        application.save(update_fields=["status", "information_request"])
        # Votes were cast on what the applicant will now change.
        application.votes.all().delete()
        log_action(AuditAction.INFORMATION_REQUESTED, actor=by, target=application, message=message)
        emails.send_information_requested(application)


def approval_quorum() -> int:
    """Votes needed for a decision: the configured number, or a majority of the
    active committee members."""
    if settings.ACRSS_APPROVAL_QUORUM:
        return settings.ACRSS_APPROVAL_QUORUM
    return holders_of(Role.COMMITTEE).count() // 2 + 1


def cast_vote(application: Application, *, voter, choice: str, comment: str = "") -> Vote:
    """Record (or change) a committee member's vote; the decision falls when
    approvals or rejections reach the quorum."""
    if choice == VoteChoice.REJECT and not comment.strip():
        raise MembershipError(_("A rejection needs a reason: the applicant will read it."))
    with transaction.atomic():
        application = _lock(application)
        # Admins hold every permission, yet only active committee members vote.
        if not holders_of(Role.COMMITTEE).filter(pk=voter.pk).exists():
            raise MembershipError(_("Only members of the steering committee vote."))
        if application.organisation.representatives.filter(user=voter).exists():
            raise MembershipError(_("You represent this organisation: you cannot vote on it."))
        if not application.awaits_decision:
            raise MembershipError(_("Votes are closed on this application."))
        vote, _created = Vote.objects.update_or_create(
            application=application, voter=voter, defaults={"choice": choice, "comment": comment}
        )
        log_action(
            AuditAction.VOTE_CAST, actor=voter, target=application, choice=choice, comment=comment
        )
        quorum = approval_quorum()
        votes = list(application.votes.all())
        approvals = [v for v in votes if v.choice == VoteChoice.APPROVE]
        rejections = [v for v in votes if v.choice == VoteChoice.REJECT]
        if len(approvals) >= quorum:
            _decide(application, ApplicationStatus.APPROVED, reason="", by=voter)
        elif len(rejections) >= quorum:
            reason = "\n\n".join(v.comment for v in rejections)
            _decide(application, ApplicationStatus.REJECTED, reason=reason, by=voter)
    return vote


DECISIONS = {
    ApplicationStatus.APPROVED: AuditAction.APPLICATION_APPROVED,
    ApplicationStatus.REJECTED: AuditAction.APPLICATION_REJECTED,
}


def _decide(application: Application, status: ApplicationStatus, *, reason: str, by) -> None:
    now = timezone.now()
    application.status = status
    application.decided_at = now
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_at", "decision_reason"])
    organisation = application.organisation
    if status == ApplicationStatus.APPROVED:
        organisation.membership_status = MembershipStatus.MEMBER
        organisation.member_since = timezone.localdate(now)
        organisation.save(update_fields=["membership_status", "member_since"])
    log_action(DECISIONS[status], actor=by, target=application, reason=reason)
    emails.send_application_decided(application)


MEMBERSHIP_MOVES = {
    # action: (allowed from, to, what the log calls it)
    "suspend": (
        [MembershipStatus.MEMBER],
        MembershipStatus.SUSPENDED,
        AuditAction.MEMBERSHIP_SUSPENDED,
    ),
    "reinstate": (
        [MembershipStatus.SUSPENDED],
        MembershipStatus.MEMBER,
        AuditAction.MEMBERSHIP_REINSTATED,
    ),
    "withdraw": (
        [MembershipStatus.MEMBER, MembershipStatus.SUSPENDED],
        MembershipStatus.WITHDRAWN,
        AuditAction.MEMBERSHIP_WITHDRAWN,
    ),
}


def change_membership(organisation: Organisation, *, action: str, by, reason: str) -> None:
    """Suspend, reinstate or withdraw a member, by a recorded decision."""
    allowed, new_status, audit_action = MEMBERSHIP_MOVES[action]
    if not reason.strip():
        raise MembershipError(_("A decision on membership needs a reason."))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.membership_status not in allowed:
            raise MembershipError(
                _("This cannot be done to an organisation whose membership is “%(status)s”.")
                % {"status": organisation.get_membership_status_display()}
            )
        organisation.membership_status = new_status
        organisation.save(update_fields=["membership_status"])
        log_action(audit_action, actor=by, target=organisation, reason=reason)
        emails.send_membership_changed(organisation, action, reason)


INVITATION_SALT = "members.invitation"


# Invitations per day: the portal must not become a way to mail strangers.
INVITATIONS_PER_SENDER = 10
INVITATIONS_PER_ADDRESS = 3
INVITATION_WINDOW = 24 * 3600


def _refuse_an_invitee_who_cannot_join(organisation: Organisation, *, by, email: str) -> None:
    """Say why now, rather than send a link that acceptance would refuse."""
    if email.lower() == by.email.lower():
        raise MembershipError(
            _("This is your own address: you already represent “%(organisation)s”.")
            % {"organisation": organisation}
        )
    invitee = get_user_model().objects.filter(email__iexact=email).first()
    if invitee is None:
        return
    representation = Representative.objects.filter(user=invitee).first()
    if representation is not None and representation.organisation_id == organisation.pk:
        raise MembershipError(
            _("%(email)s already represents “%(organisation)s”.")
            % {"email": email, "organisation": organisation}
        )
    if representation is not None or invitee.partner_organisation_id is not None:
        raise MembershipError(
            _(
                "%(email)s already represents another organisation, and a person represents "
                "only one: invite another address."
            )
            % {"email": email}
        )


def invite_representative(organisation: Organisation, *, by, email: str) -> None:
    """E-mail a colleague a signed link, valid for a few days, to co-represent
    the organisation; a sender and an address get a few a day."""
    address = hashlib.sha256(email.lower().encode()).hexdigest()
    # Counted before the refusals, so that they cannot be used to probe addresses.
    if not allow(
        "invitations-by-sender", str(by.pk), limit=INVITATIONS_PER_SENDER, window=INVITATION_WINDOW
    ):
        raise MembershipError(
            _("You have sent %(limit)d invitations today: try again tomorrow.")
            % {"limit": INVITATIONS_PER_SENDER}
        )
    _refuse_an_invitee_who_cannot_join(organisation, by=by, email=email)
    if not allow(
        "invitations-to-address", address, limit=INVITATIONS_PER_ADDRESS, window=INVITATION_WINDOW
    ):
        raise MembershipError(
            _("This address has received %(limit)d invitations today: try again tomorrow.")
            % {"limit": INVITATIONS_PER_ADDRESS}
        )
    token = signing.dumps(
        {"organisation": organisation.pk, "email": email.lower(), "by": by.pk},
        salt=INVITATION_SALT,
    )
    with transaction.atomic():
        # The address stays out of the log: only that an invitation was sent.
        log_action(AuditAction.REPRESENTATIVE_INVITED, actor=by, target=organisation)
        emails.send_invitation(organisation, by, email, token)


def ask_for_invitation(organisation: Organisation, *, by) -> None:
    """Someone whose organisation is already registered asks its representatives for
    an invitation: they receive the asker's address; the asker learns none of theirs.
    A few requests a day, per asker and per organisation, as for invitations."""
    _refuse_a_second_organisation(by)
    if not organisation.representatives.exists():
        raise MembershipError(
            _(
                "No one represents “%(organisation)s” in the portal yet: the secretariat "
                "can tell you who to contact."
            )
            % {"organisation": organisation}
        )
    if not allow(
        "invitation-requests-by-sender",
        str(by.pk),
        limit=INVITATIONS_PER_SENDER,
        window=INVITATION_WINDOW,
    ):
        raise MembershipError(
            _("You have sent %(limit)d requests today: try again tomorrow.")
            % {"limit": INVITATIONS_PER_SENDER}
        )
    if not allow(
        "invitation-requests-to-organisation",
        str(organisation.pk),
        limit=INVITATIONS_PER_ADDRESS,
        window=INVITATION_WINDOW,
    ):
        raise MembershipError(
            _("“%(organisation)s” has received %(limit)d requests today: try again tomorrow.")
            % {"organisation": organisation, "limit": INVITATIONS_PER_ADDRESS}
        )
    with transaction.atomic():
        log_action(AuditAction.INVITATION_REQUESTED, actor=by, target=organisation)
        emails.send_invitation_request(organisation, by)


def accept_invitation(token: str, *, user) -> Organisation:
    """The invited colleague, signed in with the invited address, joins."""
    max_age = settings.ACRSS_INVITATION_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise MembershipError(_("This invitation has expired: ask for a new one.")) from None
    except signing.BadSignature:
        raise MembershipError(_("This invitation link is not valid.")) from None
    if data["email"] != user.email.lower():
        raise MembershipError(
            _("This invitation was sent to another address: sign in with %(email)s.")
            % {"email": data["email"]}
        )
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=data["organisation"])
        _refuse_a_second_organisation(user)
        Representative.objects.create(organisation=organisation, user=user)
        log_action(
            AuditAction.REPRESENTATIVE_ADDED, actor=user, target=organisation, invited_by=data["by"]
        )
    return organisation


def possible_membership_moves(organisation: Organisation) -> list[str]:
    return [
        action
        for action, (allowed, _new, _logged) in MEMBERSHIP_MOVES.items()
        if organisation.membership_status in allowed
    ]

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Everything the log records, by name; the values are what the rows hold.

    Some values read oddly (`document.added` for a workshop's document beside
    `document.uploaded` for an organisation's): they are kept as they were
    first written, so that older entries still read with their label.
    """

    ORGANISATION_REGISTERED = "organisation.registered", _("Organisation registered")
    ORGANISATION_UPDATED = "organisation.updated", _("Profile updated")
    ORGANISATION_DELETED = "organisation.deleted", _("Organisation deleted")
    APPLICATION_CREATED = "application.created", _("Application started")
    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_RESUBMITTED = (
        "application.resubmitted",
        _("Application completed and resubmitted"),
    )
    INFORMATION_REQUESTED = "application.information-requested", _("More information requested")
    VOTE_CAST = "application.voted", _("Vote cast")
    APPLICATION_APPROVED = "application.approved", _("Application approved")
    APPLICATION_REJECTED = "application.rejected", _("Application rejected")
    DOCUMENT_ADDED = "document.uploaded", _("Document added")
    DOCUMENT_REMOVED = "document.removed", _("Document removed")
    REPRESENTATIVE_INVITED = "representative.invited", _("Colleague invited")
    REPRESENTATIVE_ADDED = "representative.added", _("Representative added")
    INVITATION_REQUESTED = "representative.invitation-requested", _("Invitation asked for")
    MEMBERSHIP_SUSPENDED = "membership.suspend", _("Membership suspended")
    MEMBERSHIP_REINSTATED = "membership.reinstate", _("Membership reinstated")
    MEMBERSHIP_WITHDRAWN = "membership.withdraw", _("Membership withdrawn")
    ROLES_CHANGED = "roles.changed", _("Roles changed")
    SIGNED_IN = "account.signed_in", _("Signed in")
    SIGN_IN_FAILED = "account.sign_in_failed", _("Sign-in failed")
    SIGNED_OUT = "account.signed_out", _("Signed out")
    SIGN_IN_LOCKED = "account.sign_in_locked", _("Log-in refused after repeated failures")
    SIGN_IN_SLOWED = "account.sign_in_slowed", _("Log-ins slowed after repeated failures")
    SECOND_FACTOR_FAILED = "account.second_factor_failed", _("Second factor failed")
    SECOND_FACTOR_ADDED = "account.second_factor_added", _("Second factor added")
    SECOND_FACTOR_REMOVED = "account.second_factor_removed", _("Second factor removed")
    SECOND_FACTOR_RESET = "account.second_factor_reset", _("Recovery codes renewed")
    ACCOUNT_DEACTIVATED = "account.deactivated", _("Account deactivated")
    ACCOUNT_REACTIVATED = "account.reactivated", _("Account reactivated")
    WORKSHOP_CREATED = "workshop.created", _("Workshop created")
    WORKSHOP_UPDATED = "workshop.updated", _("Workshop updated")
    PERSON_CREATED = "person.created", _("Person added")
    PERSON_UPDATED = "person.updated", _("Person updated")
    PERSON_MERGED = "person.merged", _("Two records of one person merged")
    PERSON_EXPORTED = "person.exported", _("Personal data exported")
    PERSON_ERASED = "person.erased", _("Person erased")
    ATTENDANCE_REGISTERED = "attendance.registered", _("Participant registered")
    ATTENDANCE_ROLE_CHANGED = "attendance.role-changed", _("Participant's role changed")
    ATTENDANCE_REMOVED = "attendance.removed", _("Participant removed")
    ATTENDANCE_IMPORTED = "attendance.imported", _("Sign-in sheet imported")
    IMPORT_MAPPING_REMEMBERED = "import-mapping.remembered", _("Import mapping remembered")
    PRESENCE_RECORDED = "presence.recorded", _("Presence recorded")
    OUTCOME_ADDED = "outcome.added", _("Outcome added")
    OUTCOME_UPDATED = "outcome.updated", _("Outcome updated")
    OUTCOME_DELETED = "outcome.deleted", _("Outcome deleted")
    WORKSHOP_DOCUMENT_ADDED = "document.added", _("Workshop document added")
    WORKSHOP_DOCUMENT_DELETED = "workshopdocument.deleted", _("Workshop document deleted")
    WORKSHOP_PHOTO_ADDED = "photo.added", _("Workshop photo added")
    WORKSHOP_PHOTO_DELETED = "workshopphoto.deleted", _("Workshop photo deleted")
    REPORT_EXPORTED = "report.exported", _("Report exported")
    PRESENCE_CHECKED_IN = "presence.checked-in", _("Checked in at the door")
    PRESENCE_UNTICKED = "presence.unticked", _("Check-in undone")
    SELF_CHECK_IN_RECORDED = "self-check-in.recorded", _("Self check-in received")
    SELF_CHECK_IN_CONFIRMED = "self-check-in.confirmed", _("Self check-in confirmed")
    SELF_CHECK_IN_MERGED = "self-check-in.merged", _("Self check-in merged with a known person")
    SELF_CHECK_IN_REJECTED = "self-check-in.rejected", _("Self check-in rejected")
    CERTIFICATE_SIGNATORY_SET = "certificates.signatory-set", _("Certificate signatory set")
    CERTIFICATES_GENERATED = "certificates.generated", _("Certificates produced")
    CERTIFICATE_SENT = "certificates.sent", _("Certificate sent")
    EMAIL_SENT_AGAIN = "email.sent-again", _("E-mail sent again after failing")


class AuditEntryQuerySet(models.QuerySet):
    def about(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One thing that happened: who, when, what, on which object.

    Written only by service functions; nobody edits it from the portal. It
    holds ids, never a copy of a person's name, phone or e-mail: whoever reads
    an entry sees the object's name as it is now, so that erasing a person
    leaves nothing of them here.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=100, choices=AuditAction.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type_id}:{self.target_id}"

    @property
    def target(self) -> models.Model | None:
        """The object the entry is about, read now (None once deleted)."""
        if self.target_type is None:
            return None
        model = self.target_type.model_class()
        return model._default_manager.filter(pk=self.target_id).first() if model else None

"""Everything that changes organisations and their membership."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import log_action
from members.models import Organisation, match_key


class MembershipError(Exception):
    """A change the rules refuse; the message is for the person who asked."""


class DuplicateOrganisation(MembershipError):
    def __init__(self, existing: Organisation):
        self.existing = existing
        super().__init__(
            _("This organisation is already registered as « %(existing)s ».")
            % {"existing": existing}
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


def register_organisation(*, by, themes=(), **fields) -> Organisation:
    """Add an organisation to the register, refusing a second copy of one."""
    organisation = Organisation(**fields)
    organisation.name_key = match_key(organisation.name)
    organisation.acronym_key = match_key(organisation.acronym)
    with transaction.atomic():
        if existing := find_duplicate(organisation.name, organisation.acronym):
            raise DuplicateOrganisation(existing)
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError:
            # Someone registered the same name at the same instant.
            raise DuplicateOrganisation(
                find_duplicate(organisation.name, organisation.acronym) or organisation
            ) from None
        organisation.themes.set(themes)
        log_action("organisation.registered", actor=by, target=organisation)
    return organisation

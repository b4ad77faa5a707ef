"""The refusals of the workshop services, each with a message for the person who asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from workshops.models import Person


class WorkshopError(Exception):
    """A change the rules refuse; the message is for the person who asked."""


class AlreadyRegistered(WorkshopError):
    def __init__(self, person: Person):
        super().__init__(_("%(person)s is already registered.") % {"person": person})


class DuplicatePerson(WorkshopError):
    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__(
            _("“%(person)s” already has this e-mail or phone number.") % {"person": existing}
        )

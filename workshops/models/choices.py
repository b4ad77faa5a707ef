"""The closed lists the workshop models choose from, each backed by a named
constraint on its model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    ATELIER = "atelier", _("Workshop")
    FORUM = "forum", _("Forum")
    FORMATION = "formation", _("Training")
    GENERAL_ASSEMBLY = "assemblee-generale", _("General assembly")
    CONFERENCE = "conference", _("Conference")
    MEETING = "reunion", _("Meeting")


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Sex(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")
    UNKNOWN = "U", _("Unknown")


class AgeGroup(models.TextChoices):
    """What is known of an age when no year of birth is: a typed range such as
    « 40+ » that falls wholly on one side of the youth limit, or an attendee's
    group on the first day of an event, kept when their year of birth is erased."""

    YOUTH = "youth", _("Young")
    OLDER = "older", _("Older")
    UNKNOWN = "", _("Unknown")


class AttendanceRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    FACILITATOR = "facilitator", _("Facilitator")
    SPEAKER = "speaker", _("Speaker")
    ORGANISER = "organiser", _("Organiser")
    OFFICIAL_GUEST = "official-guest", _("Official guest")
    PRESS = "press", _("Press")


class OutcomeKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    PRIORITY = "priority", _("Priority")
    RECOMMENDATION = "recommendation", _("Recommendation")
    ACTION_LINE = "action-line", _("Action line")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


class OutcomeStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")

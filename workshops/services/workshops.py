"""Workshops recorded and corrected, and the outcomes they produced."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from audit.models import AuditAction
from audit.services import log_action
from members.models import Organisation
from workshops.models import Outcome, Presence, Workshop


def create_workshop(*, by, funders: Iterable[Organisation] = (), **fields) -> Workshop:
    with transaction.atomic():
        workshop = Workshop(**fields)
        workshop.full_clean()
        workshop.save()
        workshop.funders.set(funders)
        log_action(AuditAction.WORKSHOP_CREATED, actor=by, target=workshop)
    return workshop


def update_workshop(workshop: Workshop, *, by, funders=None, **fields) -> Workshop:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(workshop, name, value)
        workshop.full_clean()
        workshop.save(update_fields=[*fields, "updated_at"])
        if funders is not None:
            workshop.funders.set(funders)
        # Presence outside the new dates would be counted by no report: drop it.
        Presence.objects.filter(attendance__workshop=workshop).exclude(
            day__range=(workshop.start_date, workshop.end_date)
        ).delete()
        log_action(AuditAction.WORKSHOP_UPDATED, actor=by, target=workshop, fields=sorted(fields))
    return workshop


def add_outcome(workshop: Workshop, *, by, **fields) -> Outcome:
    with transaction.atomic():
        if "order" not in fields:
            fields["order"] = workshop.outcomes.count() + 1
        outcome = Outcome(workshop=workshop, **fields)
        outcome.full_clean()
        outcome.save()
        log_action(AuditAction.OUTCOME_ADDED, actor=by, target=workshop, kind=outcome.kind)
    return outcome


def update_outcome(outcome: Outcome, *, by, **fields) -> Outcome:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(outcome, name, value)
        outcome.full_clean()
        outcome.save(update_fields=list(fields))
        log_action(
            AuditAction.OUTCOME_UPDATED, actor=by, target=outcome.workshop, outcome=outcome.pk
        )
    return outcome


def delete_outcome(outcome: Outcome, *, by) -> None:
    with transaction.atomic():
        log_action(
            AuditAction.OUTCOME_DELETED, actor=by, target=outcome.workshop, text=outcome.text[:200]
        )
        outcome.delete()

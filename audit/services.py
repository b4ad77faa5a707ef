from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AuditAction, AuditEntry


def log_action(
    action: AuditAction, *, actor, target: models.Model | None = None, **data
) -> AuditEntry:
    """Write one audit entry; call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=AuditAction(action),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )

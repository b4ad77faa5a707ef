"""Nobody edits the audit log, not even with SQL through the portal's connection."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditEntry
from audit.services import log_action

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.needs("postgresql", "the trigger guards PostgreSQL only"),
]


def test_an_audit_entry_cannot_be_changed():
    entry = log_action("roles.changed", actor=None, before=[], after=["committee"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing.happened")
    entry.refresh_from_db()
    assert entry.action == "roles.changed"


def test_an_audit_entry_cannot_be_deleted():
    entry = log_action("roles.changed", actor=None, before=[], after=["committee"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

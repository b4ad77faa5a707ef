"""What a report changes: only the audit log, when personal data leaves the portal."""

from __future__ import annotations

from audit.models import AuditAction
from audit.services import log_action
from workshops.models import Workshop


def record_export(
    *, by, file_format: str, workshop: Workshop | None, filters: dict[str, str], rows: int
) -> None:
    """Write who exported what: the workshop or the filter, the format and the rows."""
    log_action(
        AuditAction.REPORT_EXPORTED,
        actor=by,
        target=workshop,
        format=file_format,
        filter=filters,
        rows=rows,
    )

"""Who may read attendance reports: the one place every report view asks.

`workshops.view_all_attendance_reports` (the secretariat, admins) reads every
workshop's report. `workshops.view_attendance_report` alone (partner staff)
reads the reports of the workshops the user's own funding organisation funds,
directly or through the project. Anyone else, a partner user with no funding
organisation included, gets 404: the existence of an event is never revealed.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reports.models import EXPORT_KEPT, ExportJob
from workshops.models import Workshop
from workshops.models.summaries import without_presences

VIEW_REPORT = "workshops.view_attendance_report"
VIEW_ALL_REPORTS = "workshops.view_all_attendance_reports"


def report_scope(user) -> str:
    """Whose workshops the user may report on, as a name ("all", or "partner:<id>");
    404 for anyone with no report. A page drawn for one scope is kept for it alone."""
    if user.has_perm(VIEW_ALL_REPORTS):
        return "all"
    organisation_id = user.partner_organisation_id if user.is_authenticated else None
    if not user.has_perm(VIEW_REPORT) or organisation_id is None:
        raise Http404
    return f"partner:{organisation_id}"


def reportable_workshops(user):
    """The workshops whose reports the user may read; 404 for anyone with no report."""
    if report_scope(user) == "all":
        return Workshop.objects.all()
    return Workshop.objects.funded_by(user.partner_organisation_id)


def get_report_workshop_for(user, pk: int) -> Workshop:
    return get_object_or_404(reportable_workshops(user).select_related("project"), pk=pk)


def report_scope_id(user) -> int:
    """The scope's number in the kept summaries: 0 for every workshop, else the
    partner organisation's id (see workshops/summaries/)."""
    scope = report_scope(user)
    return 0 if scope == "all" else int(scope.split(":")[1])


def require_report_workshop(user, pk: int, *, version: str) -> None:
    """404 unless the user may read workshop ``pk``'s report, as
    ``get_report_workshop_for`` decides; the answer is kept under the data's
    workshop's ``version``, but for its presences (a change of its funders
    changes it), so a report read again builds no query to ask it."""
    key = f"reports:may-read:{without_presences(version)}:{report_scope(user)}:{pk}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = reportable_workshops(user).filter(pk=pk).exists()
        cache.set(key, allowed, 24 * 3600)
    if not allowed:
        raise Http404


def get_export_job_for(user, pk: int) -> ExportJob:
    """One's own background export of the last day; anyone else's is never revealed."""
    reportable_workshops(user)
    jobs = ExportJob.objects.filter(author=user, created_at__gt=timezone.now() - EXPORT_KEPT)
    return get_object_or_404(jobs, pk=pk)

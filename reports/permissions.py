"""Who may read attendance reports: the one place every report view asks.

`workshops.view_all_attendance_reports` (the secretariat, admins) reads every
workshop's report. `workshops.view_attendance_report` alone (partner staff)
reads the reports of the workshops the user's own funding organisation funds,
directly or through the project. Anyone else, a partner user with no funding
organisation included, gets 404: the existence of an event is never revealed.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reports.models import EXPORT_KEPT, ExportJob
from workshops.models import Workshop

VIEW_REPORT = "workshops.view_attendance_report"
VIEW_ALL_REPORTS = "workshops.view_all_attendance_reports"


def reportable_workshops(user):
    """The workshops whose reports the user may read; 404 for anyone with no report."""
    if user.has_perm(VIEW_ALL_REPORTS):
        return Workshop.objects.all()
    organisation_id = user.partner_organisation_id if user.is_authenticated else None
    if not user.has_perm(VIEW_REPORT) or organisation_id is None:
        raise Http404
    return Workshop.objects.funded_by(organisation_id)


def report_scope(user) -> str:
    """Whose workshops ``reportable_workshops`` gives, as a name: a page drawn for
    one scope is kept for that scope alone."""
    if user.has_perm(VIEW_ALL_REPORTS):
        return "all"
    return f"partner:{user.partner_organisation_id}"


def get_report_workshop_for(user, pk: int) -> Workshop:
    return get_object_or_404(reportable_workshops(user).select_related("project"), pk=pk)


def get_export_job_for(user, pk: int) -> ExportJob:
    """One's own background export of the last day; anyone else's is never revealed."""
    reportable_workshops(user)
    jobs = ExportJob.objects.filter(author=user, created_at__gt=timezone.now() - EXPORT_KEPT)
    return get_object_or_404(jobs, pk=pk)

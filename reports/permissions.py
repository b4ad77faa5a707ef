"""Who may read attendance reports: the one place every report view asks.

The secretariat and admins read every workshop's report. A partner user reads
the reports of the workshops their organisation funds, directly or through the
project. Anyone else, a partner user with no funding organisation included,
gets 404: the existence of an event is never revealed.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role, has_role
from members.models import Organisation
from reports.models import EXPORT_KEPT, ExportJob
from workshops.models import Workshop


def partner_organisation_of(user) -> Organisation | None:
    """The funding organisation a partner user reads reports for, if any."""
    if not has_role(user, Role.PARTNER) or user.is_superuser:
        return None
    return user.partner_organisation


def reportable_workshops(user):
    """The workshops whose reports the user may read; 404 for anyone with no report."""
    if has_role(user, Role.SECRETARIAT):
        return Workshop.objects.all()
    organisation = partner_organisation_of(user)
    if organisation is None:
        raise Http404
    return Workshop.objects.funded_by(organisation)


def get_report_workshop_for(user, pk: int) -> Workshop:
    return get_object_or_404(reportable_workshops(user).select_related("project"), pk=pk)


def get_export_job_for(user, pk: int) -> ExportJob:
    """One's own background export of the last day; anyone else's is never revealed."""
    reportable_workshops(user)
    jobs = ExportJob.objects.filter(author=user, created_at__gt=timezone.now() - EXPORT_KEPT)
    return get_object_or_404(jobs, pk=pk)

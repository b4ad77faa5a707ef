"""The workshops' work done later: forgetting what is kept no longer than it must be."""

from __future__ import annotations

import datetime

from django.conf import settings
from django_tasks import task

from common.jobs import periodic
from workshops.services import imports, privacy


@periodic(every=datetime.timedelta(hours=1))
@task()
def purge_stale_imports() -> None:
    """The sheets (names and phones) of import previews left unconfirmed for a day."""
    imports.purge_stale_imports()


@periodic(every=datetime.timedelta(days=1))
@task()
def apply_retention() -> None:
    """The identity of people past ACRSS_RETENTION_YEARS (nobody while it is empty)."""
    if settings.ACRSS_RETENTION_YEARS is not None:
        privacy.apply_retention()

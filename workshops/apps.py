from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from common.caching import track_writes
        from workshops import models

        # The secretariat's lists are drawn once per state of these rows.
        track_writes(
            models.Project,
            models.Workshop,
            models.Person,
            models.Attendance,
            models.Presence,
            models.Outcome,
            models.AttendanceImport,
            models.WorkshopDocument,
            models.WorkshopPhoto,
        )

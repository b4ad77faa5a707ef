from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from common.signals import counted_data_changed
        from reports.services import mark_report_data_changed

        # The apps below announce every write a report counts; cached figures
        # are then no longer read (see reports/cache.py).
        counted_data_changed.connect(
            lambda **kwargs: mark_report_data_changed(), weak=False, dispatch_uid="reports"
        )

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
        # Projects are set up in the admin, not through a service: their targets
        # and funders (who may read a report) change figures all the same.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from workshops.models import Project

        def project_changed(**kwargs) -> None:
            if kwargs.get("action", "post_").startswith("post_"):
                mark_report_data_changed()

        for signal, sender in [
            (post_save, Project),
            (post_delete, Project),
            (m2m_changed, Project.funders.through),
        ]:
            signal.connect(project_changed, sender=sender, weak=False, dispatch_uid="reports")

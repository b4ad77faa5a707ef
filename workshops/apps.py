from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from workshops import summaries

        def install(using: str = "default", **kwargs) -> None:
            # After every migrate (and flush): the triggers of today's rules and youth
            # limit (ACRSS_YOUTH_MAX_AGE), and every sum counted afresh when they changed.
            if not summaries.summaries_are_current(using):
                summaries.rebuild_summaries(using)

        post_migrate.connect(install, sender=self, weak=False, dispatch_uid="workshops.summaries")

        from common.personal_data import Erasure, handles_erasure, handles_export
        from workshops.services import imports, privacy

        handles_erasure("workshops.Person", Erasure.BLANK, privacy.blank_identity)
        handles_erasure(
            "workshops.AttendanceImport", Erasure.DELETE_ROW, imports.drop_previews_naming
        )
        handles_erasure(
            "workshops.AttendanceImport", Erasure.SCRUB_ROWS, privacy.forget_in_import_reports
        )
        handles_export("workshops.AttendanceImport", privacy.import_report_rows_of)

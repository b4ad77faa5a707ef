from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from common.personal_data import Erasure, handles_erasure
        from reports.services import rewrite_exports_listing

        handles_erasure("reports.ExportJob", Erasure.REWRITE_FILE, rewrite_exports_listing)

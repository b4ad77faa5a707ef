from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    name = "checkin"
    verbose_name = _("Check-in and certificates")

    def ready(self) -> None:
        from checkin import services
        from common import mail
        from common.personal_data import (
            Erasure,
            handles_erasure,
            handles_export,
            handles_retention,
        )

        handles_erasure(
            "checkin.SelfCheckIn", Erasure.DELETE_ROW, services.forget_self_check_ins_of
        )
        handles_export("checkin.SelfCheckIn", services.self_check_ins_of)
        # Its certificates are the e-mails the portal owes an attendee.
        handles_erasure("common.OutgoingEmail", Erasure.DELETE_ROW, mail.forget_emails_to)
        handles_retention("checkin.SelfCheckIn", services.forget_self_check_ins_before)

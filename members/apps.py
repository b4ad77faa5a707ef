from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from common.caching import track_writes
        from members.models import Application, Organisation, Vote, ensure_themes

        post_migrate.connect(ensure_themes, sender=self, dispatch_uid="members.ensure_themes")
        # The committee's queue and the lists naming organisations are drawn once
        # per state of these rows.
        track_writes(Organisation, Application, Vote)

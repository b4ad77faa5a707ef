from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from members.models import ensure_themes

        post_migrate.connect(ensure_themes, sender=self, dispatch_uid="members.ensure_themes")

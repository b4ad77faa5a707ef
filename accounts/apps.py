from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts.roles import ensure_roles

        # After every app's post_migrate, so each app's permissions exist by then.
        post_migrate.connect(ensure_roles, dispatch_uid="accounts.ensure_roles")

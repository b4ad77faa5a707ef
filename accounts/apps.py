from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import receivers, secondfactor
        from accounts.roles import ensure_roles

        # After every app's post_migrate, so each app's permissions exist by then.
        post_migrate.connect(ensure_roles, dispatch_uid="accounts.ensure_roles")
        post_migrate.connect(
            create_cache_table, sender=self, dispatch_uid="accounts.create_cache_table"
        )
        receivers.connect()
        secondfactor.install()


def create_cache_table(using: str = "default", **kwargs) -> None:
    """Create the database cache's table when the settings use one (idempotent).

    After `migrate` rather than in a migration, so that it follows the settings
    of the day: no table when Redis holds the cache, the right name otherwise.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the portal sends to this person."),
    )
    # A partner's funding organisation scopes the reports it reads; named by
    # string so that accounts imports nothing from the apps built on it.
    partner_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("funding organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_staff",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("assign_roles", _("Can give and take back roles"))]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="accounts_user_language_known",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class UsedSecondFactorCode(models.Model):
    """A TOTP code already accepted for an account, refused again while it could
    still be valid: kept in the database, so that no restart or flush of the
    cache forgets it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16)
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code"], name="accounts_code_used_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.used_at:%Y-%m-%d %H:%M:%S}"

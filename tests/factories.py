"""Explicit factories: each test shows the data it depends on."""

from __future__ import annotations

from itertools import count

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User

PASSWORD = "a-long-test-password-1"
_numbers = count(1)


def make_user(
    email: str | None = None, *, role: str | None = None, verified: bool = True, **fields
) -> User:
    email = email or f"person{next(_numbers)}@example.org"
    user = User.objects.create_user(email, PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if role == "admin":
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    elif role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user

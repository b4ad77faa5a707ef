"""Who is signed in, their roles and their second factor: read once from the
shared cache, not from the database on every request.

A signed-in request used to ask the database four times before any view ran
(session, account, groups, authenticators), and twice more at its first
permission check. The session lives in the cache (`SESSION_ENGINE`); the
account, its role names, its permissions and whether it has a second factor
are kept together under one key, checked as Django checks a session (the
password-derived hash, the account still active), and forgotten whenever any
of them changes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

# Every change made through the portal forgets the kept state at once; this
# limit only bounds a change made some other way (a shell, a restored backup).
ACCESS_SECONDS = 300


def _key(user_id) -> str:
    return f"access:{user_id}"


def _read_access(user) -> dict:
    from allauth.mfa.models import Authenticator

    return {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(user.get_all_permissions()),
        "second_factor": Authenticator.objects.filter(user_id=user.pk).exists(),
    }


def _keep_on(user, kept: dict) -> None:
    """The kept state on the user object for the rest of the request; Django's
    permission checks read ``_perm_cache`` instead of asking the database."""
    user._acrss_access = {"roles": kept["roles"], "second_factor": kept["second_factor"]}
    user._perm_cache = set(kept["permissions"])


def access_of(user) -> dict:
    """A signed-in person's role names and whether they have a second factor,
    kept on the user for the rest of the request."""
    if not hasattr(user, "_acrss_access"):
        kept = cache.get(_key(user.pk))
        if kept is None or "permissions" not in kept:
            kept = _read_access(user)
            cache.set(_key(user.pk), kept, ACCESS_SECONDS)
        _keep_on(user, kept)
    return user._acrss_access


def forget_access(user) -> None:
    """After a change of the account, its roles or its second factor: the next
    request reads them anew."""
    for attribute in ("_acrss_access", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attribute, None)
    key = _key(user.pk)
    cache.delete(key)
    # A request that read the old state before the change commits may keep it
    # again: forget once more when the change is committed.
    transaction.on_commit(lambda: cache.delete(key))


def _kept_user(request: HttpRequest):
    """The signed-in account as kept, if the session still vouches for it."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS or not session_hash:
        return None
    kept = cache.get(_key(user_id))
    if kept is None or "user" not in kept or "permissions" not in kept:
        return None
    user = kept["user"]
    if not user.is_active or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    user.backend = backend
    _keep_on(user, kept)
    return user


def signed_in_user(request: HttpRequest):
    if not hasattr(request, "_cached_user"):
        user = _kept_user(request)
        if user is None:
            # Django's own path: it also ends a session that no longer matches.
            user = auth.get_user(request)
            if user.is_authenticated:
                access = _read_access(user)
                # Kept before the permission caches are set on it: the object
                # in the cache holds the account alone.
                for attribute in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
                    user.__dict__.pop(attribute, None)
                cache.set(_key(user.pk), {"user": user, **access}, ACCESS_SECONDS)
                _keep_on(user, access)
        request._cached_user = user
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthentication):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))

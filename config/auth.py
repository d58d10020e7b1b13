"""Django's AuthenticationMiddleware, with the session's user remembered between requests.

The user (with the profile and the roles every page reads) comes from the shared `auth`
cache while nothing about them changed (inspections/authcache.py: each service that changes
a person forgets them). The session is still checked as Django checks it: the hash of
the password it was signed in with, and an active account. Anything else (no hash, a hash of
a rotated key, another backend) takes Django's own path, which then remembers the user.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from inspections import authcache, policies

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user_model_pk(value: Any) -> Any:
    """The session's user id as the model's key, as django.contrib.auth reads it."""
    field = get_user_model()._meta.pk
    assert field is not None
    return field.to_python(value)


def session_user(request: HttpRequest) -> Any:
    try:
        user_id = _user_model_pk(request.session[SESSION_KEY])
        backend = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend != MODEL_BACKEND or backend not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    user, stamp = authcache.remembered_person(user_id)
    if user is not None and user.is_active:
        signed = request.session.get(HASH_SESSION_KEY) or ""
        if signed and constant_time_compare(signed, user.get_session_auth_hash()):
            return user
    user = auth.get_user(request)  # verifies, cycles or flushes the session as Django does
    if user.is_authenticated:
        try:
            user.profile  # noqa: B018  (read now, kept with the user)
        except ObjectDoesNotExist:
            return user  # made on first need elsewhere: remember once it exists
        policies.roles_of(user)
        authcache.remember_person(user, stamp=stamp)
    return user


class RememberedAuthenticationMiddleware(AuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))  # type: ignore[assignment]

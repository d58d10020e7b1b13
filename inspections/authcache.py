"""Who a request is, remembered between requests: an API token and its owner, by the token's
digest, and a web session's user, by id (config/auth.py). Autosave sends a request per field
typed, and each paid database queries for this.

The `auth` cache is shared by every worker (Redis with REDIS_URL, else files on the one
machine: config/settings.py), so what a revoking service deletes here is gone for all of them
at once. A token's entry carries its owner's stamp; every service that changes who someone
is (a password, a deactivation, a new session epoch, a role granted or revoked, the name,
language or second factor; the admin's user form too) calls forget_person, which drops the
stamp and with it every entry of that person. Token revocation deletes the token's entry.
A change made around the services (the shell, SQL, QuerySet.update) is seen after
AUTH_CACHE_SECONDS at most.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction

from inspections.models import ApiToken

ALIAS = "auth"


def _cache() -> BaseCache:
    return caches[ALIAS]


def _token_key(digest: str) -> str:
    return f"token:{digest}"


def _stamp_key(user_id: Any) -> str:
    return f"person:{user_id}"


def _owner_key(digest: str) -> str:
    return f"owner:{digest}"


def person_stamp(user_id: Any) -> str:
    """The person's current stamp, made on first need."""
    key = _stamp_key(user_id)
    fresh = secrets.token_hex(8)
    _cache().add(key, fresh, timeout=None)
    stamp = _cache().get(key)
    return str(stamp) if stamp is not None else fresh


def forget_person(user_id: Any) -> None:
    """Every cached entry of this person stops being valid (password, activity, profile,
    roles): at once, and again once committed (a request may read the rows as they were
    until then). Called by the services that change who someone is."""
    key = _stamp_key(user_id)
    _cache().delete(key)
    transaction.on_commit(lambda: _cache().delete(key))


def _person_key(user_id: Any) -> str:
    return f"signed-in:{user_id}"


def remembered_person(user_id: Any) -> tuple[Any, str]:
    """The user (with profile and roles) as last read if unchanged since, and the stamp to
    remember a fresh read with (taken before that read, like a token's)."""
    found = _cache().get_many([_person_key(user_id), _stamp_key(user_id)])
    entry, current = found.get(_person_key(user_id)), found.get(_stamp_key(user_id))
    if entry is not None and current is not None and entry[0] == current:
        return entry[1], str(current)
    return None, str(current) if current is not None else person_stamp(user_id)


def remember_person(user: Any, *, stamp: str) -> None:
    timeout = settings.AUTH_CACHE_SECONDS
    if timeout:
        _cache().set(_person_key(user.pk), (stamp, user), timeout=timeout)


def lookup(digest: str) -> tuple[ApiToken | None, str | None]:
    """The remembered token (with its user and profile) and its owner's stamp, if the owner
    has not changed since. Else no token, and the stamp to remember it with once read from
    the database: taken now, before that read, so that a change committed in between drops
    it and the entry is never valid (None while the token's owner is not known yet)."""
    found = _cache().get_many([_token_key(digest), _owner_key(digest)])
    entry, owner = found.get(_token_key(digest)), found.get(_owner_key(digest))
    if entry is not None:
        stamp, token = entry
        if _cache().get(_stamp_key(token.user_id)) == stamp:
            return token, stamp
    if owner is None:
        return None, None
    return None, person_stamp(owner)


def remember(token: ApiToken, *, stamp: str | None) -> None:
    """Remember the token under its owner's stamp (read before the token's row was)."""
    timeout = settings.AUTH_CACHE_SECONDS
    if not timeout:
        return
    if stamp is None:  # first seen: who owns it never changes, so the next read may remember
        _cache().set(_owner_key(token.digest), token.user_id, timeout=None)
    else:
        _cache().set(_token_key(token.digest), (stamp, token), timeout=timeout)


def forget_tokens(digests: Iterable[str]) -> None:
    """At once, and again once committed (a request may read the row until then)."""
    keys = [_token_key(digest) for digest in digests]
    if keys:
        _cache().delete_many(keys)
        transaction.on_commit(lambda: _cache().delete_many(keys))

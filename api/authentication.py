"""`Authorization: Token …`: django-rest-knox tokens that expire, slide, and die with a password.

Why a check on every request rather than a signal on password change or deactivation: a
signal fires only on the paths that save the user through the ORM, and a path that misses it
(`QuerySet.update()`, SQL, a restored backup, another app's password form) would leave a live
token behind. Here each token carries a fingerprint of the password hash it was issued under
(inspections.models.tokens.credentials_of) and the user's `is_active` is read with it, on the
same query that finds the token: whatever changed the password or deactivated the account,
the token stops working at its next use and its row is deleted. The service
`tokens_revoke_all` (inspections/services/accounts.py) removes the rows at once, with an
audit event, when a flow wants that; correctness never depends on it being called.

The token and its owner are remembered by digest in the shared `auth` cache
(inspections/authcache.py) so that autosave pays no query for them; the checks above run on
the remembered copy too, revocation and a user saved through the ORM forget it at once, and a
change made around the ORM is seen within AUTH_CACHE_SECONDS.
"""

from __future__ import annotations

import re
from datetime import datetime
from hmac import compare_digest
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header
from rest_framework.request import Request

from inspections import authcache, policies
from inspections.models import ApiToken
from inspections.models.tokens import credentials_of

# What knox issues: AUTH_TOKEN_CHARACTER_LENGTH (64) hexadecimal characters, no prefix.
_TOKEN = re.compile(r"[0-9a-f]{64}")


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        auth = get_authorization_header(request).split()
        prefix = str(knox_settings.AUTH_HEADER_PREFIX).lower().encode()
        if not auth or auth[0].lower() != prefix:
            return None  # no token, or a header meant for another scheme
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization cần đúng dạng: Token <mã>.")
            )
        return self.authenticate_credentials(auth[1])

    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        text = token.decode("latin-1")  # the header's own encoding: never fails
        if not _TOKEN.fullmatch(text):
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        digest = hash_token(text)
        remembered, stamp = authcache.lookup(digest)
        if remembered is not None and compare_digest(digest, remembered.digest):
            return self._check(remembered, stamp=stamp, fresh=False)
        candidates = ApiToken.objects.filter(
            token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user__profile")
        for found in candidates:
            if compare_digest(digest, found.digest):
                return self._check(found, stamp=stamp, fresh=True)
        raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))

    def _check(self, token: ApiToken, *, stamp: str | None, fresh: bool) -> tuple[Any, ApiToken]:
        now = timezone.now()
        user = token.user
        if token.expiry is not None and token.expiry <= now:
            self._drop(token)
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập đã hết hạn. Vui lòng đăng nhập lại.")
            )
        if not user.is_active or token.credentials not in credentials_of(user):
            self._drop(token)
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không còn hiệu lực. Vui lòng đăng nhập lại.")
            )
        if self.renew(token, now) or fresh:
            policies.roles_of(user)  # read before remembering: every write asks for them
            authcache.remember(token, stamp=stamp)
        return user, token

    @staticmethod
    def _drop(token: ApiToken) -> None:
        authcache.forget_tokens([token.digest])
        token.delete()

    @staticmethod
    def renew(token: ApiToken, now: datetime) -> bool:
        """Slide the expiry, but write only when it moves by MIN_REFRESH_INTERVAL (an hour):
        most requests only read. The user's dead tokens are cleared at the same moment.
        True when it wrote."""
        expiry = now + knox_settings.TOKEN_TTL
        if token.expiry is not None:
            moved = (expiry - token.expiry).total_seconds()
            if moved < knox_settings.MIN_REFRESH_INTERVAL:
                return False
        token.expiry, token.last_used = expiry, now
        token.save(update_fields=["expiry", "last_used"])
        dead = ApiToken.objects.filter(user=token.user).filter(
            Q(expiry__lte=now) | ~Q(credentials__in=credentials_of(token.user))
        )
        authcache.forget_tokens(dead.values_list("digest", flat=True))
        dead.delete()
        return True


class ExpiringTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The same `tokenAuth` scheme in the OpenAPI document as before the tokens expired."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> Any:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )

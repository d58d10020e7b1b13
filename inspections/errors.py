"""The one error type of the domain, and the one table that turns it into an HTTP status.

The API's exception handler (api/errors.py) and the web's pages (web/errors.py) both read
`http_status` and `http_headers`; no door keeps its own mapping.
"""

from __future__ import annotations

import math
from enum import StrEnum
from http import HTTPStatus

from django.utils.functional import Promise
from django.utils.translation import ngettext


class Problem(StrEnum):
    INVALID = "invalid"  # 400: the input is wrong
    FORBIDDEN = "forbidden"  # 403: this user may not do this
    NOT_FOUND = "not_found"  # 404: no such thing, or not yours to know about
    WRONG_STATE = "wrong_state"  # 409: not allowed in the current state
    # 429: asked too often, come back later (TooMany says when); DRF's throttles say "throttled"
    TOO_MANY = "throttled"


STATUS_BY_PROBLEM: dict[Problem, HTTPStatus] = {
    Problem.INVALID: HTTPStatus.BAD_REQUEST,
    Problem.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Problem.NOT_FOUND: HTTPStatus.NOT_FOUND,
    Problem.WRONG_STATE: HTTPStatus.CONFLICT,
    Problem.TOO_MANY: HTTPStatus.TOO_MANY_REQUESTS,
}
# Upload refusals carry their own statuses whatever their problem says.
STATUS_BY_CODE: dict[str, HTTPStatus] = {
    "too_large": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "too_many_pixels": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "decompression_bomb": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "unsupported": HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
}


class DomainError(Exception):
    """A refused action, with a message for people and, where it helps, per-field details.

    `fields` maps a field (or a criterion code) to its messages, so a refused submit can
    list every problem of every criterion at once.
    """

    def __init__(
        self,
        message: str | Promise,
        *,
        problem: Problem = Problem.INVALID,
        fields: dict[str, list[str]] | None = None,
        code: str = "",
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.problem = problem
        self.fields = fields or {}
        self.code = code or problem.value

    def __str__(self) -> str:
        if not self.fields:
            return self.message
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in self.fields.items())
        return f"{self.message} ({details})"


class InspectionExists(DomainError):
    """This person already has an inspection of this unit in this round: the doors offer it."""

    def __init__(self, message: str | Promise, *, existing: str) -> None:
        super().__init__(
            message,
            problem=Problem.WRONG_STATE,
            fields={"unit": [existing]},
            code="inspection_exists",
        )
        self.existing = existing


class TooMany(DomainError):
    """Refused because it was asked too often (downloads, sign-ins, survey answers): the doors
    answer 429 and say in Retry-After how many seconds to wait."""

    def __init__(self, message: str | Promise, *, wait: float, code: str = "") -> None:
        super().__init__(message, problem=Problem.TOO_MANY, code=code)
        self.retry_after = retry_seconds(wait)


def retry_seconds(wait: float) -> int:
    """A wait as Retry-After says it: whole seconds, rounded up, never "now"."""
    return max(1, math.ceil(wait))


def wait_minutes(wait: float) -> int:
    """A wait in whole minutes, rounded up: never "0 minutes" while a refusal still holds."""
    return max(1, math.ceil(retry_seconds(wait) / 60))


def wait_in_words(wait: float) -> str:
    """When to come back, as the refusal pages and messages say it: "45 giây" under a minute,
    else "khoảng 60 phút" (rounded up, so the reader never comes back too early)."""
    seconds = retry_seconds(wait)
    if seconds < 60:
        return ngettext("%(count)d giây", "%(count)d giây", seconds) % {"count": seconds}
    minutes = wait_minutes(seconds)
    return ngettext("khoảng %(count)d phút", "khoảng %(count)d phút", minutes) % {"count": minutes}


def http_status(error: DomainError) -> HTTPStatus:
    return STATUS_BY_CODE.get(error.code) or STATUS_BY_PROBLEM[error.problem]


def http_headers(error: DomainError) -> dict[str, str]:
    """The headers its status needs: when to come back, for a refusal of something too often."""
    if isinstance(error, TooMany):
        return {"Retry-After": str(error.retry_after)}
    return {}

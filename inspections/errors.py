"""The one error type of the domain; the API and the web pages map it to HTTP once."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise


class Problem(StrEnum):
    INVALID = "invalid"  # 400: the input is wrong
    FORBIDDEN = "forbidden"  # 403: this user may not do this
    NOT_FOUND = "not_found"  # 404: no such thing, or not yours to know about
    WRONG_STATE = "wrong_state"  # 409: not allowed in the current state


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

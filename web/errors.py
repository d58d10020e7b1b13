"""A refused action on a page: the same status the API would give, the page re-shown."""

from __future__ import annotations

from inspections.errors import DomainError, Problem

_STATUS = {
    Problem.INVALID: 400,
    Problem.FORBIDDEN: 403,
    Problem.NOT_FOUND: 404,
    Problem.WRONG_STATE: 409,
}
_STATUS_BY_CODE = {"too_large": 413, "too_many_pixels": 413, "unsupported": 415}


def http_status(error: DomainError) -> int:
    return _STATUS_BY_CODE.get(error.code) or _STATUS[error.problem]


def message_of(error: DomainError) -> str:
    """The message with its details: "Giá trị không hợp lệ… Mức phải là số nguyên…"."""
    details = [str(m) for messages in error.fields.values() for m in messages]
    details = [d for d in details if d not in error.message]
    return " ".join([error.message, *details])

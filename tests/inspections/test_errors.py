"""When to come back, in words: the one wording every 429 page and message uses."""

from __future__ import annotations

import pytest
from django.utils import translation

from inspections.errors import TooMany, http_headers, wait_in_words


@pytest.mark.parametrize(
    ("wait", "vi", "en"),
    [
        (0.2, "1 giây", "1 second"),
        (42.1, "43 giây", "43 seconds"),
        (59.5, "khoảng 1 phút", "about 1 minute"),
        (61, "khoảng 2 phút", "about 2 minutes"),
        (3569.4, "khoảng 60 phút", "about 60 minutes"),
    ],
)
def test_a_wait_is_said_in_seconds_under_a_minute_else_in_minutes_rounded_up(
    wait: float, vi: str, en: str
) -> None:
    with translation.override("vi"):
        assert wait_in_words(wait) == vi
    with translation.override("en"):
        assert wait_in_words(wait) == en


def test_the_words_never_promise_earlier_than_retry_after() -> None:
    for wait in (0.5, 59, 60, 60.01, 119, 3570):
        seconds = int(http_headers(TooMany("", wait=wait))["Retry-After"])
        with translation.override("vi"):
            said = int(wait_in_words(wait).split()[-2])
        assert said * (1 if seconds < 60 else 60) >= seconds

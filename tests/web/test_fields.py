"""The one date field: dd/mm/yyyy whatever the browser's language, and a form error for the rest."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from inspections.models import Commitment, Round
from tests.accounts import sign_in
from tests.web.test_commitment_pages import scan
from web.fields import DayMonthYearField


class DatedForm(forms.Form):
    on = DayMonthYearField(label="Ngày", required=False)


def cleaned(text: str) -> Any:
    form = DatedForm({"on": text})
    return form.cleaned_data["on"] if form.is_valid() else form.errors["on"]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31/12/2026", datetime.date(2026, 12, 31)),
        ("1/2/2027", datetime.date(2027, 2, 1)),
        (" 29/02/2028 ", datetime.date(2028, 2, 29)),
        ("2026-12-31", datetime.date(2026, 12, 31)),  # what a native date picker posts
        ("", None),
    ],
)
def test_it_reads_a_day_first_date(typed: str, day: datetime.date | None) -> None:
    assert cleaned(typed) == day


def test_it_says_which_day_is_not_on_the_calendar() -> None:
    assert cleaned("31/02/2026") == ["Ngày 31/02/2026 không có trên lịch."]
    assert cleaned("29/02/2027") == ["Ngày 29/02/2027 không có trên lịch."]


@pytest.mark.parametrize(
    "typed",
    [
        "12/31/2026x",
        "31-12-2026",
        "３１/１２/２０２６",  # full-width digits
        "٣١/١٢/٢٠٢٦",  # Arabic-Indic digits
        "31/12/2026\x00",
        "\x00",
        "31/12/99999999999999999999",
        "00/00/0000",
        "31/12",
        "9" * 10_000,
        "2026-02-30",
    ],
)
def test_anything_else_is_a_form_error_never_an_exception(typed: str) -> None:
    found = cleaned(typed)
    assert isinstance(found, list) and len(found) == 1


def test_it_shows_a_date_back_as_day_month_year() -> None:
    html = str(DatedForm(initial={"on": datetime.date(2026, 12, 31)})["on"])
    assert 'value="31/12/2026"' in html and 'type="text"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html
    assert 'aria-describedby="id_on_helptext"' in html


def test_a_round_is_made_from_day_first_dates_and_a_bad_day_is_shown_on_the_form(
    version: Any, cast: Any
) -> None:
    noi_vu = sign_in(cast.internal_affairs)
    form = {"name": "Quý I/2027", "version": version.pk, "starts_on": "01/01/2027"}
    refused = noi_vu.post(reverse("rounds"), {**form, "ends_on": "31/02/2027"})
    assert refused.status_code == 400
    assert "Ngày 31/02/2027 không có trên lịch." in refused.content.decode()
    assert 'value="31/02/2027"' in refused.content.decode()  # what was typed, shown back
    unicode = noi_vu.post(reverse("rounds"), {**form, "ends_on": "３１/０３/２０２７"})
    assert unicode.status_code == 400 and not Round.objects.exists()
    noi_vu.post(reverse("rounds"), {**form, "ends_on": "31/03/2027"})
    made = Round.objects.get()
    assert (made.starts_on, made.ends_on) == (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))


def test_a_commitment_signed_on_a_day_not_on_the_calendar_is_refused_and_nothing_is_kept(
    cast: Any,
) -> None:
    office = sign_in(cast.ward_office)
    url = reverse("commitments") + "?nam=2026"
    refused = office.post(url, {"unit": "PANLAC", "signed_on": "30/02/2026", "scan": scan()})
    assert refused.status_code == 400
    assert "Ngày 30/02/2026 không có trên lịch." in refused.content.decode()
    assert not Commitment.objects.exists()
    assert (
        office.post(url, {"unit": "PANLAC", "signed_on": "03/02/2026", "scan": scan()}).status_code
        == 302
    )
    assert Commitment.objects.get().signed_on == datetime.date(2026, 2, 3)

"""`load_demo_data`: DEBUG only, idempotent, and a living product once loaded."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from inspections.models import (
    CorrectiveAction,
    Event,
    EvidencePhoto,
    Inspection,
    Notification,
    OrgUnit,
    RankingSnapshot,
    RankingSnapshotRow,
    Round,
)
from inspections.personal_data_archive import personal_data_chunks

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "units": OrgUnit.objects.count(),
        "users": get_user_model().objects.count(),
        "inspections": Inspection.objects.count(),
        "photos": EvidencePhoto.objects.count(),
        "events": Event.objects.count(),
        "actions": CorrectiveAction.objects.count(),
        "notifications": Notification.objects.count(),
    }


def assert_every_action_is_one_of_a_kind_in_every_state_of_the_loop() -> None:
    """No duplicates: one action per unit, round and criterion, each of an approved official
    inspection whose latest result still fails or flags it; every state of the loop shown."""
    actions = CorrectiveAction.objects.select_related("inspection", "criterion")
    keys = [(a.unit_id, a.inspection.round_id, a.criterion_id) for a in actions]
    assert keys and len(keys) == len(set(keys))
    for action in actions:
        assert action.inspection.kind == Inspection.Kind.OFFICIAL
        assert action.inspection.state == Inspection.State.APPROVED
        answer = action.inspection.answers.get(criterion=action.criterion)
        failed = action.criterion.code in action.inspection.critical_failures
        assert failed or answer.flagged, (action.unit.code, action.criterion.code)
    states = set(actions.values_list("status", flat=True))
    assert states >= {"open", "responded", "reopened", "verified"}
    responded = actions.filter(status=CorrectiveAction.Status.RESPONDED)
    for action in responded.exclude(criterion__evidence="none"):
        assert EvidencePhoto.objects.filter(action_response__action=action).exists()


def assert_the_demo_inspectors_own_data_lists_what_it_should() -> None:
    """kiemtra1's personal-data ZIP (issue 21): their photos exactly, their role, their events."""
    inspector = get_user_model().objects.get(username="kiemtra1")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(personal_data_chunks(inspector))))
    assert archive.testzip() is None

    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    theirs = EvidencePhoto.objects.filter(uploaded_by=inspector)
    listed = {row["Mã ảnh"] for row in rows("anh.csv")}
    assert listed and listed == {str(pk) for pk in theirs.values_list("pk", flat=True)}
    names = archive.namelist()
    assert len([n for n in names if n.startswith("anh/ban-hien-thi/")]) == len(listed)
    assert [(r["Mã vai trò"], r["Mã đơn vị"]) for r in rows("vai-tro.csv")] == [
        ("inspector", "SNV")
    ]
    done = {r["Hành động"] for r in rows("nhat-ky.csv")}
    assert {"inspection_created", "photo_added", "inspection_submitted"} <= done
    assert len(rows("thong-bao.csv")) == Notification.objects.filter(recipient=inspector).count()
    assert json.loads(archive.read("tai-khoan.json"))["full_name"] == "Lê Minh Tuấn"
    inspector.refresh_from_db()
    assert not any(inspector.password.encode() in archive.read(n) for n in names)


def test_it_refuses_to_load_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not OrgUnit.objects.exists() and not get_user_model().objects.exists()


def test_it_loads_a_living_product_once_and_a_second_run_changes_nothing(settings):
    # The one slow test of the suite (~20 s): everything is asserted on a single load.
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "noivu" in out.getvalue() and "kiemtra1" in out.getvalue()

    q3, q4 = Round.objects.get(name="Quý III/2026"), Round.objects.get(name="Quý IV/2026")
    assert q3.status == Round.Status.PUBLISHED
    assert RankingSnapshot.objects.filter(round=q3, number=1).exists()
    assert RankingSnapshotRow.objects.filter(snapshot__round=q3, rank=1).exists()

    official = Inspection.objects.filter(kind=Inspection.Kind.OFFICIAL)
    for round_ in (q3, q4):
        assert official.filter(round=round_, state=Inspection.State.APPROVED).exists()
    returned = official.get(state=Inspection.State.RETURNED)
    assert returned.return_reason and returned.returned_criteria == ["A5", "B6"]
    assert official.filter(round=q4, state=Inspection.State.SUBMITTED).exists()
    assert official.filter(round=q4, state=Inspection.State.DRAFT).exists()

    own = Inspection.objects.filter(kind=Inspection.Kind.SELF)
    assert own.count() == 3
    assert set(own.values_list("state", flat=True)) == {Inspection.State.SUBMITTED}

    assert_every_action_is_one_of_a_kind_in_every_state_of_the_loop()
    assert OrgUnit.objects.filter(name__startswith="Đ").count() >= 2  # Vietnamese sort order
    assert EvidencePhoto.objects.exclude(original="").exists()

    for user in get_user_model().objects.all():  # the bell is alive for every demo login
        told = Notification.objects.filter(recipient=user)
        assert told.count() >= 2, user.username
        assert told.filter(read_at=None).exists() and told.exclude(read_at=None).exists()

    assert_the_demo_inspectors_own_data_lists_what_it_should()

    before = _counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert _counts() == before

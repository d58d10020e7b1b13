"""Demo data: a realistic organisation, a year of four quarterly rounds and every role, built
through the services."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from inspections import services
from inspections.errors import DomainError
from inspections.models import (
    CorrectiveAction,
    Criterion,
    EvidenceKind,
    Group,
    Inspection,
    ModelVersion,
    Notification,
    OrgUnit,
    Profile,
    RoleKind,
    Round,
    UserRole,
)
from inspections.policies import Actor
from inspections.services.exports import export_run, export_start
from inspections.services.reminders import remind_commitments
from inspections.services.two_factor import totp_enrol_with_key
from inspections.staff import grant_internal_affairs_admin

GROUPS = [
    ("so-nganh", "Khối sở, ban, ngành", "Departments"),
    ("phuong-xa", "Khối phường, xã", "Wards and communes"),
    ("su-nghiep", "Khối đơn vị sự nghiệp", "Public service units"),
    ("truong-hoc", "Khối trường học", "Schools"),
]

# (code, name, parent code, group code)
UNITS = [
    ("UBND", "Ủy ban nhân dân thành phố Đông Hải", None, None),
    ("SNV", "Sở Nội vụ", "UBND", "so-nganh"),
    ("BTDKT", "Ban Thi đua – Khen thưởng", "SNV", "so-nganh"),
    ("STC", "Sở Tài chính", "UBND", "so-nganh"),
    ("SXD", "Sở Xây dựng", "UBND", "so-nganh"),
    ("SYT", "Sở Y tế", "UBND", "so-nganh"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "UBND", "so-nganh"),
    ("SVHTT", "Sở Văn hóa và Thể thao", "UBND", "so-nganh"),
    ("PANLAC", "Phường An Lạc", "UBND", "phuong-xa"),
    ("PANPHU", "Phường Ân Phú", "UBND", "phuong-xa"),
    ("PBACSON", "Phường Bắc Sơn", "UBND", "phuong-xa"),
    ("PDUONGNOI", "Phường Dương Nội", "UBND", "phuong-xa"),
    ("PDONGHOA", "Phường Đông Hòa", "UBND", "phuong-xa"),
    ("XDAITHANH", "Xã Đại Thành", "UBND", "phuong-xa"),
    ("DPTTH", "Đài Phát thanh và Truyền hình", "UBND", "su-nghiep"),
    ("DKTDT", "Đội Kiểm tra trật tự đô thị", "SXD", "su-nghiep"),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công", "UBND", "su-nghiep"),
    ("THANLAC", "Trường Tiểu học An Lạc", "PANLAC", "truong-hoc"),
    ("THAUCO", "Trường Tiểu học Âu Cơ", "PANPHU", "truong-hoc"),
    ("THCSDTD", "Trường THCS Đoàn Thị Điểm", "PDONGHOA", "truong-hoc"),
    ("THCSDV", "Trường THCS Dịch Vọng", "PDUONGNOI", "truong-hoc"),
]

# (username, full name, role, unit code)
STAFF = [
    ("noivu", "Nguyễn Thị Thu Hà", RoleKind.INTERNAL_AFFAIRS, "SNV"),
    ("lanhdao", "Trần Văn Đức", RoleKind.LEADER, "UBND"),
    ("kiemtra1", "Lê Minh Tuấn", RoleKind.INSPECTOR, "SNV"),
    ("kiemtra2", "Phạm Thị Ánh", RoleKind.INSPECTOR, "STC"),
]


@dataclass
class DemoSummary:
    logins: list[tuple[str, str]]
    password: str


def load_demo_data(*, password: str) -> DemoSummary:
    """Idempotent: a second run finds everything in place and changes nothing."""
    with transaction.atomic():
        version = services.load_reference_catalogue()
        groups = _groups()
        units = _units(groups)
        users = _users(units, password)
    if not Round.objects.exists():
        _rounds(version, units, users)
        _notifications(users)
    logins = [(u, label) for u, _n, label, _c in _login_rows()]
    return DemoSummary(logins=logins, password=password)


def _login_rows() -> list[tuple[str, str, str, str]]:
    rows = [(u, n, str(role.label), c) for u, n, role, c in STAFF]
    rows += [(code.lower(), name, str(RoleKind.OFFICE.label), code) for code, name, *_r in UNITS]
    return rows


def _groups() -> dict[str, Group]:
    found = {}
    for code, name, name_en in GROUPS:
        found[code], _created = Group.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )
    return found


def _units(groups: dict[str, Group]) -> dict[str, OrgUnit]:
    found: dict[str, OrgUnit] = {}
    for code, name, parent, group in UNITS:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            unit = OrgUnit(code=code, name=name, valid_from=datetime.date(2025, 7, 1))
            unit.parent = found[parent] if parent else None
            unit.group = groups[group] if group else None
            unit.save()
        found[code] = unit
    return found


def _users(units: dict[str, OrgUnit], password: str) -> dict[str, Any]:
    user_model = get_user_model()
    found = {}
    hashed = make_password(password)  # hashed once: the same demo password for every login
    office = [(code.lower(), name, RoleKind.OFFICE, code) for code, name, *_r in UNITS]
    for username, full_name, role, unit_code in [*STAFF, *office]:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create(username=username, password=hashed)
            Profile.objects.create(user=user, full_name=full_name)
            if role == RoleKind.INTERNAL_AFFAIRS:
                grant_internal_affairs_admin(user)
                # Pre-enrolled for two-factor with the secret `make run` prints.
                totp_enrol_with_key(user=user, key=settings.DEMO_TOTP_KEY)
        UserRole.objects.get_or_create(user=user, kind=role, unit=units[unit_code])
        found[username] = user
    return found


# The four quarters of the demo year: three published with their rankings, the last open.
YEAR = 2026
QUARTERS = [
    ("Quý I/2026", datetime.date(YEAR, 1, 1), datetime.date(YEAR, 3, 31)),
    ("Quý II/2026", datetime.date(YEAR, 4, 1), datetime.date(YEAR, 6, 30)),
    ("Quý III/2026", datetime.date(YEAR, 7, 1), datetime.date(YEAR, 9, 30)),
    ("Quý IV/2026", datetime.date(YEAR, 10, 1), datetime.date(YEAR, 12, 31)),
]
# Units that sign the year's commitment in the demo (the others are reminded).
SIGNED = ("SNV", "STC", "SXD", "SYT", "PANLAC", "PBACSON", "PDONGHOA", "DPTTH", "TTPVHCC")


def _rounds(version: ModelVersion, units: dict[str, OrgUnit], users: dict[str, Any]) -> None:
    noivu = users["noivu"]
    rng = random.Random(2026)
    rounds = [
        services.round_create(
            by=noivu, name=name, version=version, starts_on=start, ends_on=end, open_now=True
        )
        for name, start, end in QUARTERS
    ]
    *published, q4 = rounds
    ranked = [u for u in units.values() if u.group_id is not None]
    plan: dict[Any, Any] = {}
    for round_ in rounds:
        plan |= _assign(round_, ranked, users)
    # Each unit has its own level and its own way through the year, so trends and movers
    # tell something: some improve quarter after quarter, some slip.
    levels = {u.pk: rng.choice([0.6, 0.7, 0.8, 0.85, 0.9]) for u in ranked}
    drift = {u.pk: rng.choice([-0.06, -0.03, 0.0, 0.03, 0.05, 0.08]) for u in ranked}
    for i, round_ in enumerate(published):
        for unit in ranked:
            quality = min(1.0, max(0.4, levels[unit.pk] + drift[unit.pk] * i))
            _inspect(
                round_,
                unit,
                plan[(round_.pk, unit.pk)],
                rng,
                outcome="approve",
                quality=quality,
                flags=round_ is published[-1],
            )
        # Reviewed in its own quarter: its actions fell due long ago.
        CorrectiveAction.objects.filter(inspection__round=round_).update(
            due_on=round_.ends_on + datetime.timedelta(days=version.action_due_days)
        )
        services.round_close(round=round_, by=noivu, confirmed=True)
        # Sở Nội vụ's own units wait for a reviewer from outside it: published without them.
        services.round_publish(
            round=round_,
            by=noivu,
            reason="Phiếu của các đơn vị thuộc Sở Nội vụ chờ người duyệt ngoài Sở.",
            confirmed=True,
        )
    q3 = published[-1]

    q4_outcomes = ["approve"] * 11 + ["submit"] * 3 + ["return"] + ["draft"] * 2 + [None] * 3
    for unit, outcome in zip(ranked, q4_outcomes, strict=False):
        if outcome is not None:
            quality = min(1.0, max(0.4, levels[unit.pk] + drift[unit.pk] * 3))
            _inspect(q4, unit, plan[(q4.pk, unit.pk)], rng, outcome=outcome, quality=quality)
    for code in ("PANLAC", "SXD", "DPTTH"):
        office_user = users[code.lower()]
        _inspect(q4, units[code], office_user, rng, outcome="submit", kind=Inspection.Kind.SELF)
    _follow_up(q3, q4, users, rng)
    for code in SIGNED:
        services.commitment_record(
            by=users[code.lower()],
            unit=units[code],
            year=YEAR,
            signed_on=datetime.date(YEAR, 1, 15) + datetime.timedelta(days=rng.randrange(40)),
            data=_demo_photo(f"{code} cam kết {YEAR}", rng),
        )


def _follow_up(q3: Round, q4: Round, users: dict[str, Any], rng: random.Random) -> None:
    """Every state of the corrective-action loop on first run: a fix reported this round;
    last round, one fix verified by its inspector and one sent back with what is missing."""
    waiting = CorrectiveAction.objects.filter(status=CorrectiveAction.Status.OPEN).select_related(
        "unit", "criterion", "inspection__inspector"
    )
    latest = list(waiting.filter(inspection__round=q4).order_by("pk")[:1])
    earlier = list(waiting.filter(inspection__round=q3).order_by("pk")[:2])
    for action in [*latest, *earlier]:
        services.action_respond(
            by=users[action.unit.code.lower()],
            action=action,
            note="Đã khắc phục theo yêu cầu, ảnh chụp sau khi sửa kèm theo.",
            files=[_demo_photo(f"{action.unit.code} {action.criterion.code} sau", rng)],
        )
    if len(earlier) == 2:
        verified, reopened = earlier
        services.action_verify(
            by=verified.inspection.inspector, action=verified, note="Đã kiểm tra lại, đạt."
        )
        services.action_reopen(
            by=reopened.inspection.inspector,
            action=reopened,
            note="Ảnh chưa cho thấy toàn bộ khu vực; đề nghị chụp lại sau khi sắp xếp xong.",
        )


def _notifications(users: dict[str, Any]) -> None:
    """The bell is alive on first run: this month's commitment reminders (to the units
    not in SIGNED) and the year's results exported by Internal Affairs and the leader
    join what the rounds told everyone; the oldest of each is read."""
    remind_commitments(today=timezone.localdate())
    for username in ("noivu", "lanhdao"):
        job = export_start(by=users[username], year=2026)
        export_run(job_id=str(job.pk))  # built here; a worker that gets it too finds it done
    for user in users.values():
        oldest = Notification.objects.filter(recipient=user).order_by("created_at", "pk").first()
        if oldest is not None:
            services.notification_read(by=user, notification=oldest)


def _assign(round_: Round, units: list[OrgUnit], users: dict[str, Any]) -> dict[Any, Any]:
    plan = {}
    for unit in units:
        first_choice = users["kiemtra1"] if unit.pk % 2 else users["kiemtra2"]
        other = users["kiemtra2"] if first_choice == users["kiemtra1"] else users["kiemtra1"]
        for inspector in (first_choice, other):
            try:
                services.assignments_create(
                    by=users["noivu"], round=round_, inspector=inspector, units=[unit]
                )
            except DomainError:
                continue  # the inspector's own unit: the other inspector takes it
            plan[(round_.pk, unit.pk)] = inspector
            break
    return plan


def _inspect(
    round_: Round,
    unit: OrgUnit,
    inspector: Actor,
    rng: random.Random,
    *,
    outcome: str,
    kind: str = Inspection.Kind.OFFICIAL,
    quality: float | None = None,
    flags: bool = True,
) -> Inspection:
    """`flags`: the inspector also asks for fixes of poor answers (earlier quarters: only
    the ★ failures open actions, so the demo's follow-up stays readable)."""
    inspection, _created = services.inspection_create(
        by=inspector, round=round_, unit=unit, kind=kind
    )
    if quality is None:
        quality = rng.choice([0.55, 0.7, 0.8, 0.9, 0.95, 1.0])
    criteria = Criterion.objects.filter(version=round_.version).order_by("section__order", "order")
    for criterion in criteria:
        value, note = _answer(criterion, quality, rng)
        # A failed or poor answer, half the time (True == 1 in Python: a pass is never one).
        flagged = flags and value in (False, 0, 1) and rng.random() < 0.5 and value is not True
        services.answer_set(
            by=inspector,
            inspection=inspection,
            criterion_code=criterion.code,
            value=value,
            note=note,
            flagged=flagged,
        )
        if criterion.evidence != EvidenceKind.NONE and value != "na":
            services.photo_attach(
                by=inspector,
                inspection=inspection,
                criterion_code=criterion.code,
                data=_demo_photo(f"{unit.code} {criterion.code}", rng),
                caption=f"{criterion.code} — {unit.name}",
            )
    if outcome == "draft":
        return inspection
    services.inspection_submit(by=inspector, inspection=inspection)
    noivu = get_user_model().objects.get(username="noivu")
    if outcome == "approve" and unit.is_within(OrgUnit.objects.get(code="SNV")):
        return inspection  # Internal Affairs may not approve its own unit: left for review
    if outcome == "approve":
        services.inspection_approve(by=noivu, inspection=inspection)
    elif outcome == "return":
        services.inspection_return(
            by=noivu,
            inspection=inspection,
            reason="Ảnh minh chứng A5 và B6 chưa rõ, đề nghị chụp lại.",
            criteria=["A5", "B6"],
        )
    return inspection


def _answer(criterion: Criterion, quality: float, rng: random.Random) -> tuple[object, str]:
    if criterion.na_allowed and rng.random() < 0.08:
        return "na", "Đơn vị không có hạng mục này."
    good = rng.random() < quality
    if criterion.answer_type == "yes_no":
        return good, "" if good else "Chưa đạt khi kiểm tra thực tế."
    if criterion.answer_type == "level":
        level = rng.choice([3, 4]) if good else rng.choice([0, 1, 2])
        return level, "" if level >= 3 else f"Phát hiện {5 - level} vấn đề."
    value = round(rng.uniform(88, 100) if good else rng.uniform(40, 90), 1)
    return value, ""


def _demo_photo(label: str, rng: random.Random) -> bytes:
    colour = tuple(rng.randrange(40, 220) for _i in range(3))
    image = Image.new("RGB", (480, 360), colour)
    draw = ImageDraw.Draw(image)
    for _i in range(6):
        x, y = rng.randrange(0, 440), rng.randrange(0, 320)
        draw.rectangle([x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 90)], outline=0)
    draw.text((16, 16), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def staff_for_listing() -> list[tuple[str, str, str, str]]:
    """(username, full name, role, unit code) of every demo login, for `make run` to print."""
    return _login_rows()

"""Every web form and every GET parameter, fed a fixed corpus of hostile values by each role.

For each URL pattern of the web door (web/urls.py and the language switch), each path
parameter, each known query parameter and one unknown one, and each POST field (files too),
one request per hostile value as the inspector, an office, Internal Affairs and a leader.
Nothing may answer 5xx; a refused request (4xx) must leave the database as it was; a NUL or
another control character in any text is a 400; markup never comes back unescaped. Each
case runs in a savepoint rolled back afterwards, so every case starts from the same world.

`ROUTES` names the fields of every form; a companion test reads every form the pages render
and fails on a field or a URL pattern the table does not know. Marked `slow` (CI runs it
once); the NUL cases also carry `nul`, which CI runs again on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, resolve, reverse

from inspections import services
from inspections.imports import template_workbook
from inspections.models import (
    AnswerType,
    Assignment,
    Category,
    Criterion,
    EmailChoice,
    Inspection,
    ModelVersion,
    Notification,
    OrgUnit,
)
from inspections.services.surveys import SurveyAnswers, survey_point_create, survey_submit
from tests.accounts import sign_in
from tests.api import conftest as api_fixtures
from tests.factories import jpeg_bytes
from web.urls import urlpatterns as web_patterns

ROLES = ("inspector", "ward_office", "internal_affairs", "leader")

# The fixed corpus: (id, value). Control characters must always be a 400.
CORPUS: list[tuple[str, str]] = [
    ("nul", "A1\x00' OR 1=1"),
    ("control", "x\x1b[2J\x07\x08\x7f"),
    ("superscript-two", "²"),
    ("circled-one", "①"),
    ("arabic-digits", "١٢"),
    ("long", "Đ" * 100_000),
    ("huge-int", "9" * 40),
    ("int64-plus-one", str(2**63)),
    ("negative", "-1"),
    ("float-overflow", "1e309"),
    ("emoji", "😀🇻🇳👩‍💼"),
    ("rtl", "\u202eabc\u200f\u061c"),
    ("zero-width", "\u200b\ufeff"),
    ("sql", "' OR 1=1 --"),
    ("template", "{{ request.user.password }}{% debug %}{% load log %}"),
    ("dot-dot", "../../../etc/passwd"),
    ("html", HTML := "<script>alert(1)</script>"),
    ("crlf", "x\r\nSet-Cookie: a=b"),
    ("empty", ""),
    ("blank", "  \t "),
]
CONTROL_CASES = {"nul", "control"}


@dataclass(frozen=True)
class Route:
    """One URL pattern: how to fill its path, the GET parameters it reads, its form."""

    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda w: {}
    query: tuple[str, ...] = ()
    form: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # None: GET only
    files: tuple[str, ...] = ()
    fixed_query: str = ""
    # Other (path, form) pairs for the same pattern: the answer form of each answer type.
    variants: Callable[[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]] = lambda w: []


NEW_PASSWORD = {"new_password1": "Mat-khau-moi-2027", "new_password2": "Mat-khau-moi-2027"}


def _assignment(w: dict[str, Any]) -> dict[str, Any]:
    return {"pk": w["assignment"]}


def _management(prefix: str) -> dict[str, str]:
    """A formset's own fields, for one row."""
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def _criterion_form(w: dict[str, Any], code: str) -> dict[str, Any]:
    return {
        "section": str(w["edition_section"]),
        "code": code,
        "order": "1",
        "text": "Bàn làm việc gọn gàng",
        "text_en": "",
        "guidance": "",
        "guidance_en": "",
        "answer_type": "percent",
        "max_points": "4,5",
        "evidence": "photo",
        "critical": "",
        "na_allowed": "",
        **_management("bands"),
        "bands-0-minimum": "90",
        "bands-0-points": "4,5",
        "bands-0-DELETE": "",
    }


ROUTES: dict[str, Route] = {
    "login": Route(
        query=("next",),
        form=lambda w: {"username": "kiemtra1", "password": "sai-mat-khau", "next": "/"},
    ),
    "logout": Route(query=("next",), form=lambda w: {"next": "/"}),
    "sign-out-everywhere": Route(form=lambda w: {}),
    "account": Route(),
    "personal-data": Route(form=lambda w: {}),
    "privacy": Route(),
    "password-change": Route(form=lambda w: {"old_password": "sai", **NEW_PASSWORD}),
    "two-factor": Route(query=("next",), form=lambda w: {"code": "123456", "next": "/"}),
    "two-factor-enrol": Route(query=("next",), form=lambda w: {"code": "123456", "next": "/"}),
    "two-factor-recovery": Route(form=lambda w: {}),
    "two-factor-disable": Route(form=lambda w: {}),
    "invitation": Route(kwargs=lambda w: {"token": "khong-co"}, form=lambda w: NEW_PASSWORD),
    "password-reset": Route(form=lambda w: {"email": "noivu@example.vn"}),
    "password-reset-sent": Route(),
    "password-reset-confirm": Route(
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}, form=lambda w: NEW_PASSWORD
    ),
    "password-reset-done": Route(),
    "home": Route(),
    "my-work": Route(),
    "service-worker": Route(),
    "offline-manifest": Route(),
    "app-manifest": Route(),
    "favicon": Route(),
    "inspection-start": Route(kwargs=_assignment, form=lambda w: {"id": str(uuid.uuid4())}),
    "checklist": Route(kwargs=lambda w: {"pk": w["draft"]}),
    "answer": Route(
        kwargs=lambda w: {"pk": w["draft"], "code": "A1"},
        form=lambda w: {"value": "4", "note": "Ghi chú", "flagged": "", "na": ""},
        files=("camera", "gallery"),
        variants=lambda w: [
            ({"pk": w["draft"], "code": w["yes_no"]}, {"value": "yes", "note": "", "flagged": ""}),
            ({"pk": w["draft"], "code": w["percent"]}, {"value": "97.5", "note": "", "na": ""}),
        ],
    ),
    "photo-delete": Route(
        kwargs=lambda w: {"pk": w["draft"], "photo_id": w["draft_photo"]}, form=lambda w: {}
    ),
    "photo": Route(kwargs=lambda w: {"pk": w["draft_photo"]}),
    "photo-blur": Route(
        kwargs=lambda w: {"pk": w["draft_photo"]},
        form=lambda w: {"x": "10", "y": "10", "w": "20", "h": "20"},
    ),
    "photo-blur-remove": Route(
        kwargs=lambda w: {"pk": w["draft_photo"], "index": 0}, form=lambda w: {}
    ),
    "photo-shape": Route(
        kwargs=lambda w: {"pk": w["draft_photo"]},
        form=lambda w: {
            "kind": "circle",
            "x1": "20",
            "y1": "20",
            "x2": "40",
            "y2": "40",
            "label": "Bụi",
        },
    ),
    "photo-shape-remove": Route(
        kwargs=lambda w: {"pk": w["draft_photo"], "index": 0}, form=lambda w: {}
    ),
    "review": Route(kwargs=lambda w: {"pk": w["draft"]}, form=lambda w: {}),
    "result": Route(kwargs=lambda w: {"pk": w["approved"]}),
    "inspection-history": Route(kwargs=lambda w: {"pk": w["approved"]}, query=("from", "to")),
    "record-pdf": Route(kwargs=lambda w: {"pk": w["approved"]}, query=("revision",)),
    "record-verify": Route(kwargs=lambda w: {"token": "khong-co"}),
    "team": Route(kwargs=lambda w: {"pk": w["draft"]}),
    "team-step": Route(
        kwargs=lambda w: {"pk": w["draft"], "step": "note"},
        form=lambda w: {"note": "Ý kiến của đoàn"},
        files=("file",),
        variants=lambda w: [
            ({"pk": w["draft"], "step": step}, form)
            for step, form in (
                ("member-add", {"user": str(w["other_inspector"])}),
                ("member-remove", {"user": str(w["other_inspector"])}),
                ("person-add", {"name": "Lê Văn Đại", "position": "Chánh văn phòng"}),
                ("person-remove", {"person": "1"}),
                ("photo", {"criterion": "A1", "caption": "Ảnh"}),
                ("paper", {"role": "unit", "name": "Lê Văn Đại", "position": "Trưởng phòng"}),
            )
        ],
    ),
    "unit-home": Route(),
    "unit": Route(kwargs=lambda w: {"code": "PANLAC"}),
    "unit-evidence": Route(kwargs=lambda w: {"code": "PANLAC"}, query=("ban", "dot")),
    "unit-action-respond": Route(
        kwargs=lambda w: {"code": "PANLAC", "pk": w["action"]},
        form=lambda w: {"note": "Đã dọn dẹp xong"},
        files=("files",),
    ),
    "unit-place": Route(
        kwargs=lambda w: {"code": "PANLAC"},
        form=lambda w: {"latitude": "10,776889", "longitude": "106,700806", "radius_m": "300"},
    ),
    "unit-self-compare": Route(kwargs=lambda w: {"code": "PANLAC", "pk": w["round"]}),
    "unit-self-start": Route(
        kwargs=lambda w: {"code": "PANLAC"},
        form=lambda w: {"round": str(w["round"]), "id": str(uuid.uuid4())},
    ),
    "rounds": Route(
        query=("q", "status", "year", "sort"),
        form=lambda w: {
            "name": "Quý II/2027",
            "version": str(w["version"]),
            "starts_on": "2027-04-01",
            "ends_on": "2027-06-30",
            "open_now": "",
        },
    ),
    "round": Route(
        kwargs=lambda w: {"pk": w["round"]},
        query=("q", "state", "late", "group", "inspector", "sort"),
    ),
    "round-assign": Route(
        kwargs=lambda w: {"pk": w["round"]},
        form=lambda w: {
            "inspector": str(w["other_inspector"]),
            "units": [str(w["school"])],
            "due_on": "2026-12-20",
        },
    ),
    "round-ranking": Route(kwargs=lambda w: {"pk": w["round"]}, query=("format",)),
    "round-evidence": Route(kwargs=lambda w: {"pk": w["round"]}, query=("ban",)),
    "round-step": Route(kwargs=lambda w: {"pk": w["round"], "step": "mo"}, form=lambda w: {}),
    "round-close": Route(kwargs=lambda w: {"pk": w["round"]}, form=lambda w: {"confirm": "1"}),
    "round-publish": Route(
        kwargs=lambda w: {"pk": w["round"]}, form=lambda w: {"reason": "Lý do", "confirm": "1"}
    ),
    "dashboard": Route(query=("year", "round", "group")),
    "year-index": Route(),
    "year": Route(kwargs=lambda w: {"year": 2026}, query=("group", "format")),
    "year-policy": Route(
        kwargs=lambda w: {"year": 2026},
        form=lambda w: {
            "minimum_rounds": "2",
            "min_xuat_sac": "90",
            "min_tot": "80",
            "min_kha": "65",
            "min_dat": "50",
            "min_khong_dat": "0",
            "critical_cap": "dat",
            "propose_classes": "xuat_sac",
            "require_no_critical": "1",
            "require_actions_verified": "1",
            "require_commitment": "1",
        },
    ),
    "year-publish": Route(kwargs=lambda w: {"year": 2026}, form=lambda w: {"confirm": "1"}),
    "year-proposals": Route(kwargs=lambda w: {"year": 2026}, query=("format",)),
    "proposal-decide": Route(
        kwargs=lambda w: {"year": 2026, "unit_id": w["school"]},
        form=lambda w: {"action": "add", "reason": "Điển hình của khối"},
    ),
    "editions": Route(),
    "edition": Route(
        kwargs=lambda w: {"pk": w["edition_draft"]},
        form=lambda w: {"title": "Bộ tiêu chí 2027", "title_en": "", "action_due_days": "14"},
    ),
    "edition-new": Route(kwargs=lambda w: {"pk": w["version"]}, form=lambda w: {}),
    "edition-classification": Route(
        kwargs=lambda w: {"pk": w["edition_draft"]},
        form=lambda w: {
            **_management("levels"),
            "levels-0-code": "dat",
            "levels-0-name": "Đạt",
            "levels-0-name_en": "Pass",
            "levels-0-minimum_score": "0",
            "levels-0-DELETE": "",
            "critical_cap": "dat",
            "top_class_section_minimum": "70",
            "applicable_floor": "70",
        },
    ),
    "edition-sections": Route(
        kwargs=lambda w: {"pk": w["edition_draft"]},
        form=lambda w: {
            **_management("sections"),
            "sections-0-id": "",
            "sections-0-code": "E",
            "sections-0-title": "Nhóm mới",
            "sections-0-title_en": "",
            "sections-0-order": "5",
            "sections-0-DELETE": "",
        },
    ),
    "edition-criterion-add": Route(
        kwargs=lambda w: {"pk": w["edition_draft"]}, form=lambda w: _criterion_form(w, "E1")
    ),
    "edition-criterion": Route(
        kwargs=lambda w: {"pk": w["edition_draft"], "criterion_id": w["edition_criterion"]},
        form=lambda w: _criterion_form(w, "A1"),
    ),
    "edition-criterion-delete": Route(
        kwargs=lambda w: {"pk": w["edition_draft"], "criterion_id": w["edition_criterion"]},
        form=lambda w: {},
    ),
    "edition-preview": Route(kwargs=lambda w: {"pk": w["edition_draft"]}),
    "edition-diff": Route(kwargs=lambda w: {"pk": w["edition_draft"]}),
    "edition-publish": Route(kwargs=lambda w: {"pk": w["edition_draft"]}, form=lambda w: {}),
    "edition-export": Route(kwargs=lambda w: {"pk": w["edition_draft"]}),
    "edition-import": Route(
        kwargs=lambda w: {"pk": w["edition_draft"]}, form=lambda w: {}, files=("file",)
    ),
    "edition-delete": Route(kwargs=lambda w: {"pk": w["edition_draft"]}, form=lambda w: {}),
    "commitments": Route(
        query=("nam", "q", "group", "signed", "sort"),
        fixed_query="nam=2027",
        form=lambda w: {"unit": "PANLAC", "signed_on": "2027-01-15"},
        files=("scan",),
    ),
    "people-import": Route(form=lambda w: {"mode": "preview"}, files=("file",)),
    "people-template": Route(),
    "people-retire": Route(
        form=lambda w: {"unit": "THANLAC", "merged_into": "PANLAC", "valid_to": "2027-01-01"}
    ),
    "people": Route(query=("q", "role", "unit", "active", "sort")),
    "person-add": Route(
        form=lambda w: {
            "username": "nguoimoi",
            "full_name": "Nguyễn Văn Mới",
            "email": "moi@example.vn",
            "language": "vi",
        }
    ),
    "invitation-sheets": Route(form=lambda w: {"person": [str(w["person"])]}),
    "person": Route(
        kwargs=lambda w: {"pk": w["person"]},
        form=lambda w: {"full_name": "Trần Thị Sửa", "email": "", "language": "vi"},
    ),
    "person-role-add": Route(
        kwargs=lambda w: {"pk": w["person"]}, form=lambda w: {"kind": "inspector", "unit": "STC"}
    ),
    "person-role-remove": Route(
        kwargs=lambda w: {"pk": w["person"], "role_id": w["person_role"]}, form=lambda w: {}
    ),
    "person-state": Route(kwargs=lambda w: {"pk": w["person"], "step": "khoa"}, form=lambda w: {}),
    "actions": Route(
        query=(
            "status",
            "unit",
            "round",
            "overdue",
            "due_after",
            "due_before",
            "trang",
            "group",
            "criterion",
            "reason",
        )
    ),
    "action": Route(kwargs=lambda w: {"pk": w["action"]}),
    "action-respond": Route(
        kwargs=lambda w: {"pk": w["action"]},
        form=lambda w: {"note": "Đã dọn dẹp xong"},
        files=("files",),
    ),
    "action-verdict": Route(
        kwargs=lambda w: {"pk": w["action"], "verdict": "xac-nhan"},
        form=lambda w: {"note": "Đã kiểm tra"},
    ),
    "notifications": Route(query=("page", "unread", "category")),
    "notification-open": Route(kwargs=lambda w: {"pk": w["notification"]}),
    "notification-toggle": Route(
        kwargs=lambda w: {"pk": w["notification"]}, form=lambda w: {"next": "/thong-bao/"}
    ),
    "notifications-read-all": Route(form=lambda w: {"next": "/thong-bao/"}),
    "notification-preferences": Route(
        form=lambda w: {category.value: EmailChoice.DIGEST.value for category in Category}
    ),
    "notification-unsubscribe": Route(kwargs=lambda w: {"token": "khong-co"}, form=lambda w: {}),
    "export-year": Route(form=lambda w: {"year": "2026"}),
    "export-data": Route(
        query=("dot",),
        form=lambda w: {
            "scope": "round",
            "round": str(w["round"]),
            "year": "2026",
            "table": "answers",
            "kind": "csv",
        },
    ),
    "export": Route(kwargs=lambda w: {"pk": uuid.UUID(int=1)}),
    "export-file": Route(kwargs=lambda w: {"pk": uuid.UUID(int=1)}),
    "review-queue": Route(query=("q", "round", "group", "inspector", "sort")),
    "review-inspection": Route(kwargs=lambda w: {"pk": w["submitted"]}),
    "review-approve": Route(kwargs=lambda w: {"pk": w["submitted"]}, form=lambda w: {}),
    "review-return": Route(
        kwargs=lambda w: {"pk": w["submitted"]},
        form=lambda w: {"reason": "Thiếu ảnh", "criteria": ["A1"]},
    ),
    "review-revise": Route(
        kwargs=lambda w: {"pk": w["approved"]},
        form=lambda w: {"reason": "Điều chỉnh", "v-A1": "3", "n-A1": "Ghi chú"},
    ),
    "set_language": Route(form=lambda w: {"language": "en", "next": "/"}),
    "survey-points": Route(form=lambda w: {"unit": str(w["ward"]), "desk": "Quầy 2"}),
    "survey-overview": Route(),
    "onestop": Route(form=lambda w: {"round": str(w["round"])}, files=("file",)),
    "onestop-template": Route(),
    "survey-point": Route(kwargs=lambda w: {"pk": w["survey_point"]}),
    "survey-point-active": Route(
        kwargs=lambda w: {"pk": w["survey_point"]}, form=lambda w: {"active": "0"}
    ),
    "survey-poster": Route(kwargs=lambda w: {"pk": w["survey_point"]}),
    "survey-poster-pdf": Route(kwargs=lambda w: {"pk": w["survey_point"]}),
    "survey-hide": Route(
        kwargs=lambda w: {"pk": w["survey_response"]}, form=lambda w: {"reason": "Trùng lặp"}
    ),
    "survey-release": Route(kwargs=lambda w: {"pk": w["survey_response"]}, form=lambda w: {}),
    "survey-public": Route(
        kwargs=lambda w: {"token": w["survey_token"]},
        query=("lang",),
        form=lambda w: {"satisfaction": "5", "on_time": "1", "attitude": "3", "comment": "Tốt"},
    ),
    "survey-thanks": Route(kwargs=lambda w: {"token": w["survey_token"]}, query=("lang",)),
    "indicator-accept": Route(kwargs=lambda w: {"pk": w["draft"], "code": "D2"}, form=lambda w: {}),
    "indicator-override": Route(
        kwargs=lambda w: {"pk": w["draft"], "code": "D2"},
        form=lambda w: {"value": "90", "note": "Phiếu khảo sát giấy"},
    ),
    "indicator-summary": Route(kwargs=lambda w: {"pk": w["draft"], "code": "D2"}),
}
# Files each form takes, as the pages would send them.
BASE_FILES: dict[str, Callable[[], bytes]] = {"file": template_workbook}


def web_patterns_by_name() -> dict[str, str]:
    """Every URL pattern of the web door (and the language switch), by name → route."""
    found = {str(p.name): str(p.pattern) for p in web_patterns if isinstance(p, URLPattern)}
    found["set_language"] = reverse("set_language").lstrip("/")
    return found


def fill(route: str, values: dict[str, Any], hostile: tuple[str, str] | None = None) -> str:
    """The path with its <conv:name> parts filled; one of them replaced by a hostile value."""
    path = "/" + route
    for part in [p for p in path.split("/") if p.startswith("<")]:
        name = part.strip("<>").split(":")[-1]
        value = str(values[name])
        if hostile is not None and hostile[0] == name:
            value = hostile[1]
        path = path.replace(part, quote(value, safe=""))
    return path


@dataclass
class Tally:
    cases: int = 0
    refused: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)


def fingerprint() -> str:
    """A digest of every row the product keeps (not sessions): equal means nothing changed."""
    models = [*apps.get_app_config("inspections").get_models(), get_user_model()]
    digest = hashlib.sha256()
    for model in models:
        digest.update(model._meta.label.encode())
        digest.update(repr(list(model._default_manager.order_by("pk").values_list())).encode())
    return digest.hexdigest()


@pytest.fixture
def fuzz_world(world: dict[str, Any], cast: Any, settings: Any) -> dict[str, Any]:
    """The API's world, plus answers of each type and a photo on the inspector's draft (the
    answer forms' base values repeat those answers, so that a refused file is the whole
    request) and an assignment not started yet."""
    inspection = Inspection.objects.get(pk=world["draft"])
    services.answer_set(
        by=cast.inspector, inspection=inspection, criterion_code="A1", value=4, note="Ghi chú"
    )
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=inspection, data=jpeg_bytes(), criterion_code="A1"
    )
    assignment = Assignment.objects.get(inspector=cast.inspector, unit_id=world["tai_chinh"])
    criteria = Criterion.objects.filter(version_id=world["version"]).order_by("order", "code")
    first = {
        kind: criteria.filter(answer_type=kind).values_list("code", flat=True)[0]
        for kind in (AnswerType.YES_NO, AnswerType.PERCENT)
    }
    for code, value in ((first[AnswerType.YES_NO], True), (first[AnswerType.PERCENT], "97.5")):
        services.answer_set(
            by=cast.inspector, inspection=inspection, criterion_code=code, value=value
        )
    # A desk with one answer; the limit per address is the flood test's, not the corpus'.
    settings.SURVEY_RATE_PER_ADDRESS = 10**9
    point = survey_point_create(
        by=cast.internal_affairs, unit=OrgUnit.objects.get(pk=world["ward"]), desk="Một cửa"
    )
    survey_answer = survey_submit(
        point=point, answers=SurveyAnswers(5, True, 3, "Tốt"), address="192.0.2.1", repeat=False
    ).response
    assert survey_answer is not None
    edition = services.version_new_draft(
        source=ModelVersion.objects.get(pk=world["version"]), by=cast.internal_affairs
    )
    return {
        **world,
        "edition_draft": edition.pk,
        "edition_criterion": edition.criteria.get(code="A1").pk,
        "edition_section": edition.sections.get(code="A").pk,
        "draft_photo": photo.pk,
        "assignment": assignment.pk,
        "person": cast.department_office.pk,
        "notification": Notification.objects.order_by("pk").values_list("pk", flat=True).first()
        or 1,
        "person_role": cast.department_office.roles.get().pk,
        "yes_no": first[AnswerType.YES_NO],
        "percent": first[AnswerType.PERCENT],
        "survey_point": point.pk,
        "survey_token": point.token,
        "survey_response": survey_answer.pk,
    }


world = api_fixtures.world


@dataclass(frozen=True)
class Case:
    label: str
    method: str
    path: str
    query: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)
    is_text: bool = True  # a text the hostile value went into (a file's bytes are not)

    def send(self, client: Client) -> HttpResponse:
        url = f"{self.path}?{self.query}" if self.query else self.path
        if self.method == "GET":
            return client.get(url)
        if self.files:
            return client.post(url, {**self.data, **self.files})  # multipart
        body = urlencode(self.data, doseq=True)
        return client.post(url, body, content_type="application/x-www-form-urlencoded")


def cases_for(route: str, spec: Route, w: dict[str, Any], value: str) -> Iterator[Case]:
    yield from cases_of(route, spec, spec.kwargs(w), spec.form(w) if spec.form else None, value)
    for kwargs, form in spec.variants(w):
        tag = str(kwargs.get("code") or kwargs.get("step") or "")
        yield from cases_of(route, spec, kwargs, form, value, form_only=True, tag=tag)


def cases_of(
    route: str,
    spec: Route,
    kwargs: dict[str, Any],
    form: dict[str, Any] | None,
    value: str,
    *,
    form_only: bool = False,
    tag: str = "",
) -> Iterator[Case]:
    """One hostile value in each path parameter, query parameter, form field and file."""
    method = "POST" if form is not None else "GET"
    fixed = dict([spec.fixed_query.split("=")]) if spec.fixed_query else {}

    def files(hostile: str | None = None) -> dict[str, Any]:
        """A valid file in each file field; or the hostile one alone, so that it decides."""
        if hostile is not None:
            return {hostile: SimpleUploadedFile("tep.jpg", value.encode(), "image/jpeg")}
        return {
            name: SimpleUploadedFile("tep.jpg", BASE_FILES.get(name, jpeg_bytes)(), "image/jpeg")
            for name in spec.files
        }

    path = fill(route, kwargs)
    for param in () if form_only else kwargs:
        hostile_path = fill(route, kwargs, (param, value))
        yield Case(f"path:{param}", method, hostile_path, spec.fixed_query, form or {}, files())
    for param in () if form_only else (*spec.query, "x"):
        yield Case(f"query:{param}", "GET", path, urlencode({**fixed, param: value}))
    if form is None:
        return
    for name, base in form.items():
        data = {**form, name: [value] if isinstance(base, list) else value}
        yield Case(f"form:{name}{tag and f'@{tag}'}", "POST", path, spec.fixed_query, data, files())
    for name in spec.files:
        label = f"file:{name}{tag and f'@{tag}'}"
        yield Case(label, "POST", path, spec.fixed_query, form, files(name), False)


def _body(response: HttpResponse) -> bytes:
    return b"" if response.streaming else bytes(response.content)


def run_corpus(client: Client, role: str, key: str, value: str, w: dict[str, Any]) -> Tally:
    tally, baseline = Tally(), fingerprint()
    cookies = client.cookies.output(header="", sep="\n")  # a logout case must not stick
    for name, route in web_patterns_by_name().items():
        for case in cases_for(route, ROUTES[name], w, value):
            label = f"{role} {key} {case.method} {name} {case.label}"
            with transaction.atomic():
                response = case.send(client)
                status = response.status_code
                tally.cases += 1
                if status >= 500:
                    tally.server_errors += 1
                    tally.failures.append(f"{label}: {status}")
                elif status >= 400:
                    tally.refused += 1
                    if fingerprint() != baseline:
                        tally.failures.append(f"{label}: {status} but the database changed")
                if key in CONTROL_CASES and case.is_text and status != 400:
                    tally.failures.append(f"{label}: {status}, not a 400")
                if value == HTML and HTML.encode() in _body(response):
                    tally.failures.append(f"{label}: {status} shows the markup unescaped")
                transaction.set_rollback(True)
            client.cookies = SimpleCookie(cookies)
    return tally


def _params() -> list[Any]:
    return [
        pytest.param(role, key, value, id=f"{role}-{key}", marks=[pytest.mark.nul] * (key == "nul"))
        for key, value in CORPUS
        for role in ROLES
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("role", "key", "value"), _params())
def test_no_web_form_or_parameter_answers_5xx_or_changes_data_it_refused(
    fuzz_world: dict[str, Any], cast: Any, role: str, key: str, value: str, record_property: Any
) -> None:
    client = sign_in(getattr(cast, role), Client(raise_request_exception=False))
    tally = run_corpus(client, role, key, value, fuzz_world)
    record_property("web_fuzz_cases", tally.cases)
    record_property("web_fuzz_5xx", tally.server_errors)
    assert tally.cases >= 90
    assert not tally.failures, "\n".join(tally.failures[:40])


_FIELDS = ("input", "select", "textarea", "button")


class FormReader(HTMLParser):
    """The forms of a page: (action path, method, field names)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms = page, []  # type: list[tuple[str, str, set[str]]]
        self._current: tuple[str, str, set[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            action = urlsplit(found.get("action") or self.page).path
            self._current = (action, (found.get("method") or "get").upper(), set())
            self.forms.append(self._current)
        elif tag in _FIELDS and self._current is not None and found.get("name"):
            self._current[2].add(str(found["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


@pytest.mark.slow
def test_the_fuzz_table_knows_every_url_pattern_and_every_form_field_the_pages_render(
    fuzz_world: dict[str, Any], cast: Any
) -> None:
    patterns = web_patterns_by_name()
    assert set(patterns) == set(ROUTES), "a web page without its row in ROUTES"
    unknown: set[str] = set()
    seen_forms = 0
    for role in (None, *ROLES):
        client = Client(raise_request_exception=False)
        if role:
            sign_in(getattr(cast, role), client)
        for name, route in patterns.items():
            spec = ROUTES[name]
            path = fill(route, spec.kwargs(fuzz_world))
            response = client.get(f"{path}?{spec.fixed_query}" if spec.fixed_query else path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            reader = FormReader(path)
            reader.feed(response.content.decode())
            for action, method, names in reader.forms:
                target = resolve(action).url_name or ""
                seen_forms += 1
                known = set(ROUTES[target].query) if method == "GET" else set()
                if method == "POST" and ROUTES[target].form is not None:
                    known = set(ROUTES[target].form(fuzz_world)) | set(ROUTES[target].files)
                    for _kwargs, form in ROUTES[target].variants(fuzz_world):
                        known |= set(form)
                for field_name in names - {"csrfmiddlewaretoken"} - known:
                    if re.sub(r"-\d+-", "-0-", field_name) in known:
                        continue  # a formset's later rows repeat its first row's fields
                    if not (target == "review-revise" and field_name[:2] in ("v-", "n-")):
                        unknown.add(f"{target}: {field_name}")
    assert seen_forms >= 15
    assert not unknown, sorted(unknown)

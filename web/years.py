"""The year's result for Internal Affairs and leaders: the ranking per group, the year's
policy, publication with a confirmation, and the commendation proposals with their files.
Leaders read every page; each POST is refused by the service for anyone but Internal Affairs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspections import policies, selectors, services
from inspections.documents.proposals import proposals_pdf
from inspections.errors import DomainError
from inspections.models import Group, OrgUnit, Round, YearPolicy
from inspections.numbers import ascii_int
from inspections.selectors.years import class_names
from inspections.year_files import XLSX, proposals_workbook, year_ranking_workbook
from web.errors import form_refusal


def _file(body: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _policy_for_reader(user: Any, year: int) -> YearPolicy:
    policy = selectors.year_policy(year)
    if not policies.may_read_year_result(user, published=policy.is_published):
        raise PermissionDenied(_("Kết quả năm chỉ được xem sau khi công bố."))
    return policy


def _group(raw: str) -> Group | None:
    """The group filter: blank for every group; an unknown one is a form error (400)."""
    if not raw:
        return None
    pk = ascii_int(raw)
    found = Group.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise DomainError(_("Không có khối thi đua này."), fields={"group": [_("Hãy chọn khối.")]})
    return found


@login_required
def year_index(request: HttpRequest) -> HttpResponse:
    """The newest year that has a round (this year when there is none)."""
    years = selectors.known_years()
    return redirect("year", year=years[0] if years else timezone.localdate().year)


@login_required
def year_page(request: HttpRequest, year: int) -> HttpResponse:
    """The year's ranking per group (as published, or live); XLSX on ?format=xlsx."""
    policy = _policy_for_reader(request.user, year)
    group = _group(request.GET.get("group", ""))
    ranking = selectors.year_ranking(year=year, group=group)
    if request.GET.get("format") == "xlsx":
        return _file(year_ranking_workbook(ranking), XLSX, f"ket-qua-nam-{year}.xlsx")
    context = {
        "year": year,
        "ranking": ranking,
        "policy": policy,
        "group": group,
        "groups": Group.objects.all(),
        "years": selectors.known_years(),
        "waiting": Round.objects.filter(ends_on__year=year)
        .exclude(status=Round.Status.PUBLISHED)
        .count(),
        "manages": policies.may_manage_year(request.user),
        "reads_proposals": policies.may_read_proposals(request.user),
        # unit → [(round name, its rounded score or None)], the line under each unit's name
        "per_round": {
            row.unit_id: list(zip([r.name for r in ranking.rounds], row.round_scores, strict=True))
            for _group, row in ranking.rows
        },
    }
    return render(request, "web/years/ranking.html", context)


def _require_reader(user: Any) -> None:
    if not policies.may_read_rounds(user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xem trang này."))


def _posted_policy(post: Any, policy: YearPolicy) -> dict[str, Any]:
    """The form's values, as the service takes them; it judges every one."""
    classes = []
    for entry in policy.classes:
        code = str(entry["code"])
        classes.append({**entry, "minimum_score": post.get(f"min_{code}", "")})
    return {
        "minimum_rounds": ascii_int(post.get("minimum_rounds", ""), minimum=0, maximum=99) or 0,
        "classes": classes,
        "critical_cap": post.get("critical_cap", ""),
        "propose_classes": post.getlist("propose_classes"),
        "require_no_critical": post.get("require_no_critical") == "1",
        "require_actions_verified": post.get("require_actions_verified") == "1",
        "require_commitment": post.get("require_commitment") == "1",
    }


@login_required
@require_http_methods(["GET", "POST"])
def year_policy_page(request: HttpRequest, year: int) -> HttpResponse:
    """The year's rules; Internal Affairs edits them until the year's result is published."""
    _require_reader(request.user)
    policy = selectors.year_policy(year)
    status, errors, error = 200, {}, ""
    if request.method == "POST":
        try:
            _saved, changed = services.year_policy_save(
                by=policies.acting(request.user), year=year, **_posted_policy(request.POST, policy)
            )
        except DomainError as refused:
            status, errors, error = form_refusal(refused), refused.fields, refused.message
        else:
            messages.success(
                request, _("Đã lưu quy tắc của năm.") if changed else _("Không có gì thay đổi.")
            )
            return redirect("year-policy", year=year)
    classes = [
        {
            **entry,
            "display": class_names(policy).get(str(entry["code"]), ""),
            # Vietnamese style ("90,00"); the service reads a comma or a point.
            "value": request.POST.get(
                f"min_{entry['code']}", str(entry["minimum_score"]).replace(".", ",")
            ),
            "errors": errors.get(f"classes.{entry['code']}", []),
        }
        for entry in policy.classes
    ]
    context = {
        "year": year,
        "policy": policy,
        "classes": classes,
        "errors": errors,
        "error": error,
        "posted": request.POST if request.method == "POST" else None,
        "posted_propose": request.POST.getlist("propose_classes"),
        "editable": policies.may_manage_year(request.user) and not policy.is_published,
        "rounds": selectors.year_rounds(year, published_only=False),
    }
    return render(request, "web/years/policy.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def year_publish_page(request: HttpRequest, year: int) -> HttpResponse:
    """What publishing stores, then an explicit confirmation."""
    _require_reader(request.user)
    if not policies.may_manage_year(request.user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ được thực hiện thao tác này."))
    status, errors, error = 200, {}, ""
    if request.method == "POST":
        try:
            services.year_publish(
                by=policies.acting(request.user),
                year=year,
                confirmed=request.POST.get("confirm") == "1",
            )
        except DomainError as refused:
            status, errors, error = form_refusal(refused), refused.fields, refused.message
        else:
            messages.success(request, _("Đã công bố kết quả năm %(year)s.") % {"year": year})
            return redirect("year", year=year)
    ranking = selectors.year_ranking(year=year)
    context = {
        "year": year,
        "ranking": ranking,
        "all_rounds": selectors.year_rounds(year, published_only=False),
        "ranked": sum(1 for _g, row in ranking.rows if row.rank is not None),
        "units": sum(1 for _row in ranking.rows),
        "error": error,
        "confirm_errors": errors.get("confirm", []),
    }
    return render(request, "web/years/publish.html", context, status=status)


def _require_proposals_reader(user: Any) -> None:
    if not policies.may_read_proposals(user):
        raise PermissionDenied(_("Chỉ Phòng Nội vụ và lãnh đạo được xem đề nghị khen thưởng."))


def _proposals_page(
    request: HttpRequest, year: int, *, status: int = 200, failed: dict[str, Any] | None = None
) -> HttpResponse:
    proposals = selectors.year_proposals(year=year)
    context = {
        "year": year,
        "proposals": proposals,
        "criteria": selectors.criteria_text(proposals.policy),
        "manages": policies.may_manage_year(request.user),
        "failed": failed or {},
    }
    return render(request, "web/years/proposals.html", context, status=status)


@login_required
def proposals_page(request: HttpRequest, year: int) -> HttpResponse:
    """Proposed and not proposed, with reasons; XLSX (?format=xlsx) and PDF (?format=pdf)."""
    _require_proposals_reader(request.user)
    selectors.require_year(year)
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        body = proposals_workbook(selectors.year_proposals(year=year))
        return _file(body, XLSX, f"de-nghi-khen-thuong-{year}.xlsx")
    if wanted == "pdf":
        pdf = proposals_pdf(selectors.year_proposals(year=year))
        return _file(pdf, "application/pdf", f"de-nghi-khen-thuong-{year}.pdf")
    return _proposals_page(request, year)


@login_required
@require_POST
def proposal_decide_page(request: HttpRequest, year: int, unit_id: int) -> HttpResponse:
    """Add, remove or withdraw Internal Affairs' decision on one unit, with a reason."""
    _require_proposals_reader(request.user)
    selectors.require_year(year)
    unit = get_object_or_404(OrgUnit, pk=unit_id)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    by = policies.acting(request.user)
    try:
        if action == "reset":
            services.proposal_reset(by=by, year=year, unit=unit, reason=reason)
        elif action in ("add", "remove"):
            services.proposal_decide(
                by=by, year=year, unit=unit, proposed=action == "add", reason=reason
            )
        else:
            raise DomainError(
                _("Thao tác không hợp lệ."), fields={"action": [_("Hãy chọn một thao tác.")]}
            )
    except DomainError as refused:
        status = form_refusal(refused)
        failed = {"unit": unit.pk, "message": refused.message, "fields": refused.fields}
        failed["reason"] = reason
        return _proposals_page(request, year, status=status, failed=failed)
    messages.success(request, _("Đã ghi quyết định về %(unit)s.") % {"unit": unit.name})
    return redirect(reverse("year-proposals", kwargs={"year": year}) + f"#u-{unit.pk}")

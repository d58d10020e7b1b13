"""/api/v1/ (the REST API), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import (
    dashboard,
    directory,
    exports,
    follow_up,
    history,
    inspections,
    notifications,
    people,
    personal_data,
    photos,
    records,
    rounds,
    tokens,
    unknown,
    years,
)

app_name = "api"

v1: list[URLPattern] = [
    path("auth/token/", people.TokenView.as_view(), name="token"),
    path("auth/tokens/", tokens.TokenListView.as_view(), name="tokens"),
    path("auth/tokens/revoke-all/", tokens.TokensRevokeAllView.as_view(), name="tokens-revoke-all"),
    path("auth/tokens/<pk>/", tokens.TokenDetailView.as_view(), name="token-detail"),
    path("me/", people.MeView.as_view(), name="me"),
    path("me/personal-data.zip", personal_data.PersonalDataView.as_view(), name="personal-data"),
    path("units/", directory.UnitListView.as_view(), name="units"),
    path("groups/", directory.GroupListView.as_view(), name="groups"),
    path("models/", directory.ModelListView.as_view(), name="models"),
    path("models/<pk>/", directory.ModelDetailView.as_view(), name="model"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("rounds/", rounds.RoundListView.as_view(), name="rounds"),
    path("rounds/<pk>/", rounds.RoundDetailView.as_view(), name="round"),
    path("rounds/<pk>/open/", rounds.RoundOpenView.as_view(), name="round-open"),
    path("rounds/<pk>/close/", rounds.RoundCloseView.as_view(), name="round-close"),
    path("rounds/<pk>/pending/", rounds.RoundPendingView.as_view(), name="round-pending"),
    path("rounds/<pk>/publish/", rounds.RoundPublishView.as_view(), name="round-publish"),
    path("rounds/<pk>/ranking/", rounds.RankingView.as_view(), name="round-ranking"),
    path("rounds/<pk>/report.pdf", records.RoundReportView.as_view(), name="round-report"),
    path("years/<year>/results/", years.YearResultsView.as_view(), name="year-results"),
    path("years/<year>/proposals/", years.YearProposalsView.as_view(), name="year-proposals"),
    path("rounds/<pk>/answers/", exports.AnswersExportView.as_view(), name="round-answers"),
    path("rounds/<pk>/evidence.zip", exports.EvidenceArchiveView.as_view(), name="round-evidence"),
    path("assignments/", rounds.AssignmentListView.as_view(), name="assignments"),
    path("inspections/", inspections.InspectionListView.as_view(), name="inspections"),
    path("inspections/<pk>/", inspections.InspectionDetailView.as_view(), name="inspection"),
    path(
        "inspections/<pk>/answers/<str:criterion_code>/",
        inspections.AnswerView.as_view(),
        name="inspection-answer",
    ),
    path("inspections/<pk>/photos/", photos.PhotoUploadView.as_view(), name="inspection-photos"),
    path(
        "inspections/<pk>/photos/<photo_id>/",
        photos.PhotoDeleteView.as_view(),
        name="inspection-photo",
    ),
    path("inspections/<pk>/submit/", inspections.SubmitView.as_view(), name="inspection-submit"),
    path("inspections/<pk>/approve/", inspections.ApproveView.as_view(), name="inspection-approve"),
    path("inspections/<pk>/return/", inspections.ReturnView.as_view(), name="inspection-return"),
    path("inspections/<pk>/revise/", inspections.ReviseView.as_view(), name="inspection-revise"),
    path("inspections/<pk>/score/", inspections.ScoreView.as_view(), name="inspection-score"),
    path("inspections/<pk>/timeline/", history.TimelineView.as_view(), name="inspection-timeline"),
    path("inspections/<pk>/diff/", history.DiffView.as_view(), name="inspection-diff"),
    path("inspections/<pk>/record.pdf", records.RecordPdfView.as_view(), name="inspection-record"),
    path("inspections/<pk>/team/", records.TeamView.as_view(), name="inspection-team"),
    path("inspections/<pk>/members/", records.MembersView.as_view(), name="inspection-members"),
    path(
        "inspections/<pk>/members/<int:user_id>/",
        records.MemberView.as_view(),
        name="inspection-member",
    ),
    path("inspections/<pk>/team-note/", records.TeamNoteView.as_view(), name="inspection-note"),
    path(
        "inspections/<pk>/representatives/",
        records.RepresentativesView.as_view(),
        name="inspection-representatives",
    ),
    path(
        "inspections/<pk>/representatives/<person_id>/",
        records.RepresentativeView.as_view(),
        name="inspection-representative",
    ),
    path(
        "inspections/<pk>/signatures/",
        records.SignaturesView.as_view(),
        name="inspection-signatures",
    ),
    path(
        "photos/<pk>/annotations/",
        photos.PhotoAnnotationsView.as_view(),
        name="photo-annotations",
    ),
    path("photos/<pk>/blur/", photos.PhotoBlurView.as_view(), name="photo-blur"),
    path("photos/<pk>/<variant>/", photos.PhotoFileView.as_view(), name="photo-file"),
    path("actions/", follow_up.ActionListView.as_view(), name="actions"),
    path("actions/<pk>/respond/", follow_up.ActionRespondView.as_view(), name="action-respond"),
    path("actions/<pk>/verify/", follow_up.ActionVerifyView.as_view(), name="action-verify"),
    path("actions/<pk>/reopen/", follow_up.ActionReopenView.as_view(), name="action-reopen"),
    path("commitments/", follow_up.CommitmentListView.as_view(), name="commitments"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "notifications/<pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
]

urlpatterns: list[URLPattern] = [
    *[path(f"v1/{p.pattern}", p.callback, name=str(p.name)) for p in v1],
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    # Last: whatever no route above answers gets the API's JSON 404.
    re_path(r"^.*$", unknown.UnknownAddressView.as_view(), name="unknown"),
]

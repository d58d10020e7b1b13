"""The pages: sign-in, "Việc của tôi", the checklist, its review step and the result."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from web import checklist, commitments, dashboard, office, offline, people, reviews, rounds, views

urlpatterns: list[URLPattern] = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.my_work, name="home"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/manifest.json", offline.offline_manifest, name="offline-manifest"),
    path("phan-cong/<int:pk>/bat-dau/", views.start, name="inspection-start"),
    path("phieu/<uuid:pk>/", checklist.checklist, name="checklist"),
    path("phieu/<uuid:pk>/tra-loi/<str:code>/", checklist.answer, name="answer"),
    path("phieu/<uuid:pk>/anh/<uuid:photo_id>/xoa/", checklist.photo_delete, name="photo-delete"),
    path("phieu/<uuid:pk>/nop/", checklist.review, name="review"),
    path("phieu/<uuid:pk>/ket-qua/", checklist.result, name="result"),
    path("don-vi/", office.unit_home, name="unit-home"),
    path("don-vi/<str:code>/", office.unit_page, name="unit"),
    path(
        "don-vi/<str:code>/khac-phuc/<int:pk>/", office.action_respond, name="unit-action-respond"
    ),
    path("don-vi/<str:code>/tu-danh-gia/", office.self_start, name="unit-self-start"),
    path("dot/", rounds.round_list, name="rounds"),
    path("dot/<int:pk>/", rounds.round_detail, name="round"),
    path("dot/<int:pk>/phan-cong/", rounds.round_assign, name="round-assign"),
    path("dot/<int:pk>/xep-hang/", rounds.ranking, name="round-ranking"),
    path("dot/<int:pk>/<str:step>/", rounds.round_transition, name="round-step"),
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
    path("cam-ket/", commitments.commitments, name="commitments"),
    path("nhap-du-lieu/", people.import_page, name="people-import"),
    path("nhap-du-lieu/mau.xlsx", people.template_file, name="people-template"),
    path("nhap-du-lieu/sap-nhap/", people.retire, name="people-retire"),
    path("duyet/", reviews.queue, name="review-queue"),
    path("duyet/<uuid:pk>/", reviews.inspection_page, name="review-inspection"),
    path("duyet/<uuid:pk>/duyet/", reviews.approve, name="review-approve"),
    path("duyet/<uuid:pk>/tra-lai/", reviews.return_, name="review-return"),
    path("duyet/<uuid:pk>/dieu-chinh/", reviews.revise, name="review-revise"),
]

"""The pages: sign-in, "Việc của tôi", the checklist, its review step and the result."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from web import (
    accounts,
    checklist,
    commitments,
    dashboard,
    office,
    offline,
    people,
    people_pages,
    records,
    reviews,
    rounds,
    team,
    two_factor,
    views,
)

urlpatterns: list[URLPattern] = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", accounts.LogoutView.as_view(), name="logout"),
    path("dang-xuat-moi-noi/", accounts.sign_out_everywhere, name="sign-out-everywhere"),
    path("tai-khoan/", accounts.account, name="account"),
    path("tai-khoan/mat-khau/", accounts.password_page, name="password-change"),
    path("xac-thuc/", two_factor.verify, name="two-factor"),
    path("xac-thuc/dang-ky/", two_factor.enrol, name="two-factor-enrol"),
    path("xac-thuc/ma-du-phong/", two_factor.recovery_renew, name="two-factor-recovery"),
    path("xac-thuc/tat/", two_factor.disable, name="two-factor-disable"),
    path("moi/<str:token>/", accounts.invitation, name="invitation"),
    path("quen-mat-khau/", accounts.password_reset, name="password-reset"),
    path("quen-mat-khau/da-gui/", accounts.password_reset_sent, name="password-reset-sent"),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("dat-lai-mat-khau/xong/", accounts.password_reset_done, name="password-reset-done"),
    path("", views.home, name="home"),
    path("viec-cua-toi/", views.my_work, name="my-work"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("offline/manifest.json", offline.offline_manifest, name="offline-manifest"),
    path("phan-cong/<int:pk>/bat-dau/", views.start, name="inspection-start"),
    path("phieu/<uuid:pk>/", checklist.checklist, name="checklist"),
    path("phieu/<uuid:pk>/tra-loi/<str:code>/", checklist.answer, name="answer"),
    path("phieu/<uuid:pk>/anh/<uuid:photo_id>/xoa/", checklist.photo_delete, name="photo-delete"),
    path("phieu/<uuid:pk>/nop/", checklist.review, name="review"),
    path("phieu/<uuid:pk>/ket-qua/", checklist.result, name="result"),
    path("phieu/<uuid:pk>/bien-ban.pdf", records.record_download, name="record-pdf"),
    path("phieu/<uuid:pk>/doan-kiem-tra/", team.team, name="team"),
    path("phieu/<uuid:pk>/doan-kiem-tra/<str:step>/", team.team_step, name="team-step"),
    path("xac-minh/<str:token>/", records.verify, name="record-verify"),
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
    path("nguoi-dung/", people_pages.people_page, name="people"),
    path("nguoi-dung/them/", people_pages.person_add, name="person-add"),
    path("nguoi-dung/phieu-moi/", people_pages.invitation_sheets, name="invitation-sheets"),
    path("nguoi-dung/<int:pk>/", people_pages.person_page, name="person"),
    path("nguoi-dung/<int:pk>/vai-tro/", people_pages.role_add, name="person-role-add"),
    path(
        "nguoi-dung/<int:pk>/vai-tro/<int:role_id>/thu-hoi/",
        people_pages.role_remove,
        name="person-role-remove",
    ),
    path("nguoi-dung/<int:pk>/<str:step>/", people_pages.person_state, name="person-state"),
    path("duyet/", reviews.queue, name="review-queue"),
    path("duyet/<uuid:pk>/", reviews.inspection_page, name="review-inspection"),
    path("duyet/<uuid:pk>/duyet/", reviews.approve, name="review-approve"),
    path("duyet/<uuid:pk>/tra-lai/", reviews.return_, name="review-return"),
    path("duyet/<uuid:pk>/dieu-chinh/", reviews.revise, name="review-revise"),
]

"""The pages: sign-in, "Việc của tôi", the checklist, its review step and the result."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from web import checklist, views

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
    path("phan-cong/<int:pk>/bat-dau/", views.start, name="inspection-start"),
    path("phieu/<uuid:pk>/", checklist.checklist, name="checklist"),
    path("phieu/<uuid:pk>/tra-loi/<str:code>/", checklist.answer, name="answer"),
    path("phieu/<uuid:pk>/anh/<uuid:photo_id>/xoa/", checklist.photo_delete, name="photo-delete"),
    path("phieu/<uuid:pk>/nop/", checklist.review, name="review"),
    path("phieu/<uuid:pk>/ket-qua/", checklist.result, name="result"),
]

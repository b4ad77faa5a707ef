from __future__ import annotations

from django.urls import path

from checkin import views

app_name = "checkin"

urlpatterns = [
    path("workshops/<int:pk>/check-in/", views.door, name="door"),
    path("workshops/<int:pk>/check-in/present/", views.tick, name="tick"),
    path("workshops/<int:pk>/check-in/absent/", views.untick, name="untick"),
    path("workshops/<int:pk>/check-in/walk-in/", views.walk_in, name="walk-in"),
    path("workshops/<int:pk>/check-in/qr-code/", views.qr_code, name="qr-code"),
    path("workshops/<int:pk>/certificates/", views.certificates, name="certificates"),
    path("workshops/<int:pk>/certificates/all.pdf", views.certificates_pdf, name="all-pdf"),
    path(
        "workshops/<int:pk>/certificates/<int:attendance_pk>.pdf",
        views.certificate_pdf,
        name="certificate-pdf",
    ),
    path(
        "workshops/<int:pk>/certificates/<int:attendance_pk>/send/",
        views.certificate_send,
        name="certificate-send",
    ),
    path("check-in/<str:token>/", views.self_check_in, name="self"),
    path("check-in/<str:token>/thanks/", views.self_thanks, name="self-thanks"),
]

for action in ("confirm", "merge", "reject"):
    urlpatterns.append(
        path(
            f"workshops/<int:pk>/check-in/entries/<int:entry_pk>/{action}/",
            views.decide_entry,
            {"action": action},
            name=f"entry-{action}",
        )
    )

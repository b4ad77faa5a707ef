from __future__ import annotations

from django.urls import path

from workshops import views

app_name = "workshops"


urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("new/", views.edit, name="create"),
    path("<int:pk>/", views.public_page, name="public"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/participants/", views.register, name="register"),
    path(
        "<int:pk>/participants/<int:attendance_pk>/",
        views.attendance_edit,
        name="attendance-edit",
    ),
    path(
        "<int:pk>/participants/<int:attendance_pk>/remove/",
        views.attendance_delete,
        name="attendance-delete",
    ),
    path("<int:pk>/presence/", views.presence, name="presence"),
    path("<int:pk>/sheet/<int:day>/", views.sign_in_sheet, name="sign-in-sheet"),
    path("<int:pk>/import/", views.import_upload, name="import"),
    path("<int:pk>/import/<int:import_pk>/", views.import_preview, name="import-preview"),
    path("<int:pk>/import/<int:import_pk>/report.csv", views.import_report, name="import-report"),
    path("people/", views.people, name="people"),
    path("people/<int:person_pk>/", views.person_edit, name="person-edit"),
    path("people/<int:person_pk>/merge/", views.person_merge, name="person-merge"),
    path("<int:pk>/outcomes/new/", views.outcome_edit, name="outcome-add"),
    path("<int:pk>/outcomes/<int:outcome_pk>/", views.outcome_edit, name="outcome-edit"),
    path(
        "<int:pk>/outcomes/<int:outcome_pk>/delete/",
        views.outcome_delete,
        name="outcome-delete",
    ),
]

# Documents and photos share their pages; the kind is one of two fixed words.
for kind in ("documents", "photos"):
    urlpatterns += [
        path(f"<int:pk>/{kind}/new/", views.file_add, {"kind": kind}, name=f"{kind[:-1]}-add"),
        path(
            f"<int:pk>/{kind}/<int:file_pk>/",
            views.file_download,
            {"kind": kind},
            name=f"{kind[:-1]}-file",
        ),
        path(
            f"<int:pk>/{kind}/<int:file_pk>/delete/",
            views.file_delete,
            {"kind": kind},
            name=f"{kind[:-1]}-delete",
        ),
    ]

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
    # Documents and photos share their pages; "kind" picks the entry of files.FILE_KINDS.
    path("<int:pk>/documents/new/", views.file_add, {"kind": "documents"}, name="document-add"),
    path(
        "<int:pk>/documents/<int:file_pk>/",
        views.file_download,
        {"kind": "documents"},
        name="document-file",
    ),
    path(
        "<int:pk>/documents/<int:file_pk>/delete/",
        views.file_delete,
        {"kind": "documents"},
        name="document-delete",
    ),
    # A person's data rights: everything held on them, and the erasure of their identity.
    path("people/<int:pk>/export/", views.person_export, name="person-export"),
    path("people/<int:pk>/erase/", views.person_erase, name="person-erase"),
    path("<int:pk>/photos/new/", views.file_add, {"kind": "photos"}, name="photo-add"),
    path(
        "<int:pk>/photos/<int:file_pk>/", views.file_download, {"kind": "photos"}, name="photo-file"
    ),
    path(
        "<int:pk>/photos/<int:file_pk>/delete/",
        views.file_delete,
        {"kind": "photos"},
        name="photo-delete",
    ),
]

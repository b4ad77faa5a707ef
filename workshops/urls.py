from __future__ import annotations

from django.urls import path

from workshops.views import attendance, files, imports, people, workshops

app_name = "workshops"


urlpatterns = [
    path("", workshops.workshop_list, name="list"),
    path("new/", workshops.edit, name="create"),
    path("<int:pk>/", workshops.public_page, name="public"),
    path("<int:pk>/manage/", workshops.manage, name="manage"),
    path("<int:pk>/edit/", workshops.edit, name="edit"),
    path("<int:pk>/participants/", attendance.register, name="register"),
    path(
        "<int:pk>/participants/<int:attendance_pk>/",
        attendance.attendance_edit,
        name="attendance-edit",
    ),
    path(
        "<int:pk>/participants/<int:attendance_pk>/remove/",
        attendance.attendance_delete,
        name="attendance-delete",
    ),
    path("<int:pk>/presence/", attendance.presence, name="presence"),
    path("<int:pk>/sheet/<int:day>/", attendance.sign_in_sheet, name="sign-in-sheet"),
    path("<int:pk>/import/", imports.import_upload, name="import"),
    path("<int:pk>/import/<int:import_pk>/", imports.import_preview, name="import-preview"),
    path("<int:pk>/import/<int:import_pk>/report.csv", imports.import_report, name="import-report"),
    path("people/", people.people, name="people"),
    path("people/<int:person_pk>/", people.person_edit, name="person-edit"),
    path("people/<int:person_pk>/merge/", people.person_merge, name="person-merge"),
    path("<int:pk>/outcomes/new/", workshops.outcome_edit, name="outcome-add"),
    path("<int:pk>/outcomes/<int:outcome_pk>/", workshops.outcome_edit, name="outcome-edit"),
    path(
        "<int:pk>/outcomes/<int:outcome_pk>/delete/",
        workshops.outcome_delete,
        name="outcome-delete",
    ),
    # Documents and photos share their pages; "kind" picks the entry of files.FILE_KINDS.
    path("<int:pk>/documents/new/", files.file_add, {"kind": "documents"}, name="document-add"),
    path(
        "<int:pk>/documents/<int:file_pk>/",
        files.file_download,
        {"kind": "documents"},
        name="document-file",
    ),
    path(
        "<int:pk>/documents/<int:file_pk>/delete/",
        files.file_delete,
        {"kind": "documents"},
        name="document-delete",
    ),
    # A person's data rights: everything held on them, and the erasure of their identity.
    path("people/<int:pk>/export/", people.person_export, name="person-export"),
    path("people/<int:pk>/erase/", people.person_erase, name="person-erase"),
    path("<int:pk>/photos/new/", files.file_add, {"kind": "photos"}, name="photo-add"),
    path(
        "<int:pk>/photos/<int:file_pk>/", files.file_download, {"kind": "photos"}, name="photo-file"
    ),
    path(
        "<int:pk>/photos/<int:file_pk>/delete/",
        files.file_delete,
        {"kind": "photos"},
        name="photo-delete",
    ),
]

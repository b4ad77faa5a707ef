from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.set_report, name="set"),
    path("workshops/<int:pk>/", views.workshop_report, name="workshop"),
    # Three exports of each report; file_format is one of three fixed words.
    path("export.xlsx", views.set_export, {"file_format": "xlsx"}, name="set-xlsx"),
    path("figures.csv", views.set_export, {"file_format": "figures.csv"}, name="set-figures-csv"),
    path("list.csv", views.set_export, {"file_format": "list.csv"}, name="set-list-csv"),
    path(
        "workshops/<int:pk>/export.xlsx",
        views.workshop_export,
        {"file_format": "xlsx"},
        name="workshop-xlsx",
    ),
    path(
        "workshops/<int:pk>/figures.csv",
        views.workshop_export,
        {"file_format": "figures.csv"},
        name="workshop-figures-csv",
    ),
    path(
        "workshops/<int:pk>/list.csv",
        views.workshop_export,
        {"file_format": "list.csv"},
        name="workshop-list-csv",
    ),
    # An XLSX too large for a request, written in the background for its author.
    path("exports/<int:pk>/", views.export_job, name="export-job"),
    path("exports/<int:pk>/file.xlsx", views.export_job_file, name="export-job-file"),
]

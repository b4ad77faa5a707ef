from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.set_report, name="set"),
    path("workshops/<int:pk>/", views.workshop_report, name="workshop"),
]

# Three exports of each report; the format is one of three fixed words.
for file_format in views.FORMATS:
    urlpatterns += [
        path(
            f"export.{file_format}" if file_format == "xlsx" else file_format,
            views.set_export,
            {"file_format": file_format},
            name=f"set-{file_format.replace('.', '-')}",
        ),
        path(
            f"workshops/<int:pk>/export.{file_format}"
            if file_format == "xlsx"
            else f"workshops/<int:pk>/{file_format}",
            views.workshop_export,
            {"file_format": file_format},
            name=f"workshop-{file_format.replace('.', '-')}",
        ),
    ]

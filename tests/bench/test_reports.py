from __future__ import annotations

import pytest

from bench import reports


@pytest.mark.django_db
def test_the_report_measurement_reads_the_pages_and_exports_at_each_size(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ACRSS_REQUIRE_MFA = False
    lines = []

    reports.run("200", people=150, write=lines.append)

    assert lines[0].startswith("database: ")
    assert "200 attendances: set page" in lines[1]
    assert [line.split()[0] for line in lines[2:]] == ["export.xlsx", "list.csv"]

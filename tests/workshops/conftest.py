from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage

from workshops.models import WorkshopDocument, WorkshopPhoto


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path, monkeypatch):
    """Uploaded files of a test land in its own folder, never in the real media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for model in (WorkshopDocument, WorkshopPhoto):
        field = model._meta.get_field("file")
        monkeypatch.setattr(field, "storage", FileSystemStorage(location=settings.MEDIA_ROOT))
    return settings.MEDIA_ROOT

"""The workshop pages keep DESIGN's budgets with the demo's founding workshop."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.test_budgets import ASSET, HTML_BUDGET, PAGE_BUDGET, compressed_size
from workshops import demo
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def founding(admin_user):
    demo.load()
    return Workshop.objects.get(title=demo.FOUNDING_TITLE)


def page_weight(client, url: str) -> tuple[int, int]:
    """(HTML bytes, compressed bytes of the page, its static files and its photos,
    which a view serves from private storage)."""
    html = client.get(url).content
    total = compressed_size(html)
    for asset in ASSET.findall(html.decode()):
        if asset.startswith("/static/"):
            with open(finders.find(asset.removeprefix("/static/")), "rb") as file:
                total += compressed_size(file.read())
        else:
            total += compressed_size(b"".join(client.get(asset).streaming_content))
    return len(html), total


@pytest.mark.parametrize(
    "name", ["workshops:public", "workshops:manage", "workshops:presence", "workshops:register"]
)
def test_workshop_pages_fit_the_budget(client, secretariat, founding, name):
    client.force_login(secretariat)
    html_bytes, total = page_weight(client, reverse(name, args=[founding.pk]))
    assert html_bytes <= HTML_BUDGET
    assert total <= PAGE_BUDGET


def test_the_demo_loads_once_with_the_founding_workshop(admin_user):
    first = demo.load()
    demo.load()
    founding = Workshop.objects.get(title=demo.FOUNDING_TITLE)
    people = [attendance.person for attendance in founding.attendances.select_related("person")]
    assert Workshop.objects.count() == 4
    assert len(people) == 30
    assert 8 <= sum(person.sex == "F" for person in people) <= 12
    assert 8 <= sum(bool(person.is_youth_on(founding.start_date)) for person in people) <= 12
    assert founding.photos.get().credit == "FES ©"
    assert founding.documents.get().file.read(5) == b"%PDF-"
    assert Workshop.objects.held().count() == 4
    assert "30 at the founding workshop" in first

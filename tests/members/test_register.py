"""One register: an organisation exists once, whatever the spelling."""

from __future__ import annotations

import pytest

from members.models import Organisation
from members.services import DuplicateOrganisation, register_organisation
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("association malienne pour la paix et la securite", ""),
        ("ASSOCIATION MALIENNE POUR LA PAIX ET LA SÉCURITÉ", ""),
        ("Association  Malienne-pour la Paix, et la Sécurité.", ""),
        ("Une autre organisation", "a.m.p.s"),
        ("AMPS", ""),
    ],
)
def test_a_second_copy_is_refused_and_names_the_first(name, acronym):
    make_organisation(name="Association Malienne pour la Paix et la Sécurité", acronym="AMPS")
    with pytest.raises(DuplicateOrganisation, match="Association Malienne pour la Paix"):
        register_organisation(by=None, name=name, acronym=acronym, kind="association")
    assert Organisation.objects.count() == 1


def test_organisations_without_acronyms_do_not_collide():
    make_organisation(name="Radio Kayes", acronym="")
    make_organisation(name="Radio Ségou", acronym="")
    assert Organisation.objects.count() == 2


def test_the_database_refuses_an_unknown_kind():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="X", name_key="x", kind="company")

"""The report tests' data: a small hand-counted set of workshops (see ``example``),
funded by the cast's two funders (`fes`, `dcaf` in tests/conftest.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from members.models import MembershipStatus, OrganisationKind
from tests.workshops.factories import (
    make_attendance,
    make_organisation,
    make_person,
    make_workshop,
)
from workshops.models import Project, Workshop, WorkshopStatus

JAN_26, JAN_27 = datetime.date(2022, 1, 26), datetime.date(2022, 1, 27)
MAR_28 = datetime.date(2023, 3, 28)


@dataclass
class Example:
    founding: Workshop
    training: Workshop
    dcaf_training: Workshop
    planned: Workshop
    project: Project


@pytest.fixture
def example(fes, dcaf) -> Example:
    """Counted by hand in test_figures.py.

    Founding workshop (26-27 Jan 2022, project "Sécurité pour tous", women target
    30 %, youth target 70 %): Awa (F, born 1987: 35, young), Moussa (M, born 1986:
    36; present the first day only), Sidy (sex unknown, born 2000), Fatou (F, no
    year of birth, speaker). FES training (28 Mar 2023, funded directly): Awa again
    (now 36) and Ibrahim (M, born 1990: 33, press). A DCAF training and a planned
    FES workshop are never counted in FES's figures.
    """
    member = make_organisation(
        "Association Malienne pour la Paix",
        "AMP",
        membership_status=MembershipStatus.MEMBER,
        ccsc_purn_member=True,
    )
    coalition = make_organisation("Collectif Sahel", "CS", ccsc_purn_member=True)
    ministry = make_organisation("Ministère de la Sécurité", "MS", kind=OrganisationKind.PUBLIC)
    radio = make_organisation("Radio Kayira", "RK", kind=OrganisationKind.MEDIA)
    project = Project.objects.create(
        name="Sécurité pour tous", women_target_percent=30, youth_target_percent=70
    )
    project.funders.set([fes])
    held = WorkshopStatus.HELD
    founding = make_workshop(
        "Atelier national de création de l'AC-RSS",
        start_date=JAN_26,
        end_date=JAN_27,
        project=project,
        region="bamako",
        status=held,
    )
    training = make_workshop(
        "Formation des formateurs",
        start_date=MAR_28,
        end_date=MAR_28,
        status=held,
        kind="formation",
    )
    training.funders.set([fes])
    dcaf_training = make_workshop("Formation DCAF", start_date=MAR_28, status=held)
    dcaf_training.funders.set([dcaf])
    planned = make_workshop("Atelier à venir", start_date=datetime.date(2027, 1, 5))
    planned.funders.set([fes])

    awa = make_person("Awa Traoré", sex="F", birth_year=1987, organisation=member, region="bamako",
                      phone="+22376000001", email="awa@example.org")  # fmt: skip
    moussa = make_person("Moussa Diarra", sex="M", birth_year=1986, organisation=coalition,
                         region="segou")  # fmt: skip
    sidy = make_person("Sidy Keïta", sex="U", birth_year=2000)
    fatou = make_person("Fatou Maïga", sex="F", organisation=ministry, region="bamako")
    ibrahim = make_person("Ibrahim Cissé", sex="M", birth_year=1990, organisation=radio,
                          region="mopti")  # fmt: skip
    fanta = make_person("Fanta Sow", sex="F", birth_year=1960)

    make_attendance(founding, awa, JAN_26, JAN_27)
    make_attendance(founding, moussa, JAN_26)
    make_attendance(founding, sidy, JAN_26, JAN_27)
    make_attendance(founding, fatou, JAN_26, JAN_27, role="speaker")
    make_attendance(training, awa, MAR_28)
    make_attendance(training, ibrahim, MAR_28, role="press")
    make_attendance(dcaf_training, fanta, MAR_28)
    return Example(founding, training, dcaf_training, planned, project)

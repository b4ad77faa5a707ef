"""Demo workshops with invented attendees: only ever loaded in a demo database.

Every person here is invented; organisations are plausible but invented too,
except the two funders named by the alliance's own story (EU, FES).
"""

from __future__ import annotations

import datetime
import struct
import zlib

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from common.text import person_name_key
from members.models import Organisation, OrganisationKind, Region
from members.services import register_organisation
from workshops.models import (
    AttendanceRole,
    Horizon,
    OutcomeKind,
    OutcomeStatus,
    Person,
    Project,
    Sex,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)
from workshops.services.attendance import record_presence, register_attendance
from workshops.services.files import add_file
from workshops.services.workshops import add_outcome, create_workshop

FOUNDING_TITLE = "Atelier national de création de l'AC-RSS"

ORGANISATIONS = [
    ("Association Malienne pour la Paix et la Sécurité Citoyenne", "AMPSC", "association"),
    ("Réseau des Femmes pour la Sécurité Humaine", "REFSH", "women"),
    ("Conseil des Jeunes Engagés du Mali", "CJEM", "youth"),
    ("Observatoire Citoyen de la Gouvernance Sécuritaire", "OCGS", "research"),
    ("Plateforme des OSC du Centre pour la Cohésion Sociale", "POCCS", "network"),
    ("Association des Juristes pour les Droits Humains", "AJDH", "association"),
    ("Radio Communautaire Kayira Démo", "RCKD", "media"),
    ("Collectif Sahel Paix et Développement", "CSPD", "ngo"),
]
FIRST_F = ["Aminata", "Fatoumata", "Mariam", "Kadiatou", "Oumou", "Awa", "Rokia", "Djeneba",
           "Assitan", "Hawa", "Salimata", "Nana"]  # fmt: skip
FIRST_M = ["Moussa", "Oumar", "Ibrahim", "Bakary", "Seydou", "Mamadou", "Boubacar", "Souleymane",
           "Adama", "Modibo", "Issa", "Cheick", "Abdoulaye", "Youssouf", "Lassana", "Drissa",
           "Hamidou", "Sidiki"]  # fmt: skip
SURNAMES = ["Traoré", "Coulibaly", "Diarra", "Keïta", "Konaté", "Sangaré", "Maïga", "Touré",
            "Dembélé", "Diallo", "Sidibé", "Cissé", "Koné", "Sissoko", "Doumbia", "Kanté",
            "Ballo", "Samaké", "Guindo", "Togola"]  # fmt: skip
POSITIONS = ["Président", "Présidente", "Secrétaire général", "Chargée de programme",
             "Coordinateur", "Trésorière", "Membre", "Chargé de communication"]  # fmt: skip
REGIONS = [Region.BAMAKO, Region.BAMAKO, Region.KOULIKORO, Region.SEGOU, Region.MOPTI,
           Region.SIKASSO, Region.KAYES, Region.GAO, Region.TOMBOUCTOU]  # fmt: skip


def invented_people(count: int, *, offset: int) -> list[dict]:
    """Deterministic invented attendees: about a third women, a third young, some unknowns."""
    people = []
    for n in range(offset, offset + count):
        woman = n % 3 == 0
        first = (FIRST_F if woman else FIRST_M)[n % (len(FIRST_F) if woman else len(FIRST_M))]
        surname = SURNAMES[(n * 7) % len(SURNAMES)]
        sex = Sex.UNKNOWN if n % 10 == 7 else Sex.FEMALE if woman else Sex.MALE
        if n % 11 == 5:
            birth_year = None
        elif n % 9 in (1, 3, 5):  # some young women among the young
            birth_year = 1989 + n % 8  # 35 or younger in 2022
        else:
            birth_year = 1958 + (n * 5) % 28
        people.append(
            {
                "full_name": f"{first} {surname}",
                "sex": sex,
                "birth_year": birth_year,
                "phone": f"+2237{(n * 7919) % 10_000_000:07d}",
                "email": f"{first}.{n}@example.org".lower() if n % 4 == 0 else "",
                "position": POSITIONS[n % len(POSITIONS)],
                "region": REGIONS[n % len(REGIONS)],
                "organisation_index": n % len(ORGANISATIONS),
            }
        )
    return people


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF with a line of text, written by hand (no PDF library needed)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 16 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def tiny_png(width: int = 240, height: int = 120) -> bytes:
    """A generated picture (green, gold and red bands): a stand-in, not a real photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    bands = [(11, 110, 79), (252, 209, 22), (179, 0, 27)]
    row = b"\x00" + b"".join(bytes(bands[min(x * 3 // width, 2)]) for x in range(width))
    rows = row * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def partner(name: str, acronym: str, *, by) -> Organisation:
    return Organisation.objects.matching(name).first() or register_organisation(
        by=by, name=name, acronym=acronym, kind=OrganisationKind.PARTNER
    )


def person_for(data: dict, organisations: list[Organisation]) -> Person:
    existing = Person.objects.filter(phone=data["phone"]).first()
    if existing:
        return existing
    fields = {k: v for k, v in data.items() if k != "organisation_index"}
    return Person.objects.create(
        name_key=person_name_key(data["full_name"]),
        organisation=organisations[data["organisation_index"]],
        consent_recorded=True,
        **fields,
    )


def add_event(*, by, title, people, organisations, present_all_days=True, **fields) -> Workshop:
    funders = fields.pop("funders", [])
    workshop = create_workshop(by=by, title=title, funders=funders, **fields)
    days = workshop.days
    present = set()
    for n, data in enumerate(people):
        person = person_for(data, organisations)
        role = AttendanceRole.PARTICIPANT
        if n == 0:
            role = AttendanceRole.ORGANISER
        elif n in (1, 2):
            role = AttendanceRole.FACILITATOR if n == 1 else AttendanceRole.SPEAKER
        elif n == len(people) - 1:
            role = AttendanceRole.PRESS
        attendance = register_attendance(workshop, person, by=by, role=role)
        # Some come for one day only.
        days_present = days if present_all_days and n % 6 != 4 else days[:1]
        present |= {(attendance.pk, day) for day in days_present}
    record_presence(workshop, by=by, present=present)
    return workshop


FOUNDING_OUTCOMES = [
    (OutcomeKind.DECISION, "L'Alliance Citoyenne pour la Réforme du Secteur de la Sécurité "
     "(AC-RSS) est créée.", "", ""),
    (OutcomeKind.DECISION, "Objectif général : promouvoir la participation de la société "
     "civile au processus de gouvernance et de réforme du secteur de la sécurité (G/RSS) "
     "au Mali.", "", ""),
    (OutcomeKind.DECISION, "Un comité de pilotage de dix membres est mis en place, dont au moins "
     "trois femmes et deux jeunes.", "", ""),
    (OutcomeKind.PRIORITY, "Renforcer les capacités des OSC membres sur la G/RSS.", "", ""),
    (OutcomeKind.PRIORITY, "Assurer la participation des femmes et des jeunes.", "", ""),
    (OutcomeKind.PRIORITY, "Dialoguer avec les forces de défense et de sécurité et les "
     "institutions.", "", ""),
    (OutcomeKind.ACTION_LINE, "Adopter les statuts et le règlement intérieur de l'alliance.",
     Horizon.SHORT, "Comité de pilotage"),
    (OutcomeKind.ACTION_LINE, "Publier une note de position de la société civile sur la RSS.",
     Horizon.SHORT, "Secrétariat"),
    (OutcomeKind.ACTION_LINE, "Organiser un forum national de la société civile sur la RSS.",
     Horizon.MEDIUM, "Comité de pilotage, avec la FES"),
    (OutcomeKind.ACTION_LINE, "Étendre l'alliance à toutes les régions du Mali.",
     Horizon.LONG, "Comité de pilotage"),
    (OutcomeKind.RECOMMENDATION, "Associer les OSC aux mécanismes de contrôle citoyen du secteur "
     "de la sécurité.", "", ""),
]  # fmt: skip


@transaction.atomic
def load() -> str:
    """Create the demo events once; return a one-line summary."""
    if Workshop.objects.filter(title=FOUNDING_TITLE).exists():
        return f"Demo workshops already loaded ({Workshop.objects.count()} workshops)."
    by = User.objects.filter(is_superuser=True).order_by("pk").first()
    eu = partner("Union européenne", "UE", by=by)
    fes = partner("Friedrich-Ebert-Stiftung", "FES", by=by)
    dcaf = partner("Centre pour la gouvernance du secteur de la sécurité, Genève", "DCAF", by=by)
    organisations = []
    for name, acronym, kind in ORGANISATIONS:
        organisations.append(
            Organisation.objects.matching(name).first()
            or register_organisation(by=by, name=name, acronym=acronym, kind=kind)
        )
    project = Project.objects.filter(name="Sécurité pour tous").first()
    if project is None:
        project = Project.objects.create(
            name="Sécurité pour tous",
            start_date=datetime.date(2021, 7, 1),
            end_date=datetime.date(2024, 6, 30),
            women_target_percent=30,
            youth_target_percent=30,
        )
        project.funders.set([eu, fes])

    people = invented_people(44, offset=0)
    founding = add_event(
        by=by,
        title=FOUNDING_TITLE,
        people=people[:30],
        organisations=organisations,
        kind=WorkshopKind.ATELIER,
        start_date=datetime.date(2022, 1, 26),
        end_date=datetime.date(2022, 1, 27),
        venue="Hôtel de l'Amitié",
        city="Bamako",
        region=Region.BAMAKO,
        project=project,
        objectives="Créer une alliance des OSC maliennes pour la réforme du secteur de la "
        "sécurité, fixer son objectif général, ses priorités et ses axes d'action, et mettre "
        "en place son comité de pilotage.",
        summary="Une trentaine de représentantes et représentants d'OSC, membres et non "
        "membres de la CCSC-PURN, ont fondé l'AC-RSS dans le cadre du projet régional "
        "« Sécurité pour tous ».",
        is_public=True,
        status=WorkshopStatus.HELD,
    )
    for order, (kind, text, horizon, responsible) in enumerate(FOUNDING_OUTCOMES, start=1):
        add_outcome(
            founding,
            by=by,
            kind=kind,
            text=text,
            horizon=horizon,
            responsible=responsible,
            status=(OutcomeStatus.DONE if order == 7 else OutcomeStatus.PLANNED) if horizon else "",
            order=order,
        )
    add_file(
        founding,
        kind="documents",
        by=by,
        file=ContentFile(tiny_pdf("Note de position de la societe civile sur la RSS")),
        content_type="application/pdf",
        title="Note de position de la société civile sur la RSS",
        is_public=True,
    )
    add_file(
        founding,
        kind="photos",
        by=by,
        file=ContentFile(tiny_png()),
        content_type="image/png",
        caption="Photo de famille",
        credit="FES ©",
        is_public=True,
    )
    # Later events: some founders come back, new people join.
    add_event(
        by=by,
        title="Assemblée générale de validation des statuts",
        people=people[0:12] + people[30:36],
        organisations=organisations,
        kind=WorkshopKind.GENERAL_ASSEMBLY,
        start_date=datetime.date(2022, 6, 18),
        end_date=datetime.date(2022, 6, 18),
        venue="Maison de la presse",
        city="Bamako",
        region=Region.BAMAKO,
        project=project,
        summary="L'assemblée générale a validé les statuts et le règlement intérieur.",
        is_public=True,
        status=WorkshopStatus.HELD,
    )
    add_event(
        by=by,
        title="Forum national de la société civile sur la RSS",
        people=people[5:20] + people[30:44],
        organisations=organisations,
        kind=WorkshopKind.FORUM,
        start_date=datetime.date(2022, 11, 22),
        end_date=datetime.date(2022, 11, 23),
        venue="Centre international de conférences",
        city="Bamako",
        region=Region.BAMAKO,
        project=project,
        funders=[fes],
        summary="Forum national organisé avec la FES sur la place de la société civile dans "
        "la réforme du secteur de la sécurité.",
        is_public=True,
        status=WorkshopStatus.HELD,
    )
    add_event(
        by=by,
        title="Renforcement des capacités sur la gouvernance du secteur de la sécurité",
        people=people[10:22] + invented_people(6, offset=44),
        organisations=organisations,
        kind=WorkshopKind.FORMATION,
        start_date=datetime.date(2023, 3, 28),
        end_date=datetime.date(2023, 3, 30),
        venue="Salle de formation du DCAF",
        city="Bamako",
        region=Region.BAMAKO,
        funders=[dcaf],
        summary="Trois jours de formation avec le DCAF.",
        is_public=True,
        status=WorkshopStatus.HELD,
    )
    return (
        f"Demo workshops: {Workshop.objects.count()} events, {Person.objects.count()} invented "
        f"people, {founding.attendances.count()} at the founding workshop."
    )

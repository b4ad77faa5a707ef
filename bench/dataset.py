"""The benchmark's data set: an alliance a few years on, built the same way every time.

Every value comes from one seeded random generator, so two builds of the same
size hold the same rows (only the creation timestamps differ). Rows are written
with `bulk_create` in large batches: the large size takes well under a minute.
"""

from __future__ import annotations

import datetime
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from accounts.services import set_roles
from bench.pages import (
    COMMITTEE,
    NEWCOMER,
    PARTNER,
    PASSWORD,
    REPRESENTATIVE,
    SECRETARIAT,
    TOTP_SECRET,
)
from common.text import match_key, person_name_key
from members.models import (
    Application,
    ApplicationStatus,
    Organisation,
    OrganisationKind,
    Representative,
    Theme,
    Vote,
    VoteChoice,
)
from workshops.models import (
    Attendance,
    AttendanceRole,
    Horizon,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    Person,
    Presence,
    Project,
    Sex,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)
from workshops.summaries import rebuild_summaries, uninstall_summaries


@dataclass(frozen=True)
class Size:
    organisations: int
    workshops: int
    people: int
    attendances: int
    # Participants of the one workshop whose management page and report are measured.
    big_workshop: int


LARGE = Size(
    organisations=2_000,
    workshops=300,
    people=20_000,
    # BENCH_ATTENDANCES measures at another size (1,000,000: ten times as many).
    attendances=int(os.environ.get("BENCH_ATTENDANCES", "100000")),
    big_workshop=300,
)
SMALL = Size(organisations=40, workshops=6, people=400, attendances=1_000, big_workshop=30)

SEED = 20220126
BATCH = 5_000
BIG_WORKSHOP_TITLE = "Forum national de la société civile sur la réforme du secteur de la sécurité"
FIRST_DAY = datetime.date(2022, 1, 26)
LAST_HELD_DAY = datetime.date(2026, 10, 31)

# Shares drawn from the alliance's sign-in sheets: more men than women, some
# sex or age unknown, Bamako first.
SEXES = {Sex.MALE: 55, Sex.FEMALE: 38, Sex.UNKNOWN: 7}
UNKNOWN_BIRTH_YEAR = 0.15
REGIONS = {
    "bamako": 38, "koulikoro": 7, "sikasso": 7, "segou": 7, "mopti": 6, "kayes": 6,
    "tombouctou": 3, "gao": 3, "kidal": 1, "taoudenit": 1, "menaka": 1, "nioro": 2,
    "kita": 2, "dioila": 2, "nara": 1, "bougouni": 3, "koutiala": 3, "san": 2,
    "douentza": 1, "bandiagara": 2, "": 4,
}  # fmt: skip
ROLES = {
    AttendanceRole.PARTICIPANT: 82, AttendanceRole.FACILITATOR: 4, AttendanceRole.SPEAKER: 5,
    AttendanceRole.ORGANISER: 4, AttendanceRole.OFFICIAL_GUEST: 3, AttendanceRole.PRESS: 2,
}  # fmt: skip
KINDS = {
    OrganisationKind.ASSOCIATION: 34, OrganisationKind.NGO: 20, OrganisationKind.WOMEN: 8,
    OrganisationKind.YOUTH: 8, OrganisationKind.NETWORK: 4, OrganisationKind.COOPERATIVE: 3,
    OrganisationKind.UNION: 2, OrganisationKind.FAITH: 4, OrganisationKind.RESEARCH: 2,
    OrganisationKind.MEDIA: 4, OrganisationKind.PUBLIC: 6, OrganisationKind.OTHER: 4,
}  # fmt: skip
WORKSHOP_KINDS = {
    WorkshopKind.ATELIER: (50, 1.0), WorkshopKind.FORMATION: (20, 0.6),
    WorkshopKind.FORUM: (10, 3.0), WorkshopKind.MEETING: (12, 0.4),
    WorkshopKind.CONFERENCE: (5, 2.0), WorkshopKind.GENERAL_ASSEMBLY: (3, 2.5),
}  # fmt: skip
PREFIXES = {
    "association": "Association", "ngo": "ONG", "women": "Groupement des femmes",
    "youth": "Association des jeunes", "network": "Réseau", "cooperative": "Coopérative",
    "union": "Syndicat", "faith": "Communauté", "research": "Centre d'études",
    "media": "Radio", "public": "Direction régionale", "other": "Collectif",
}  # fmt: skip
TOPICS = [
    "pour la paix", "pour la sécurité humaine", "pour la citoyenneté", "pour le développement",
    "des droits humains", "pour la bonne gouvernance", "pour la cohésion sociale",
    "pour la justice", "de veille citoyenne", "pour la réconciliation",
]  # fmt: skip
TOWNS = ["Bamako", "Kati", "Ségou", "Sikasso", "Mopti", "Kayes", "Gao", "Tombouctou",
         "Koutiala", "San", "Bougouni", "Kita", "Nioro", "Douentza", "Bandiagara", "Ménaka",
         "Kidal"]  # fmt: skip
FIRST_F = ["Aminata", "Fatoumata", "Mariam", "Kadiatou", "Awa", "Oumou", "Hawa", "Djeneba",
           "Assitan", "Rokia", "Salimata", "Aïssata", "Bintou", "Korotoumou", "Safiatou", "Nana",
           "Ramata", "Fanta", "Maïmouna", "Adiaratou"]  # fmt: skip
FIRST_M = ["Moussa", "Mamadou", "Ibrahim", "Boubacar", "Oumar", "Seydou", "Modibo", "Souleymane",
           "Amadou", "Bakary", "Cheick", "Drissa", "Abdoulaye", "Sidiki", "Yacouba", "Lassana",
           "Issa", "Hamidou", "Adama", "Mahamane"]  # fmt: skip
LAST = ["Traoré", "Diarra", "Coulibaly", "Keïta", "Konaté", "Sangaré", "Touré", "Cissé", "Diallo",
        "Sidibé", "Dembélé", "Maïga", "Sissoko", "Camara", "Kanté", "Doumbia", "Bah", "Sow",
        "Ballo", "Dicko", "Guindo", "Togo", "Koné", "Fofana", "Samaké", "Tangara", "Haïdara",
        "Ag Mohamed", "Cissoko", "Diakité"]  # fmt: skip
POSITIONS = ["Président", "Présidente", "Secrétaire général", "Chargé de programme",
             "Coordinatrice", "Membre", "Trésorier", "Animatrice", "Directeur",
             "Juriste"]  # fmt: skip
PARTNERS = [
    ("Friedrich-Ebert-Stiftung", "FES"),
    ("Centre pour la gouvernance du secteur de la sécurité, Genève", "DCAF"),
    ("Délégation de l'Union européenne au Mali", "UE"),
    ("ONU Femmes Mali", "ONU Femmes"),
    ("Deutsche Gesellschaft für Internationale Zusammenarbeit", "GIZ"),
    ("Ambassade du Royaume des Pays-Bas", "NL"),
    ("Open Society Initiative for West Africa", "OSIWA"),
    ("Programme des Nations unies pour le développement", "PNUD"),
]
PROJECTS = [
    ("Sécurité pour tous", ["FES", "UE"], 30, 30),
    ("Gouvernance démocratique du secteur de la sécurité", ["DCAF"], None, None),
    ("Femmes, paix et sécurité", ["ONU Femmes"], 50, None),
    ("Jeunes et sécurité", ["GIZ"], None, 40),
    ("Dialogue civilo-militaire", ["NL"], 30, None),
]


def pick(rng: random.Random, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def kept_unique(text: str, taken: set[str], n: int) -> str:
    """The text, or the text and a number when its match key is taken."""
    if match_key(text) in taken:
        text = f"{text} {n}"
    taken.add(match_key(text))
    return text


def make_organisations(rng: random.Random, size: Size) -> list[Organisation]:
    names, acronyms, rows = set(), set(), []
    for name, acronym in PARTNERS:
        names.add(match_key(name))
        acronyms.add(match_key(acronym))
        rows.append(
            Organisation(
                name=name,
                acronym=acronym,
                name_key=match_key(name),
                acronym_key=match_key(acronym),
                kind=OrganisationKind.PARTNER,
                region="bamako",
                locality="Bamako",
            )
        )
    kinds = pick(rng, KINDS, size.organisations - len(PARTNERS))
    regions = pick(rng, REGIONS, len(kinds))
    for n, (kind, region) in enumerate(zip(kinds, regions, strict=True), start=1):
        town = rng.choice(TOWNS)
        name = kept_unique(f"{PREFIXES[kind]} {rng.choice(TOPICS)} de {town}", names, n)
        initials = "".join(word[0] for word in name.split() if len(word) > 3).upper()
        acronym = kept_unique(initials[:8], acronyms, n) if rng.random() < 0.8 else ""
        rows.append(
            Organisation(
                name=name,
                acronym=acronym,
                name_key=match_key(name),
                acronym_key=match_key(acronym),
                kind=kind,
                region=region,
                locality=town,
                phone=f"+2237{rng.randrange(10**7):07d}" if rng.random() < 0.7 else "",
                email=f"contact{n}@osc.example.org" if rng.random() < 0.5 else "",
                registration_number=f"{rng.randrange(100, 999)}/G-DB",
                founding_year=rng.randint(1991, 2022),
                ccsc_purn_member=rng.random() < 0.15,
                description="Organisation de la société civile malienne engagée "
                f"{rng.choice(TOPICS)} dans la région.",
            )
        )
    return Organisation.objects.bulk_create(rows, batch_size=BATCH)


def apply_memberships(
    rng: random.Random, organisations: Sequence[Organisation], committee: Sequence[User]
) -> None:
    """Members, suspended and withdrawn ones, the committee's queue with its votes,
    returned applications, drafts and rejections, each with a representative."""
    civil = [o for o in organisations if o.kind not in ("partner", "public")]
    rng.shuffle(civil)
    total = len(organisations)
    shares = [
        ("member", 0.25), ("suspended", 0.01), ("withdrawn", 0.01), ("submitted", 0.06),
        ("resubmitted", 0.015), ("more-information", 0.015), ("draft", 0.03), ("rejected", 0.02),
    ]  # fmt: skip
    applications, changed, start = [], [], 0
    decided = datetime.datetime(2024, 6, 1, 10, tzinfo=datetime.UTC)
    recent = datetime.datetime(2026, 11, 1, 10, tzinfo=datetime.UTC)
    for state, share in shares:
        group = civil[start : start + max(1, round(total * share))]
        start += len(group)
        for organisation in group:
            submitted = recent - datetime.timedelta(
                days=rng.randrange(120), hours=rng.randrange(24)
            )
            if state in ("member", "suspended", "withdrawn"):
                organisation.membership_status = state
                organisation.member_since = datetime.date(2022, 3, 1) + datetime.timedelta(
                    days=rng.randrange(1000)
                )
                organisation.listed_in_directory = rng.random() < 0.8
                changed.append(organisation)
                status, decided_at = ApplicationStatus.APPROVED, decided
            elif state == "rejected":
                status, decided_at = ApplicationStatus.REJECTED, decided
            else:
                status, decided_at = state, None
            applications.append(
                Application(
                    organisation=organisation,
                    status=status,
                    submitted_at=None if state == "draft" else submitted,
                    decided_at=decided_at,
                    information_request="Merci de joindre le récépissé."
                    if state in ("more-information", "resubmitted")
                    else "",
                    decision_reason="Dossier incomplet." if state == "rejected" else "",
                )
            )
    Organisation.objects.bulk_update(
        changed, ["membership_status", "member_since", "listed_in_directory"], batch_size=BATCH
    )
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)
    votes = []
    for application in applications:
        if application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED):
            for voter in rng.sample(list(committee), rng.randint(0, 4)):
                choice = pick(rng, {"approve": 70, "reject": 10, "abstain": 20}, 1)[0]
                votes.append(Vote(application=application, voter=voter, choice=VoteChoice(choice)))
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    representatives = make_users(
        [f"representative{a.organisation_id}@osc.example.org" for a in applications]
    )
    Representative.objects.bulk_create(
        [
            Representative(organisation=a.organisation, user=user)
            for a, user in zip(applications, representatives, strict=True)
        ],
        batch_size=BATCH,
    )


def make_users(emails: Sequence[str]) -> list[User]:
    """Accounts with one password and a confirmed address (hashed once: hashing is slow)."""
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(email=email, password=password) for email in emails], batch_size=BATCH
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )
    return users


def make_staff(fes: Organisation) -> list[User]:
    """The accounts the benchmark signs in with, each with its second factor, and
    the rest of the steering committee."""
    emails = [SECRETARIAT, PARTNER, COMMITTEE] + [f"committee{n}@example.org" for n in range(2, 10)]
    users = make_users(emails)
    for user in users:
        if user.email == PARTNER:
            set_roles(user, roles=["partner"], partner_organisation=fes, by=None)
        else:
            roles = ["secretariat"] if user.email == SECRETARIAT else ["committee"]
            set_roles(user, roles=roles, by=None)
        TOTP.activate(user, TOTP_SECRET)
    make_users([REPRESENTATIVE, NEWCOMER])
    return users[2:]


def make_people(
    rng: random.Random, size: Size, organisations: Sequence[Organisation]
) -> list[Person]:
    # A few organisations send most participants: weights fall with rank.
    senders = [o for o in organisations if o.kind != "partner"]
    weights = [1 / (rank + 10) for rank in range(len(senders))]
    sexes = pick(rng, SEXES, size.people)
    regions = pick(rng, REGIONS, size.people)
    employers = rng.choices(senders, weights=weights, k=size.people)
    rows = []
    for n in range(size.people):
        sex = sexes[n]
        first = rng.choice(FIRST_F if sex == Sex.FEMALE else FIRST_M if sex == Sex.MALE else
                           FIRST_F + FIRST_M)  # fmt: skip
        name = f"{first} {rng.choice(LAST)}"
        age = round(rng.triangular(18, 72, 30))
        rows.append(
            Person(
                full_name=name,
                name_key=person_name_key(name),
                sex=sex,
                birth_year=None if rng.random() < UNKNOWN_BIRTH_YEAR else 2024 - age,
                phone=f"+2237{rng.randrange(10**7):07d}" if rng.random() < 0.75 else "",
                email=f"personne{n}@example.org" if rng.random() < 0.25 else "",
                organisation=employers[n] if rng.random() < 0.85 else None,
                position=rng.choice(POSITIONS) if rng.random() < 0.6 else "",
                region=regions[n],
                consent_recorded=rng.random() < 0.7,
            )
        )
    return Person.objects.bulk_create(rows, batch_size=BATCH)


def make_workshops(
    rng: random.Random, size: Size, partners: dict[str, Organisation]
) -> tuple[list[Workshop], Workshop]:
    projects = []
    for name, funders, women, youth in PROJECTS:
        project = Project.objects.create(
            name=name, women_target_percent=women, youth_target_percent=youth
        )
        project.funders.set([partners[acronym] for acronym in funders])
        projects.append(project)
    planned = max(1, size.workshops * 3 // 100)
    held = size.workshops - planned - 1
    span = (LAST_HELD_DAY - FIRST_DAY).days
    kinds = pick(rng, {kind: share for kind, (share, _factor) in WORKSHOP_KINDS.items()}, held)
    rows = []
    for n, kind in enumerate(kinds):
        start = FIRST_DAY + datetime.timedelta(days=span * n // max(1, held - 1))
        rows.append(workshop_row(rng, kind, start, projects, WorkshopStatus.HELD))
    for n in range(planned):
        start = datetime.date(2026, 12, 8) + datetime.timedelta(days=14 * n)
        rows.append(
            workshop_row(rng, WorkshopKind.ATELIER, start, projects, WorkshopStatus.PLANNED)
        )
    big = Workshop(
        title=BIG_WORKSHOP_TITLE,
        kind=WorkshopKind.FORUM,
        start_date=datetime.date(2022, 11, 15),
        end_date=datetime.date(2022, 11, 16),
        venue="Centre international de conférences de Bamako",
        city="Bamako",
        region="bamako",
        project=projects[0],
        objectives="Porter la voix de la société civile dans le processus de la RSS.",
        summary="Deux jours d'échanges entre organisations de la société civile, "
        "institutions et partenaires sur la gouvernance du secteur de la sécurité.",
        is_public=True,
        status=WorkshopStatus.HELD,
    )
    rows.append(big)
    workshops = Workshop.objects.bulk_create(rows, batch_size=BATCH)
    # The Friedrich-Ebert-Stiftung funds a share directly, others some more.
    through = Workshop.funders.through
    direct = []
    for workshop in workshops:
        if workshop is big or rng.random() < 0.12:
            direct.append(through(workshop_id=workshop.pk, organisation_id=partners["FES"].pk))
        if rng.random() < 0.15:
            other = rng.choice([p for acronym, p in partners.items() if acronym != "FES"])
            direct.append(through(workshop_id=workshop.pk, organisation_id=other.pk))
    through.objects.bulk_create(direct, batch_size=BATCH)
    outcomes = []
    for workshop in workshops:
        count = 12 if workshop is big else rng.randint(0, 6) if workshop.is_public else 0
        for order in range(count):
            kind = list(OutcomeKind)[order % len(OutcomeKind)]
            action = kind == OutcomeKind.ACTION_LINE
            outcomes.append(
                Outcome(
                    workshop=workshop,
                    kind=kind,
                    text=f"{kind.label} n° {order + 1} : renforcer le contrôle citoyen du "
                    "secteur de la sécurité et la participation des femmes et des jeunes.",
                    horizon=rng.choice(list(Horizon)) if action else "",
                    responsible="Comité de pilotage" if action else "",
                    status=rng.choice(list(OutcomeStatus)) if action else "",
                    order=order,
                )
            )
    Outcome.objects.bulk_create(outcomes, batch_size=BATCH)
    return [w for w in workshops if w.status == WorkshopStatus.HELD and w is not big], big


def workshop_row(rng, kind, start: datetime.date, projects, status) -> Workshop:
    days = pick(rng, {1: 40, 2: 45, 3: 15}, 1)[0]
    town = rng.choice(TOWNS)
    return Workshop(
        title=f"{kind.label} {rng.choice(TOPICS)} à {town}",
        kind=kind,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        venue="Maison de la femme" if rng.random() < 0.3 else "Hôtel de ville",
        city=town,
        region="bamako" if town == "Bamako" else pick(rng, REGIONS, 1)[0],
        project=rng.choice(projects) if rng.random() < 0.8 else None,
        objectives="Renforcer les capacités des organisations de la société civile.",
        summary="Atelier d'échanges et de formation.",
        is_public=rng.random() < 0.4,
        status=status,
    )


def attendance_counts(rng: random.Random, size: Size, workshops: Sequence[Workshop]) -> list[int]:
    """How many attend each held workshop: larger events draw more, all add up exactly."""
    remaining = size.attendances - size.big_workshop
    weights = [WORKSHOP_KINDS[w.kind][1] * rng.uniform(0.6, 1.4) for w in workshops]
    counts = [
        min(size.people, max(5, int(remaining * weight / sum(weights)))) for weight in weights
    ]
    missing, n = remaining - sum(counts), 0
    while missing:  # spread the rounding over the workshops that have room
        step = 1 if missing > 0 else -1
        if 5 <= counts[n % len(counts)] + step <= size.people:
            counts[n % len(counts)] += step
            missing -= step
        n += 1
    return counts


def make_attendances(
    rng: random.Random, size: Size, workshops: Sequence[Workshop], big: Workshop, people
) -> None:
    plan = [*zip(workshops, attendance_counts(rng, size, workshops), strict=True)]
    plan.append((big, size.big_workshop))
    rows, days_of = [], []
    for workshop, count in plan:
        roles = pick(rng, ROLES, count)
        for person, role in zip(rng.sample(people, count), roles, strict=True):
            rows.append(Attendance(workshop=workshop, person=person, role=role))
            days_of.append(workshop.days)
    attendances = Attendance.objects.bulk_create(rows, batch_size=BATCH)
    presences = []
    for attendance, days in zip(attendances, days_of, strict=True):
        if rng.random() < 0.04:
            continue  # registered, never came
        present = [day for day in days if rng.random() < 0.9] or days[:1]
        presences += [Presence(attendance=attendance, day=day) for day in present]
    Presence.objects.bulk_create(presences, batch_size=BATCH)


@transaction.atomic
def build(size: Size, seed: int = SEED) -> None:
    """Fill an empty, migrated database with the data set of this size. The report
    summaries' triggers are taken off for the load and the sums counted once after."""
    uninstall_summaries()
    rng = random.Random(seed)
    organisations = make_organisations(rng, size)
    themes = list(Theme.objects.order_by("code"))
    Organisation.themes.through.objects.bulk_create(
        [
            Organisation.themes.through(organisation_id=o.pk, theme_id=theme.pk)
            for o in organisations
            for theme in rng.sample(themes, rng.randint(1, 3))
        ],
        batch_size=BATCH,
    )
    partners = {o.acronym: o for o in organisations if o.kind == OrganisationKind.PARTNER}
    committee = make_staff(partners["FES"])
    apply_memberships(rng, organisations, committee)
    draft = Application.objects.filter(status=ApplicationStatus.DRAFT).order_by("pk").first()
    Representative.objects.filter(organisation=draft.organisation).update(
        user=User.objects.get(email=REPRESENTATIVE)
    )
    people = make_people(rng, size, organisations)
    workshops, big = make_workshops(rng, size, partners)
    make_attendances(rng, size, workshops, big, people)
    rebuild_summaries()

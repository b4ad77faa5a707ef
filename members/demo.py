"""Demo organisations in every state of membership, made through the services so
that their history reads like the real thing. Invented names and people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from members import services
from members.models import (
    Application,
    ApplicationStatus,
    DocumentKind,
    MembershipStatus,
    Organisation,
    VoteChoice,
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class DemoOrganisation:
    name: str
    acronym: str
    kind: str
    region: str
    locality: str
    themes: list[str]
    state: str  # member, suspended, submitted, resubmitted, more-information, rejected, draft
    ccsc: bool = False
    listed: bool = True
    representative: str = ""
    votes: list[tuple[str, str, str]] = field(default_factory=list)
    description: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "Association Malienne pour la Paix et la Sécurité",
        "AMPS",
        "association",
        "bamako",
        "Commune IV",
        ["ssr", "peace"],
        "member",
        ccsc=True,
        description="Sensibilisation des communautés au contrôle citoyen des forces de défense "
        "et de sécurité.",
    ),
    DemoOrganisation(
        "Réseau des Femmes pour la Sécurité Humaine",
        "REFESH",
        "women",
        "segou",
        "Ségou",
        ["gender", "peace"],
        "member",
        ccsc=True,
        description="Réseau de groupements féminins engagés pour la sécurité humaine.",
    ),
    DemoOrganisation(
        "Jeunesse Citoyenne du Sahel",
        "JCS",
        "youth",
        "mopti",
        "Sévaré",
        ["youth", "extremism"],
        "member",
        description="Prévention de l'enrôlement des jeunes dans les groupes armés.",
    ),
    DemoOrganisation(
        "Observatoire Citoyen de la Gouvernance Sécuritaire",
        "OCGS",
        "research",
        "bamako",
        "Hamdallaye",
        ["ssr", "accountability"],
        "member",
        ccsc=True,
        description="Études et veille sur la gouvernance du secteur de la sécurité.",
    ),
    DemoOrganisation(
        "Radio Kayes Solidarité",
        "RKS",
        "media",
        "kayes",
        "Kayes",
        ["media"],
        "member",
        listed=False,
    ),
    DemoOrganisation(
        "ONG Tombouctou Dialogue",
        "TODI",
        "ngo",
        "tombouctou",
        "Tombouctou",
        ["peace", "human-rights"],
        "member",
        description="Dialogue intercommunautaire et médiation locale.",
    ),
    DemoOrganisation(
        "Coordination des Associations de Gao pour la Cohésion",
        "CAGC",
        "network",
        "gao",
        "Gao",
        ["peace", "local"],
        "member",
        ccsc=True,
        description="Faîtière de quarante associations de la région de Gao.",
    ),
    DemoOrganisation(
        "Union des Radios Communautaires de Bandiagara",
        "URCB",
        "media",
        "bandiagara",
        "Bandiagara",
        ["media"],
        "suspended",
    ),
    DemoOrganisation(
        "Groupement des Femmes Leaders de Sikasso",
        "GFLS",
        "women",
        "sikasso",
        "Sikasso",
        ["gender", "local"],
        "submitted",
        votes=[("committee1@example.org", "approve", "Dossier complet.")],
    ),
    DemoOrganisation(
        "Association des Jeunes pour la Citoyenneté de San",
        "AJCS",
        "youth",
        "san",
        "San",
        ["youth", "elections"],
        "resubmitted",
        votes=[
            ("committee1@example.org", "approve", ""),
            ("committee2@example.org", "approve", "Les statuts sont désormais à jour."),
        ],
    ),
    DemoOrganisation(
        "Association Femmes et Paix de Koutiala",
        "AFPK",
        "association",
        "koutiala",
        "Koutiala",
        ["gender", "peace"],
        "more-information",
        representative="representative@example.org",
    ),
    DemoOrganisation(
        "Sécurité Plus SARL",
        "SECPLUS",
        "other",
        "bamako",
        "ACI 2000",
        ["ssr"],
        "rejected",
        votes=[
            ("committee1@example.org", "reject", "Une société privée n'est pas une OSC."),
            ("committee2@example.org", "reject", "Entreprise commerciale de gardiennage."),
            ("committee3@example.org", "reject", "Hors du champ de l'alliance."),
        ],
    ),
    DemoOrganisation(
        "Collectif des Associations de Ménaka",
        "CAM",
        "network",
        "menaka",
        "Ménaka",
        ["peace"],
        "draft",
    ),
]


def _representative(spec: DemoOrganisation) -> User:
    email = spec.representative or f"contact.{spec.acronym.lower()}@example.org"
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _build(spec: DemoOrganisation, days_ago: int) -> None:
    user = _representative(spec)
    application = services.create_applicant_organisation(
        by=user,
        themes=spec.themes,
        name=spec.name,
        acronym=spec.acronym,
        kind=spec.kind,
        region=spec.region,
        locality=spec.locality,
        phone="+22376000000",
        email=f"contact@{spec.acronym.lower()}.example.org",
        registration_number=f"0{days_ago}42/MATD-DGAT",
        registration_date=dt.date(2015, 3, 1) + dt.timedelta(days=days_ago * 30),
        founding_year=2010 + days_ago % 12,
        ccsc_purn_member=spec.ccsc,
        listed_in_directory=spec.listed,
        description=spec.description,
    )
    organisation = application.organisation
    if spec.state == ApplicationStatus.DRAFT:
        return
    for kind in (DocumentKind.STATUTES, DocumentKind.RECEIPT):
        services.add_document(
            organisation,
            by=user,
            kind=kind,
            file=ContentFile(PDF, name=f"{kind}-{spec.acronym.lower()}.pdf"),
            content_type="application/pdf",
        )
    services.submit_application(application, by=user)
    if spec.state in (ApplicationStatus.MORE_INFORMATION, ApplicationStatus.RESUBMITTED):
        committee1 = User.objects.get(email="committee1@example.org")
        services.request_more_information(
            application,
            by=committee1,
            message="Merci de joindre le procès-verbal de votre dernière assemblée générale.",
        )
        if spec.state == ApplicationStatus.RESUBMITTED:
            services.submit_application(application, by=user)
    if spec.state in (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED):
        for number in (1, 2, 3):
            voter = User.objects.get(email=f"committee{number}@example.org")
            services.cast_vote(application, voter=voter, choice=VoteChoice.APPROVE)
    for email, choice, comment in spec.votes:
        voter = User.objects.get(email=email)
        services.cast_vote(application, voter=voter, choice=choice, comment=comment)
    if spec.state == MembershipStatus.SUSPENDED:
        services.change_membership(
            organisation,
            action="suspend",
            by=User.objects.get(email="committee1@example.org"),
            reason="Aucune activité ni cotisation depuis deux ans.",
        )
    # Spread the dates, as if the applications had come in over the past weeks.
    submitted = timezone.now() - dt.timedelta(days=days_ago)
    Application.objects.filter(pk=application.pk).update(submitted_at=submitted)
    if spec.state in (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED):
        Organisation.objects.filter(pk=organisation.pk).update(member_since=dt.date(2022, 1, 27))


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def load() -> int:
    """Create the demo organisations that do not exist yet; return how many exist."""
    for number, spec in enumerate(ORGANISATIONS):
        if Organisation.objects.matching(spec.name).exists():
            continue
        with transaction.atomic():
            _build(spec, days_ago=2 + number * 3)
    return Organisation.objects.filter(name__in=[spec.name for spec in ORGANISATIONS]).count()

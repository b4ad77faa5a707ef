"""What the soak and the fault cases need in their own database: run in Django's process.

python -m bench.soakdata build USERS MINUTES   # the small data set and the soak's
                                              # accounts, queue and door; one JSON line
python -m bench.soakdata counts               # every table's rows, the audit log's
                                              # entries per action; one JSON line
"""

from __future__ import annotations

import datetime
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acrss.settings")
django.setup()

from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.services import set_roles  # noqa: E402
from audit.models import AuditEntry  # noqa: E402
from bench import dataset, pages  # noqa: E402
from common.text import match_key, person_name_key  # noqa: E402
from members.models import (  # noqa: E402
    Application,
    ApplicationStatus,
    Organisation,
    Representative,
)
from reports.models import ExportJob, ExportStatus  # noqa: E402
from workshops.models import (  # noqa: E402
    Attendance,
    Person,
    Project,
    Workshop,
    WorkshopKind,
    WorkshopStatus,
)

# Roles and their share of the simulated users (the rest browse anonymously).
SHARES = {"signup": 0.12, "committee": 0.16, "secretariat": 0.08, "door": 0.16, "partner": 0.08}
DOOR_DAYS = 5
# Applications in the committee's queue and people registered at the door, per
# user of that role and minute of soak: more than the soak can use up.
QUEUE_PER_VOTER_MINUTE = 12
DOOR_PER_USER_MINUTE = 40
# Applications of the queue whose organisation has a representative to tell.
REPRESENTED = 20


def staff_email(role: str, n: int) -> str:
    return f"soak-{role}-{n}@example.org"


def role_counts(users: int) -> dict[str, int]:
    counts = {role: max(1, round(users * share)) for role, share in SHARES.items()}
    counts["anonymous"] = max(0, users - sum(counts.values()))
    return counts


@transaction.atomic
def build(users: int, minutes: float) -> dict:
    dataset.build(dataset.SMALL)
    counts = role_counts(users)
    fes = Organisation.objects.get(acronym="FES")
    accounts: dict[str, list[str]] = {}
    for role in ("committee", "secretariat", "door", "partner"):
        emails = [staff_email(role, n) for n in range(counts[role])]
        for user in dataset.make_users(emails):
            if role == "partner":
                set_roles(user, roles=["partner"], partner_organisation=fes, by=None)
            else:
                set_roles(
                    user, roles=["committee" if role == "committee" else "secretariat"], by=None
                )
            TOTP.activate(user, pages.TOTP_SECRET)
        accounts[role] = emails
    # The committee's queue: submitted applications enough for every vote of the soak.
    queue = max(200, int(counts["committee"] * minutes * QUEUE_PER_VOTER_MINUTE))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Association de veille citoyenne n° {n}",
                name_key=match_key(f"Association de veille citoyenne n° {n}"),
                kind="association",
                region="bamako",
                locality="Bamako",
            )
            for n in range(queue)
        ],
        batch_size=dataset.BATCH,
    )
    submitted = timezone.now() - datetime.timedelta(days=1)
    Application.objects.bulk_create(
        [
            Application(organisation=o, status=ApplicationStatus.SUBMITTED, submitted_at=submitted)
            for o in organisations
        ],
        batch_size=dataset.BATCH,
    )
    # Applicants who hear of the decision on theirs by e-mail (the fault cases).
    applications = list(Application.objects.filter(organisation__in=organisations).order_by("pk"))
    represented = applications[:REPRESENTED]
    applicants = dataset.make_users([f"soak-applicant-{a.pk}@example.org" for a in represented])
    Representative.objects.bulk_create(
        [
            Representative(organisation_id=a.organisation_id, user=user)
            for a, user in zip(represented, applicants, strict=True)
        ]
    )
    today = timezone.localdate()
    project = Project.objects.get(name="Sécurité pour tous")
    door = Workshop.objects.create(
        title="Atelier de la porte : contrôle citoyen",
        kind=WorkshopKind.ATELIER,
        start_date=today,
        end_date=today + datetime.timedelta(days=DOOR_DAYS - 1),
        city="Bamako",
        region="bamako",
        project=project,
        status=WorkshopStatus.HELD,
    )
    registered = max(100, int(counts["door"] * minutes * DOOR_PER_USER_MINUTE / DOOR_DAYS))
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=f"Participant{n} Porte",
                name_key=person_name_key(f"Participant{n} Porte"),
                sex="F" if n % 2 else "M",
            )
            for n in range(registered)
        ],
        batch_size=dataset.BATCH,
    )
    attendances = Attendance.objects.bulk_create(
        [Attendance(workshop=door, person=p) for p in people], batch_size=dataset.BATCH
    )
    imports = Workshop.objects.create(
        title="Atelier des feuilles importées",
        kind=WorkshopKind.FORMATION,
        start_date=today - datetime.timedelta(days=7),
        end_date=today - datetime.timedelta(days=7),
        city="Ségou",
        region="segou",
        project=project,
        status=WorkshopStatus.HELD,
        is_public=True,
        summary="Formation des organisations de la société civile sur le contrôle citoyen.",
    )
    door.funders.add(fes)
    imports.funders.add(fes)
    # Someone whose identity the fault cases erase (registered at two workshops).
    erasable = Person.objects.create(
        full_name="Awa Effacée", name_key=person_name_key("Awa Effacée"), phone="+22370000099"
    )
    Attendance.objects.create(workshop=door, person=erasable)
    Attendance.objects.create(workshop=imports, person=erasable)
    dataset.rebuild_summaries()
    return {
        "roles": counts,
        "accounts": accounts,
        "applications": [a.pk for a in applications],
        "represented": len(represented),
        "representatives": {a.pk: u.email for a, u in zip(represented, applicants, strict=True)},
        "door": door.pk,
        "door_days": [d.isoformat() for d in door.days],
        "attendances": [a.pk for a in attendances],
        "attendance_names": {a.pk: p.full_name for a, p in zip(attendances, people, strict=True)},
        "imports": imports.pk,
        "import_day": imports.start_date.isoformat(),
        "erasable": erasable.pk,
        "fes": fes.pk,
    }


def counts() -> dict:
    tables = connection.introspection.table_names()
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            rows[table] = cursor.fetchone()[0]
    audit = {}
    for action, n in AuditEntry.objects.values_list("action").annotate(n=Count("pk")):
        audit[action] = n
    waiting = ExportJob.objects.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])
    unsent = 0
    if "common_outgoingemail" in tables:  # e-mails owed, sent by the job engine
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM common_outgoingemail WHERE sent_at IS NULL"
                " AND failed_at IS NULL"
            )
            unsent = cursor.fetchone()[0]
    return {
        "tables": rows,
        "audit": audit,
        "exports_waiting": waiting.count(),
        "emails_unsent": unsent,
    }


def main(argv: list[str]) -> None:
    if argv[1] == "build":
        print(json.dumps(build(int(argv[2]), float(argv[3]))))
    elif argv[1] == "counts":
        print(json.dumps(counts()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)

"""A backup restored into a fresh database holds the same rows and the same files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from psycopg import sql

from members.models import Organisation
from tests.factories import make_application, make_organisation, make_user
from tests.workshops.factories import make_attendance, make_person, make_workshop

ROOT = Path(__file__).resolve().parents[1]
TABLES = ["accounts_user", "members_organisation", "members_document", "audit_auditentry"]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgresql", "backups are of a PostgreSQL database"),
]


def connect(name: str) -> psycopg.Connection:
    database = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    )


def counts(name: str) -> dict[str, int]:
    query = sql.SQL("SELECT count(*) FROM {}")
    with connect(name) as db:
        return {
            table: db.execute(query.format(sql.Identifier(table))).fetchone()[0] for table in TABLES
        }


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def environment_of(database_name: str, media_root: Path, **variables: str) -> dict[str, str]:
    """The environment of a portal process on another database (and the same cache)."""
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_MEDIA_ROOT=str(media_root),
        DATABASE_URL=(
            f"postgres://{database['USER']}:{database['PASSWORD']}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database_name}"
        ),
        **variables,
    )
    return env


def manage(*arguments: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with connect("postgres") as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect("postgres") as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database(settings, tmp_path, fresh_database):
    representative = make_user("mariam@example.org")
    make_application(representative, status="submitted")  # with its two documents
    workshop = make_workshop(status="held")
    attendance = make_attendance(workshop, make_person("Awa Traoré", sex="F"), workshop.start_date)
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive))
    before = counts(connection.settings_dict["NAME"])
    assert before["members_document"] == 2

    restored_media = tmp_path / "restored-media"
    env = environment_of(fresh_database, restored_media, DJANGO_DEBUG="1")
    manage("restore", str(archive), env=env)
    assert counts(fresh_database) == before
    assert files_under(restored_media) == files_under(Path(settings.MEDIA_ROOT))
    assert len(files_under(restored_media)) == before["members_document"]

    # The restored audit log is append-only too, and a second restore is refused.
    with connect(fresh_database) as db, pytest.raises(psycopg.Error, match="append-only"):
        db.execute("UPDATE audit_auditentry SET action = 'nothing'")
    again = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode != 0
    assert "not empty" in again.stderr

    # The report figures came back whole, and the restored triggers keep them.
    summary = "SELECT participants, sex_f FROM workshops_workshopsummary WHERE workshop_id = %s"
    day = "SELECT present FROM workshops_workshopday WHERE workshop_id = %s AND day = %s"
    with connect(fresh_database) as db:
        assert db.execute(summary, [workshop.pk]).fetchone() == (1, 1)
        db.execute(
            "INSERT INTO workshops_presence (attendance_id, day) VALUES (%s, %s)",
            [attendance.pk, workshop.end_date],
        )
        assert db.execute(day, [workshop.pk, workshop.end_date]).fetchone() == (1,)


# A visitor's directory, as the portal on the restored database draws it.
VISITOR_DIRECTORY = (
    "from django.test import Client; "
    "print(Client(HTTP_HOST='127.0.0.1').get('/directory/').content.decode())"
)


def test_no_page_kept_before_a_restore_is_shown_after_it(tmp_path, fresh_database):
    organisation = make_organisation("Réseau ancien", listed_in_directory=True)
    Organisation.objects.filter(pk=organisation.pk).update(membership_status="member")
    assert "Réseau ancien" in Client().get("/directory/").content.decode()  # kept for visitors
    # Renamed behind the cache's back, as a restore changes the whole database under it.
    Organisation.objects.filter(pk=organisation.pk).update(name="Réseau sauvegardé")
    archive = tmp_path / "backup.tar"
    call_command("backup", str(archive))

    # Production's settings with the test run's secret key and plain static files,
    # on the fresh database and the same cache (Redis, or the database's own table).
    env = environment_of(
        fresh_database, tmp_path / "restored-media", DJANGO_SETTINGS_MODULE="tests.settings"
    )
    manage("restore", str(archive), env=env)
    page = manage("shell", "-c", VISITOR_DIRECTORY, env=env)

    assert "Réseau sauvegardé" in page
    assert "Réseau ancien" not in page

"""On the embedded SQLite database, committee members voting at the same instant
wait their turn: no "database is locked", no lost vote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOTERS = 6

# Runs in its own process: a file database, one connection per thread.
SCRIPT = """
import json, sys, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from members import services
from members.models import Vote
from tests.factories import make_application, make_user

voters = [make_user(f"voter{n}@example.org", role="committee") for n in range(VOTERS)]
application = make_application(make_user("applicant@example.org"), status="submitted")
connection.close()
start = threading.Barrier(VOTERS)
errors = []

def vote(voter):
    start.wait()
    try:
        services.cast_vote(application, voter=voter, choice="approve", comment="")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=vote, args=(voter,)) for voter in voters]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"errors": errors, "votes": Vote.objects.filter(application=application).count()}))
""".replace("VOTERS", str(VOTERS))


def test_simultaneous_votes_on_sqlite_all_count(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="acrss.settings",
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        # Every vote stays open: none is refused because a decision fell.
        ACRSS_APPROVAL_QUORUM="100",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"errors": [], "votes": VOTERS}

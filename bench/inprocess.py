"""The measurements that need Django in the process: run by `bench.run`.

    python -m bench.inprocess prepare large|small   # build the data set, or reuse it
    python -m bench.inprocess probe large|small     # print figures as one JSON line
    python -m bench.inprocess xlsx-job START|all    # write a large XLSX as the worker does
    python -m bench.inprocess door RATE             # check people in at the big workshop's
                                                    # door, RATE a second, until stopped

DATABASE_URL names the database; `prepare` drops and rebuilds it when its
size, the builder or the migrations changed since it was built.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import resource
import sys
import time
from pathlib import Path

import django
import psycopg

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acrss.settings")
django.setup()

from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)

from accounts.models import User  # noqa: E402
from bench import dataset, pages  # noqa: E402
from members.models import Organisation  # noqa: E402
from workshops.models import Attendance, Person, Presence, Workshop  # noqa: E402

SIZES = {"large": dataset.LARGE, "small": dataset.SMALL}


def fingerprint(size: dataset.Size) -> str:
    """What the data set depends on: its size, the builder, its accounts, the migrations."""
    leaves = sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    source = Path(dataset.__file__).read_bytes() + Path(pages.__file__).read_bytes()
    text = f"{size!r} {leaves!r} ".encode() + source
    return "acrss-bench " + hashlib.sha256(text).hexdigest()[:16]


def prepare(size: dataset.Size) -> str:
    name = connection.settings_dict["NAME"]
    wanted = fingerprint(size)
    admin = {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}
    admin.pop("cursor_factory", None)
    admin.pop("context", None)
    with psycopg.connect(**admin) as server:
        row = server.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row and row[0] == wanted:
            return "reused"
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    dataset.build(size)
    connection.close()
    with psycopg.connect(**{**admin, "dbname": name}) as database:
        database.execute("VACUUM ANALYZE")
        database.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    return f"built in {time.perf_counter() - start:.0f} s"


def identifiers() -> dict[str, int]:
    return {
        "big": Workshop.objects.get(title=dataset.BIG_WORKSHOP_TITLE).pk,
        "fes": Organisation.objects.get(acronym="FES").pk,
    }


def signed_in(account: str | None) -> Client:
    """A client signed in as a finished sign-in leaves it: password, then the
    second factor when the account has one."""
    client = Client()
    if account:
        user = User.objects.get(email=account)
        client.force_login(user)
        request = HttpRequest()
        request.session = client.session
        record_authentication(request, user, "password", email=user.email)
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
        request.session.save()
    return client


def get(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}, not 200")


def query_counts(ids: dict[str, int]) -> dict[str, dict[str, int]]:
    """Each page's queries drawn afresh (the shared cache emptied), then as kept."""
    counts = {}
    for page in pages.PAGES:
        client = signed_in(page.account)
        path = page.path.format(**ids)
        get(client, path)  # the first request fills what a worker keeps in memory
        cache.clear()
        with CaptureQueriesContext(connection) as afresh:
            get(client, path)
        with CaptureQueriesContext(connection) as kept:
            get(client, path)
        counts[page.key] = {"afresh": len(afresh), "kept": len(kept)}
    return counts


class Recorder:
    """Keeps the SQL a request runs, to run it again under EXPLAIN ANALYZE."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def database_time(ids: dict[str, int]) -> dict[str, dict]:
    """PostgreSQL's own time for each report's queries, counted afresh (the shared
    cache emptied, so the figures are counted from the attendances), beside the
    request's."""
    times = {}
    for page in pages.PAGES:
        if page.key not in pages.REPORTS:
            continue
        client = signed_in(page.account)
        path = page.path.format(**ids)
        get(client, path)
        cache.clear()
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            start = time.perf_counter()
            get(client, path)
            elapsed = time.perf_counter() - start
        spent = []
        with connection.cursor() as cursor:
            for sql, params in recorder.queries:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                runs = []
                for _run in range(2):  # the better of two: other processes share the cores
                    cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
                    plan = cursor.fetchone()[0][0]
                    runs.append(plan["Planning Time"] + plan["Execution Time"])
                spent.append(min(runs))
        times[page.key] = {
            "request_ms": elapsed * 1000,
            "database_ms": sum(spent),
            "queries": len(recorder.queries),
            "slowest_ms": max(spent, default=0),
        }
    return times


def export_windows() -> list[dict]:
    """For each size of export, the period of the latest held workshops holding about
    that many attendances (all of them for the largest)."""
    held = list(
        Workshop.objects.held()
        .annotate(rows=Count("attendances"))
        .order_by("-start_date", "-pk")
        .values_list("start_date", "rows")
    )
    windows = []
    for wanted in pages.EXPORT_ROWS:
        rows, start, best = 0, None, None
        for start_date, count in held:
            rows += count
            # Workshops starting on the same day come together.
            candidate = (abs(rows - wanted), rows, start_date)
            if best is None or candidate < best:
                best = candidate
            if rows >= wanted:
                break
        _gap, rows, start = best
        rows = sum(count for day, count in held if day >= start)
        if rows == sum(count for _day, count in held):
            start = None
        windows.append({"wanted": wanted, "rows": rows, "start": start and start.isoformat()})
    return windows


def copy_sql(start: str | None) -> str:
    """PostgreSQL streaming the same rows as CSV: the floor an export can reach
    (timed by ``bench.run`` right beside each export)."""
    a, w, p, o, d = (
        model._meta.db_table for model in (Attendance, Workshop, Person, Organisation, Presence)
    )
    since = f"AND w.start_date >= DATE '{start}'" if start else ""
    sql = f"""COPY (
        SELECT w.title, w.start_date, p.full_name, p.sex, p.birth_year, o.name, o.acronym,
               o.kind, o.membership_status, p.region, a.role, d.days, d.present
        FROM {a} a JOIN {w} w ON w.id = a.workshop_id JOIN {p} p ON p.id = a.person_id
             LEFT JOIN {o} o ON o.id = p.organisation_id
             LEFT JOIN (
                SELECT pr.attendance_id, count(*) AS days,
                       string_agg(pr.day::text, ',' ORDER BY pr.day) AS present
                FROM {d} pr JOIN {a} a2 ON a2.id = pr.attendance_id
                     JOIN {w} w2 ON w2.id = a2.workshop_id
                WHERE w2.status = 'held' {since.replace("w.", "w2.")}
                GROUP BY pr.attendance_id
             ) d ON d.attendance_id = a.id
        WHERE w.status = 'held' {since}
        ORDER BY w.start_date, w.id, p.full_name, a.id
    ) TO STDOUT (FORMAT csv, HEADER)"""
    return sql


def probe(size_name: str) -> dict:
    setup_test_environment()
    ids = identifiers()
    with override_settings(ROOT_URLCONF="bench.urls"):
        figures: dict = {"ids": ids, "queries": query_counts(ids)}
        if size_name == "large":
            figures["database"] = database_time(ids)
            figures["exports"] = [
                {**window, "copy_sql": copy_sql(window["start"])} for window in export_windows()
            ]
            figures["xlsx_in_request_rows"] = settings.ACRSS_XLSX_IN_REQUEST_ROWS
    return figures


def background_xlsx(start: str) -> dict:
    """An XLSX too large for a request, as the secretariat asks for it and the
    export worker writes it: its time, the worker's peak memory growth, its size."""
    from django.http import QueryDict

    from reports import background, exports, services
    from reports.forms import ReportFilterForm
    from reports.permissions import reportable_workshops

    user = User.objects.get(email=pages.SECRETARIAT)
    query = f"start={start}" if start != "all" else ""
    scope = reportable_workshops(user)
    report = exports.set_report(ReportFilterForm(QueryDict(query) or None, workshops=scope), scope)
    job = services.request_export(report, by=user, query=query)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    background.write_export(job.pk, job.generation)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    return {
        "seconds": seconds,
        "status": job.status,
        "rows": job.rows_done,
        "bytes": job.file.size if job.file else 0,
        "memory": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024,
    }


def door(rate: float) -> None:
    """The day of a workshop: check-ins at the big workshop's door through the
    portal's own services, ``rate`` a second, until the process is stopped. One
    in five is a walk-in (a new person registered); the others tick a registered
    person present, or untick one ticked (so the door never runs out of people).
    Prints a line per hundred writes."""
    from checkin.services import add_walk_in, mark_absent, mark_present

    big = Workshop.objects.get(title=dataset.BIG_WORKSHOP_TITLE)
    secretariat = User.objects.get(email=pages.SECRETARIAT)
    day = big.start_date
    attendances = list(big.attendances.order_by("pk"))
    period = 1 / rate
    next_at = time.monotonic()
    for n in itertools.count():
        if n % 5 == 4:
            add_walk_in(big, day=day, by=secretariat, organisation=None, full_name=f"Arrivée {n}")
        else:
            attendance = attendances[n % len(attendances)]
            if not mark_present(attendance, day=day, by=secretariat):
                mark_absent(attendance, day=day, by=secretariat)
        if n % 100 == 99:
            print(f"{n + 1} writes", flush=True)
        next_at += period
        time.sleep(max(0.0, next_at - time.monotonic()))


def main(argv: list[str]) -> None:
    command, argument = argv[1], argv[2]
    if command == "prepare":
        print(prepare(SIZES[argument]))
    elif command == "door":
        door(float(argument))
    elif command == "xlsx-job":
        print(json.dumps(background_xlsx(argument)))
    else:
        print(json.dumps(probe(argument)))


if __name__ == "__main__":
    main(sys.argv)

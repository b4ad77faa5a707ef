"""Measure the report page and the exports at 1,000 then 100,000 attendances, in
the process (no web server): a quicker look than `make bench` at one change.

Runs in a throwaway test database (created and dropped here), on PostgreSQL
when DATABASE_URL names one:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acrss_bench DJANGO_DEBUG=0 \\
        DJANGO_SECRET_KEY=… DJANGO_SECURE_SSL_REDIRECT=0 \\
        .venv/bin/python -m bench.reports [--sizes 1000,100000]

Debug mode off, or Django keeps every query in memory and the figures lie.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acrss.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from common.text import match_key  # noqa: E402
from members.models import Organisation, OrganisationKind  # noqa: E402
from workshops.models import Attendance, Person, Presence, Workshop  # noqa: E402
from workshops.summaries import rebuild_summaries, uninstall_summaries  # noqa: E402

PEOPLE_PER_WORKSHOP = 100


def build(attendances: int, funder: Organisation) -> None:
    """Workshops of 100 attendees over two days, people reused across workshops; the
    report summaries counted once after the load (their triggers off meanwhile)."""
    uninstall_summaries()
    Presence.objects.all().delete()
    Attendance.objects.all().delete()
    Workshop.objects.all().delete()
    workshops = Workshop.objects.bulk_create(
        Workshop(
            title=f"Atelier {n}",
            start_date=datetime.date(2022, 1, 1) + datetime.timedelta(days=n % 1400),
            end_date=datetime.date(2022, 1, 2) + datetime.timedelta(days=n % 1400),
            status="held",
            region="bamako",
        )
        for n in range(attendances // PEOPLE_PER_WORKSHOP)
    )
    for workshop in workshops:
        workshop.funders.add(funder)
    people = list(Person.objects.order_by("pk"))
    rows = []
    for w, workshop in enumerate(workshops):
        for p in range(PEOPLE_PER_WORKSHOP):
            person = people[(w * 37 + p) % len(people)]
            rows.append(Attendance(workshop=workshop, person=person))
    Attendance.objects.bulk_create(rows, batch_size=5000)
    presences = []
    for attendance in Attendance.objects.select_related("workshop").iterator(chunk_size=5000):
        presences.append(Presence(attendance=attendance, day=attendance.workshop.start_date))
        if attendance.pk % 2:
            presences.append(Presence(attendance=attendance, day=attendance.workshop.end_date))
    Presence.objects.bulk_create(presences, batch_size=5000)
    rebuild_summaries()


def download(client: Client, url: str) -> int | None:
    """The bytes of a streamed export; None when the portal writes it in the
    background instead (an XLSX of more than ACRSS_XLSX_IN_REQUEST_ROWS rows)."""
    response = client.get(url)
    if not response.streaming:
        return None
    # Read to the end, the response closes itself as a finished request does.
    return sum(len(chunk) for chunk in response.streaming_content)


def measure_export(client: Client, url: str) -> tuple[float, float, int] | None:
    """Time without tracing (tracemalloc slows Python several times), then the
    peak of Python memory in a second, traced run."""
    start = time.perf_counter()
    size = download(client, url)
    if size is None:
        return None
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    download(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1e6, size


class QueryCounter:
    """Counts the queries a block runs (a request empties Django's own log as it starts)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--sizes", default="1000,100000", help="attendances, comma-separated")
    sizes = parser.parse_args(argv).sizes
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # Plain static storage: no collectstatic manifest is needed to render pages.
    storages = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    try:
        # Signed in without a second factor: the pages, not the log-in, are measured.
        with override_settings(STORAGES=storages, ACRSS_REQUIRE_MFA=False):
            run(sizes)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(sizes: str, *, people: int = 20_000, write=print) -> None:
    """Build each size in turn and write what it measured, one line each."""
    from tests.factories import make_user

    funder = Organisation.objects.create(
        name="Friedrich-Ebert-Stiftung", acronym="FES", name_key=match_key("FES long"),
        acronym_key="fes", kind=OrganisationKind.PARTNER,
    )  # fmt: skip
    Person.objects.bulk_create(
        Person(full_name=f"Personne {n}", name_key=f"personne {n}", sex="FMU"[n % 3],
               birth_year=None if n % 11 == 0 else 1960 + n % 45, region="bamako")
        for n in range(people)
    )  # fmt: skip
    client = Client()
    client.force_login(make_user("secretariat@example.org", role="secretariat"))
    write(f"database: {connection.vendor}")
    for size in (int(value) for value in sizes.split(",")):
        build(size, funder)
        client.get("/reports/")  # warm up
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            page = client.get("/reports/")
            page_time = time.perf_counter() - start
        one = Workshop.objects.order_by("pk").first().pk
        start = time.perf_counter()
        client.get(f"/reports/workshops/{one}/")
        one_time = time.perf_counter() - start
        write(
            f"{size:>7} attendances: set page {counter.count} queries, "
            f"{page_time * 1000:.0f} ms, {len(page.content) / 1024:.1f} KB HTML; "
            f"one-workshop page {one_time * 1000:.0f} ms"
        )
        for name in ("export.xlsx", "list.csv"):
            measured = measure_export(client, f"/reports/{name}")
            if measured is None:
                write(f"{'':>7} {name:<12} written in the background (run_export_jobs)")
                continue
            elapsed, peak, size_bytes = measured
            write(
                f"{'':>7} {name:<12} {elapsed:.2f} s, peak Python memory {peak:.1f} MB, "
                f"file {size_bytes / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()

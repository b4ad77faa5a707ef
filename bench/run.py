"""`make bench`: build the data set, serve the portal as production does, measure it.

Prints one table of figures beside their ceilings and exits 1 when one is
missed. Settings (environment):

    BENCH_DATABASE_URL  the data set's database (default acrss_bench_data on
                        127.0.0.1); the small one is the same name + "_small"
    BENCH_REDIS_URL     the shared cache, as production has it (default database 14
                        of Redis on 127.0.0.1; the small data set uses the next
                        one); both are emptied before measuring
    BENCH_ATTENDANCES   attendances of the large data set (default 100,000)
    BENCH_SECONDS       seconds of wrk per page and round (default 5)
    BENCH_ROUNDS        rounds of every page, the median is kept (default 3)
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis

from bench import pages
from bench.exporting import copy_seconds, export
from bench.fetching import fetch, sign_in
from bench.harness import (
    ROOT,
    STARTED,
    VENV_BIN,
    free_port,
    production_environment,
    say,
    workers_of,
)
from bench.pages import PAGES
from bench.weight import ACCEPT_ENCODING, load_times, page_bytes

LUA = Path(__file__).with_name("report.lua")


@dataclass
class Row:
    measure: str
    figure: str
    target: str = ""
    met: bool | None = None


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def add(self, measure: str, figure: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(measure, figure, target, met))

    def section(self, title: str) -> None:
        self.rows.append(Row(f"**{title}**", ""))

    def print(self) -> None:
        print("| measure | figure | target | |")
        print("| --- | --- | --- | --- |")
        for row in self.rows:
            verdict = {True: "ok", False: "MISSED", None: ""}[row.met]
            print(f"| {row.measure} | {row.figure} | {row.target} | {verdict} |")

    @property
    def missed(self) -> int:
        return sum(row.met is False for row in self.rows)


# -- the portal under gunicorn ----------------------------------------------------------


def in_django(env: dict[str, str], *args: str, module: str = "bench.inprocess") -> str:
    """The last line a measurement run in Django's process printed."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"{module} {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


@contextmanager
def gunicorn(env: dict[str, str], log: Path):
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "bench.wsgi",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                if fetch(base + pages.BARE).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not answer; see {log}")
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- measurements -----------------------------------------------------------------------


def wrk(url: str, session: str | None, seconds: int) -> dict:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "60s", "-s", str(LUA)]
    command += ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}", "-H", "Accept-Language: fr"]
    if session:
        command += ["-H", f"Cookie: sessionid={session}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / figures["seconds"]
    settle("/".join(url.split("/", 3)[:3]), figures)
    return figures


def settle(origin: str, figures: dict) -> None:
    """Wait for the requests wrk left queued when it stopped: the sync workers still
    serve them, and the next measurement would pay for them. A request queues behind
    them; the other worker may still finish one, about one service time."""
    fetch(origin + pages.BARE)
    service = 2 * figures["seconds"] / max(1, figures["requests"])
    time.sleep(min(10.0, service))


def throughput(base: str, sessions: dict, ids: dict, seconds: int, rounds: int) -> dict:
    """Each page right after the bare view, every round; the medians."""
    results: dict[str, list[dict]] = {page.key: [] for page in PAGES}
    for round_number in range(1, rounds + 1):
        say(f"throughput, round {round_number} of {rounds}")
        for page in PAGES:
            bare = wrk(base + pages.BARE, None, seconds)
            figures = wrk(base + page.path.format(**ids), sessions.get(page.account), seconds)
            figures["ratio"] = figures["rate"] / bare["rate"] if bare["rate"] else 0.0
            figures["bare"] = bare["rate"]
            results[page.key].append(figures)
    return medians(results)


def medians(results: dict) -> dict:
    """Per page, the median of each figure over its rounds."""
    return {
        key: {
            name: statistics.median(run[name] for run in runs)
            for name in ("ratio", "rate", "bare", "p50", "p95", "errors")
        }
        for key, runs in results.items()
    }


@contextmanager
def door(env: dict[str, str], rate: float):
    """Check-ins at the big workshop's door, ``rate`` a second, while the block runs."""
    if not rate:
        yield
        return
    writer = subprocess.Popen(
        [sys.executable, "-m", "bench.inprocess", "door", str(rate)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)  # Django set up, the first writes made
        if writer.poll() is not None:
            sys.exit("the door's check-ins stopped at once")
        yield
    finally:
        writer.terminate()
        writer.wait(timeout=30)


def day_of_workshop(
    base: str, env: dict, sessions: dict, ids: dict, seconds: int, rounds: int
) -> dict:
    """Each report page right after the bare view while the door checks people in,
    every round; the medians (the bare view alone moves by a fifth between runs)."""
    results: dict[tuple[float, str], list[dict]] = {}
    for rate in pages.DOOR_RATES:
        say(f"the day of a workshop: {rate:g} check-ins a second")
        with door(env, rate):
            for _round in range(rounds):
                for key in pages.REPORTS:
                    page = next(page for page in PAGES if page.key == key)
                    bare = wrk(base + pages.BARE, None, seconds)
                    path = page.path.format(**ids)
                    figures = wrk(base + path, sessions[page.account], seconds)
                    figures["ratio"] = figures["rate"] / bare["rate"] if bare["rate"] else 0.0
                    figures["bare"] = bare["rate"]
                    results.setdefault((rate, key), []).append(figures)
    return medians(results)


def first_views(base: str, env: dict, sessions: dict, ids: dict, database_url: str) -> dict:
    """The first view of each report page right after a check-in at the big workshop
    (every worker sees the write at once: the page kept before it is stale)."""
    times: dict[str, list[float]] = {key: [] for key in pages.REPORTS}
    with psycopg.connect(database_url, autocommit=True) as database:
        attendance = database.execute(
            "SELECT id FROM workshops_attendance WHERE workshop_id = %s ORDER BY id LIMIT 1",
            [ids["big"]],
        ).fetchone()[0]
        day = database.execute(
            "SELECT start_date + 1 FROM workshops_workshop WHERE id = %s", [ids["big"]]
        ).fetchone()[0]
        for _n in range(pages.FIRST_VIEWS):
            for key in pages.REPORTS:
                page = next(page for page in PAGES if page.key == key)
                url = base + page.path.format(**ids)
                cookies = {"sessionid": sessions[page.account]}
                for _worker in range(4):  # kept by both workers before the write
                    fetch(url, cookies)
                # A tick or an untick of the second day: the written path of a check-in.
                deleted = database.execute(
                    "DELETE FROM workshops_presence WHERE attendance_id = %s AND day = %s",
                    [attendance, day],
                ).rowcount
                if not deleted:
                    database.execute(
                        "INSERT INTO workshops_presence (attendance_id, day) VALUES (%s, %s)",
                        [attendance, day],
                    )
                start = time.perf_counter()
                fetch(url, cookies)
                times[key].append(time.perf_counter() - start)
    return {key: {"median": statistics.median(t), "max": max(t)} for key, t in times.items()}


# -- the whole run ----------------------------------------------------------------------


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"


def small_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_small"))


def next_redis_database(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 1
    return urllib.parse.urlunsplit(parts._replace(path=f"/{number}"))


def main() -> int:
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/acrss_bench_data"
    )
    seconds = int(os.environ.get("BENCH_SECONDS", "5"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    work = Path(tempfile.mkdtemp(prefix="acrss-bench-"))
    secret_key = secrets.token_urlsafe(50)
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    small_redis_url = next_redis_database(redis_url)
    for url in (redis_url, small_redis_url):  # nothing kept from an earlier data set
        redis.Redis.from_url(url).flushdb()
    env = production_environment(database_url, redis_url, secret_key, str(work / "media"))
    small_env = production_environment(
        small_url(database_url), small_redis_url, secret_key, str(work / "media")
    )

    say("data set, large: " + in_django(env, "prepare", "large"))
    say("data set, small: " + in_django(small_env, "prepare", "small"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    say("query counts and PostgreSQL's own time")
    small = json.loads(in_django(small_env, "probe", "small"))
    large = json.loads(in_django(env, "probe", "large"))
    ids = large["ids"]

    with gunicorn(env, work / "gunicorn.log") as (base, master):
        accounts = {page.account for page in PAGES} | {a for _l, a, _p in pages.J1_PAGES}
        sessions = {account: sign_in(base, account) for account in accounts if account}
        for page in PAGES:  # every page answers, and each worker has rendered it once
            for _warm in range(4):
                path = page.path.format(**ids)
                cookies = {"sessionid": sessions[page.account]} if page.account else None
                status = fetch(base + path, cookies).status
                if status != 200:
                    sys.exit(f"{path} answered {status} to {page.account or 'a visitor'}")
        speed = throughput(base, sessions, ids, seconds, rounds)
        say("bytes per page")
        sizes = {
            page.key: page_bytes(base, page.path.format(**ids), sessions.get(page.account))
            for page in PAGES
            if page.key != "bare-signed-in"
        }
        say("J1 pages in Chromium, 3G profile")
        loads = load_times(base, sessions)

    # Fresh workers for the exports: the pages above leave each worker's heap grown,
    # which would hide an export's own growth.
    with gunicorn(env, work / "gunicorn-exports.log") as (base, master):
        say("exports")
        session = sessions[pages.SECRETARIAT]
        smallest = min(large["exports"], key=lambda window: window["rows"])
        for _name, path in pages.EXPORTS:  # two at once: each worker writes each kind once
            urls = [f"{base}{path}?start={smallest['start']}"] * 2
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(fetch, urls, [{"sessionid": session}] * 2))
        exports = []
        for name, path in pages.EXPORTS:
            for window in large["exports"]:
                query = f"?start={window['start']}" if window["start"] else ""
                # Right beside the export, as the bare view beside each page.
                copy_s = copy_seconds(database_url, window["copy_sql"])
                figures = export(base, session, path + query, workers_of(master))
                figures["copy_s"] = copy_s
                if name == "XLSX" and window["rows"] > large["xlsx_in_request_rows"]:
                    # The request asks for a confirmation; the export worker writes it.
                    job = json.loads(in_django(env, "xlsx-job", window["start"] or "all"))
                    figures["job"] = job
                exports.append({"format": name, **window, **figures})

    # Last: the door's walk-ins add attendances, which the exports above must not see.
    with gunicorn(env, work / "gunicorn-day.log") as (base, master):
        day = day_of_workshop(base, env, sessions, ids, seconds, rounds)
        say("first view after a write")
        first = first_views(base, env, sessions, ids, database_url)
    # The door wrote into the data set: the next run builds it again, the same rows.
    with psycopg.connect(database_url, autocommit=True) as database:
        name = database.info.dbname
        database.execute(f'COMMENT ON DATABASE "{name}" IS NULL')

    table = Table()
    table.section(f"throughput: wrk -t2 -c16, {seconds} s a page, median of {rounds} rounds")
    for page in PAGES:
        s = speed[page.key]
        table.add(
            page.label,
            f"{s['ratio']:.3f}× ({s['rate']:.0f} req/s, bare {s['bare']:.0f}; "
            f"p50 {s['p50'] / 1000:.0f} ms, p95 {s['p95'] / 1000:.0f} ms"
            + (f"; {s['errors']:.0f} errors)" if s["errors"] else ")"),
            f"≥ {page.target}×",
            s["ratio"] >= page.target and not s["errors"],
        )
    table.section(
        f"the day of a workshop: check-ins at the big workshop's door, {seconds} s a page, "
        f"median of {rounds} rounds"
    )
    for (rate, key), s in day.items():
        label = next(page.label for page in PAGES if page.key == key)
        table.add(
            f"{label}, {rate:g} check-ins/s",
            f"{s['ratio']:.3f}× ({s['rate']:.0f} req/s, bare {s['bare']:.0f}; "
            f"p50 {s['p50'] / 1000:.0f} ms, p95 {s['p95'] / 1000:.0f} ms"
            + (f"; {s['errors']:.0f} errors)" if s["errors"] else ")"),
            f"≥ {pages.DAY_TARGET}×",
            s["ratio"] >= pages.DAY_TARGET and not s["errors"],
        )
    table.section(f"first view after a check-in, {pages.FIRST_VIEWS} tries: median, slowest")
    for key, t in first.items():
        label = next(page.label for page in PAGES if page.key == key)
        table.add(
            label,
            f"{t['median'] * 1000:.0f} ms, {t['max'] * 1000:.0f} ms",
            f"≤ {pages.FIRST_VIEW_SECONDS * 1000:.0f} ms",
            t["median"] <= pages.FIRST_VIEW_SECONDS,
        )
    table.section("queries per page, small → large data set: drawn afresh; kept")
    for page in PAGES:
        a, b = small["queries"][page.key], large["queries"][page.key]
        table.add(
            page.label,
            f"{a['afresh']} → {b['afresh']}; {a['kept']} → {b['kept']}",
            "flat",
            a == b,
        )
    table.section("PostgreSQL's own time, counted afresh (EXPLAIN ANALYZE of the page's queries)")
    for key in pages.REPORTS:
        d = large["database"][key]
        label = next(page.label for page in PAGES if page.key == key)
        table.add(
            label,
            f"{d['database_ms']:.0f} ms of {d['request_ms']:.0f} ms in {d['queries']} queries "
            f"(slowest {d['slowest_ms']:.0f} ms)",
        )
    table.section("exports (secretariat), against COPY of the same rows, order and days")
    largest = max(pages.EXPORT_ROWS)
    for e in exports:
        ratio = e["total"] / e["copy_s"]
        label = f"{e['format']}, {e['rows']:,} rows"
        if "job" in e:
            job = e["job"]
            table.add(
                f"{label}, in a background job",
                f"asked in {e['total']:.2f} s (HTTP {e['status']}, the confirmation); written "
                f"in {job['seconds']:.1f} s = {job['seconds'] / e['copy_s']:.0f}× COPY; "
                f"worker +{job['memory'] / 2**20:.0f} MB; {job['bytes'] / 2**20:.1f} MB, "
                f"{job['rows']:,} rows, {job['status']}",
                "written, every row",
                job["status"] == "done" and job["rows"] == e["rows"] and e["status"] == 200,
            )
            continue
        table.add(
            label,
            f"{e['total']:.2f} s = {ratio:.1f}× COPY ({e['copy_s']:.2f} s); first byte "
            f"{e['first_byte']:.2f} s; worker +{e['memory'] / 2**20:.0f} MB "
            f"(peak {e['peak'] / 2**20:.0f} MB); "
            f"{e['bytes'] / 2**20:.1f} MB, HTTP {e['status']}",
            "completes (HTTP 200)",
            e["status"] == 200,
        )
        if e["format"] != "CSV":
            continue
        if e["wanted"] == largest:
            met = ratio <= pages.CSV_OVER_COPY and e["status"] == 200
            table.add(f"{label}: time", f"{ratio:.1f}× COPY", f"≤ {pages.CSV_OVER_COPY:g}×", met)
        met = e["first_byte"] <= pages.CSV_FIRST_BYTE_SECONDS
        first_byte = f"{e['first_byte']:.2f} s"
        table.add(f"{label}: first byte", first_byte, f"≤ {pages.CSV_FIRST_BYTE_SECONDS} s", met)
        met = e["memory"] <= pages.CSV_MEMORY_MB * 2**20
        growth = f"+{e['memory'] / 2**20:.1f} MB"
        table.add(f"{label}: worker memory", growth, f"≤ {pages.CSV_MEMORY_MB} MB", met)
    table.section("bytes with an empty cache, as served: HTML / total")
    for page in PAGES:
        if page.key not in sizes:
            continue
        html, total = sizes[page.key]
        table.add(
            page.label,
            f"{kb(html)} / {kb(total)}",
            f"≤ {pages.HTML_KB} / ≤ {pages.TOTAL_KB} KB",
            html <= pages.HTML_KB * 1024 and total <= pages.TOTAL_KB * 1024,
        )
    table.section("J1 in Chromium, 3G (1.6 Mbit/s, 750 kbit/s, 300 ms), to the load event")
    for label, seconds_taken in loads.items():
        met = seconds_taken <= pages.J1_SECONDS
        table.add(label, f"{seconds_taken:.2f} s", f"≤ {pages.J1_SECONDS:g} s", met)
    table.print()
    print(
        f"\n{table.missed} target(s) missed; measured in {time.perf_counter() - STARTED:.0f} s "
        f"on {os.cpu_count()} cores."
    )
    shutil.rmtree(work, ignore_errors=True)
    return 1 if table.missed else 0


if __name__ == "__main__":
    sys.exit(main())

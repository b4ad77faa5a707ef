"""`make faults`: the portal's answers when a process dies, a service stops or a disk fills.

Starts PostgreSQL, Redis and an SMTP server of its own (never the machine's), serves
the portal as production does (gunicorn and the background worker), then runs each
case and prints one line per case: PASS, FAIL or SKIP (with what it waits for), what
the user saw and what the database holds after. Exits 1 when a case fails.

    python -m bench.faults [CASE ...]     # all cases, or those whose name holds a word

A request is caught "mid-write" by holding a table lock from another connection: the
request's transaction has written its first rows and waits on the lock when its
process is killed (PostgreSQL's own activity view says so), so the kill lands inside
the write every time, not by luck of timing.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from openpyxl import Workbook

from bench import harness, smtp
from bench.client import Client, NoAnswer
from bench.harness import say
from bench.soak import in_django as soakdata
from bench.soak import message_of, said

MIB = 2**20
# Seconds a retried e-mail or export may take to get through once its cause is gone.
RETRY_SECONDS = float(os.environ.get("FAULTS_RETRY_SECONDS", "300"))


@dataclass
class Result:
    case: str
    verdict: str  # PASS, FAIL or SKIP
    saw: str
    holds: str

    def line(self) -> str:
        return (
            f"{self.verdict:4}  {self.case}\n      user saw: {self.saw}"
            f"\n      database: {self.holds}"
        )


@dataclass
class Load:
    """Requests from several users at once, each answer kept with its time."""

    # Each client with what it does in turn: a page to read, or a write to make.
    clients: list[tuple[Client, list]]
    answers: list[tuple[float, str, int | None]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, client: Client, paths: list[str]) -> None:
        n = 0
        while not self.stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                status = path().status if callable(path) else client.get(path).status
            except NoAnswer:
                status = None
            self.answers.append((time.monotonic(), str(path), status))
            time.sleep(0.1)

    def __enter__(self) -> Load:
        self.threads = [
            threading.Thread(target=self.run, args=pair, daemon=True) for pair in self.clients
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(70)

    def between(self, start: float, end: float) -> list[tuple[float, str, int | None]]:
        return [a for a in self.answers if start <= a[0] < end]


def served(answer: tuple[float, str, int | None]) -> bool:
    """A page shown (200), or a check-in made (a POST redirected to the door)."""
    _at, what, status = answer
    return status == (302 if "check_in" in what else 200)


def statuses(answers) -> str:
    counts: dict = {}
    for _t, _path, status in answers:
        counts[status or "no answer"] = counts.get(status or "no answer", 0) + 1
    return ", ".join(f"{n}× {s}" for s, n in sorted(counts.items(), key=str)) or "none"


class Faults:
    def __init__(self, services: harness.Services, data: dict, mail_port: int) -> None:
        self.services = services
        self.portal = services.portal
        self.data = data
        self.mail_port = mail_port
        self.mail: smtp.Server | None = None
        self.mailbox = smtp.Mailbox()  # every message, whichever server took it
        self.results: list[Result] = []
        self.next_address = 1
        self.sessions: dict[tuple[str, int], Client] = {}
        self.applications = iter(data["applications"][data["represented"] :])
        self.represented = iter(data["applications"][: data["represented"]])

    # -- helpers ---------------------------------------------------------------------

    def database(self) -> psycopg.Connection:
        return psycopg.connect(self.services.postgres.url, autocommit=True)

    def one(self, sql: str, *params):
        with self.database() as db:
            return db.execute(sql, params).fetchone()[0]

    def client(self) -> Client:
        self.next_address += 1
        return Client(self.portal.base, f"127.40.0.{self.next_address}")

    def signed_in(self, role: str, n: int = 0) -> Client:
        """One client per account for the whole run: a second factor code is good once."""
        key = (role, n)
        if key not in self.sessions:
            client = self.client()
            client.sign_in(self.data["accounts"][role][n])
            self.sessions[key] = client
        return self.sessions[key]

    @contextmanager
    def table_locked(self, table: str):
        """Holds the table against every other transaction until the block ends."""
        with self.database() as db:
            db.autocommit = False
            db.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
            try:
                yield
            finally:
                db.rollback()

    def waiter(self, seconds: float = 20) -> dict | None:
        """A backend that has written in its open transaction and waits on a lock."""
        deadline = time.monotonic() + seconds
        with self.database() as db:
            while time.monotonic() < deadline:
                row = db.execute(
                    "SELECT pid, backend_xid IS NOT NULL, left(query, 80) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                ).fetchone()
                if row:
                    return {"pid": row[0], "wrote": row[1], "query": row[2]}
                time.sleep(0.05)
        return None

    def backend_gone(self, pid: int, seconds: float = 30) -> bool:
        deadline = time.monotonic() + seconds
        with self.database() as db:
            while time.monotonic() < deadline:
                if not db.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]
                ).fetchone():
                    return True
                time.sleep(0.1)
        return False

    def killed_mid_write(self, table: str, send: Callable[[], object], kill: Callable[[], None]):
        """Send a request (in a thread) that writes and then waits on ``table``; kill the
        process serving it while it waits; release. What the user saw, and the waiter."""
        outcome: dict = {}

        def request() -> None:
            try:
                answer = send()
                outcome["saw"] = f"HTTP {answer.status}"
            except NoAnswer as error:
                outcome["saw"] = f"no answer ({str(error).rsplit(': ', 1)[-1] or 'closed'})"

        with self.table_locked(table):
            thread = threading.Thread(target=request, daemon=True)
            thread.start()
            waiting = self.waiter()
            if waiting is not None:
                kill()
        thread.join(90)
        if waiting is not None:
            self.backend_gone(waiting["pid"])
        return outcome.get("saw", "no answer yet"), waiting

    def record(self, case: str, passed: bool | None, saw: str, holds: str) -> None:
        verdict = {True: "PASS", False: "FAIL", None: "SKIP"}[passed]
        result = Result(case, verdict, saw, holds)
        self.results.append(result)
        print(result.line(), flush=True)

    def engine(self) -> bool:
        return harness.has_job_engine(self.portal.worker_argv)

    # -- killed mid-write ------------------------------------------------------------

    def case_kill_mid_import(self) -> None:
        case = "gunicorn worker killed (SIGKILL) mid-import"
        client = self.signed_in("secretariat")
        workshop = self.data["imports"]
        tag = uuid.uuid4().hex[:6]
        book = Workbook()
        rows = book.active
        rows.append(["N°", "Nom et prénom", "Sexe", "Structure", "Jour 1"])
        for line in range(1, 21):
            rows.append([line, f"Fault{tag}x{line} Diarra", "F", "", "x"])
        content = io.BytesIO()
        book.save(content)
        path = f"/workshops/{workshop}/import/"
        form = client.form(client.get(path), path, "/import/")
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        answer = client.post_multipart(
            form.action,
            form.values(day=self.data["import_day"]),
            {"file": ("feuille.xlsx", content.getvalue(), mime)},
            referer=path,
        )
        preview = urllib.parse.urlsplit(answer.location).path
        page = client.get(preview)

        def confirm():
            return client.submit(preview, page, "/import/", action="confirm")

        saw, waiting = self.killed_mid_write(
            "audit_auditentry", confirm, self.portal.kill_web_workers
        )
        people = "SELECT count(*) FROM workshops_person WHERE full_name LIKE %s"
        pattern = f"Fault{tag}x%"
        after_kill = self.one(people, pattern)
        # The user tries again: the import still waits for its confirmation.
        retried = client.submit(preview, client.get(preview), "/import/", action="confirm")
        text = message_of(client.get(retried.location).text) if retried.status == 302 else ""
        after_retry = self.one(people, pattern)
        presences = self.one(
            "SELECT count(*) FROM workshops_presence p JOIN workshops_attendance a"
            " ON a.id = p.attendance_id JOIN workshops_person s ON s.id = a.person_id"
            " WHERE s.full_name LIKE %s",
            pattern,
        )
        passed = waiting is not None and waiting["wrote"] and after_kill == 0
        passed = passed and after_retry == 20 and presences == 20
        self.record(
            case,
            passed,
            f"{saw} on confirming (killed while its transaction had written and waited on "
            f"{waiting and waiting['query']!r}); confirming again: "
            f"{retried.status}, {text[:90]!r}",
            f"{after_kill} of 20 people after the kill (nothing half-written); "
            f"{after_retry} people and {presences} presences after the retry",
        )

    def case_kill_mid_vote(self) -> None:
        case = "gunicorn worker killed (SIGKILL) mid-vote"
        client = self.signed_in("committee", 0)
        application = next(self.applications)
        path = f"/applications/{application}/"
        page = client.get(path)

        def vote():
            return client.submit(path, page, "/vote/", choice="approve", comment="")

        saw, waiting = self.killed_mid_write("audit_auditentry", vote, self.portal.kill_web_workers)
        votes = "SELECT count(*) FROM members_vote WHERE application_id = %s"
        after_kill = self.one(votes, application)
        retried = client.submit(path, client.get(path), "/vote/", choice="approve", comment="")
        text = message_of(client.get(retried.location).text) if retried.status == 302 else ""
        after_retry = self.one(votes, application)
        passed = waiting is not None and waiting["wrote"] and after_kill == 0 and after_retry == 1
        self.record(
            case,
            passed,
            f"{saw} on voting; voting again: {retried.status}, {text[:80]!r}",
            f"{after_kill} vote after the kill, {after_retry} after the retry (recorded once)",
        )

    def case_kill_mid_erasure(self) -> None:
        case = "gunicorn worker killed (SIGKILL) mid-erasure"
        client = self.signed_in("secretariat")
        person = self.data["erasable"]
        path = f"/workshops/people/{person}/erase/"
        page = client.get(path)

        def erase():
            return client.submit(path, page, "/erase/")

        saw, waiting = self.killed_mid_write(
            "audit_auditentry", erase, self.portal.kill_web_workers
        )
        state = "SELECT full_name, erased_at IS NOT NULL FROM workshops_person WHERE id = %s"
        with self.database() as db:
            name_after_kill, erased_after_kill = db.execute(state, [person]).fetchone()
        retried = client.submit(path, client.get(path), "/erase/")
        with self.database() as db:
            name_after_retry, erased_after_retry = db.execute(state, [person]).fetchone()
        untouched = name_after_kill == "Awa Effacée" and not erased_after_kill
        passed = waiting is not None and waiting["wrote"] and untouched
        passed = passed and erased_after_retry and "Awa" not in name_after_retry
        self.record(
            case,
            passed,
            f"{saw} on erasing; erasing again: HTTP {retried.status}",
            f"after the kill: name {name_after_kill!r}, erased {erased_after_kill} (not "
            f"started); after the retry: name {name_after_retry!r}, erased {erased_after_retry}",
        )

    def ask_background_export(self, client: Client) -> str:
        path = "/reports/export.xlsx"
        answer = client.submit(path, client.get(path), "export.xlsx")
        if answer.status != 302:
            raise RuntimeError(f"asking for the XLSX answered {answer.status}")
        return urllib.parse.urlsplit(answer.location).path

    def export_ready(self, client: Client, job: str, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if f'href="{job}file.xlsx"' in client.get(job).text:
                return client.get(job + "file.xlsx").body[:2] == b"PK"
            time.sleep(1)
        return False

    def case_kill_mid_export(self) -> None:
        case = "background worker killed (SIGKILL) mid-export"
        client = self.signed_in("partner")
        job = self.ask_background_export(client)
        job_id = int(job.rstrip("/").rsplit("/", 1)[-1])

        def nothing():
            return type("Queued", (), {"status": 302})()

        # The export is queued; the worker, reading its rows, waits on the lock.
        _, waiting = self.killed_mid_write("workshops_attendance", nothing, self.portal.kill_worker)
        status = "SELECT status FROM reports_exportjob WHERE id = %s"
        after_kill = self.one(status, job_id)
        self.portal.start_worker()  # as its supervisor (systemd, the container) would
        restarted = time.monotonic()
        # Without the job engine nothing takes a dead worker's export back: no use waiting.
        ready = self.export_ready(client, job, RETRY_SECONDS if self.engine() else 30)
        took = time.monotonic() - restarted
        after_retry = self.one(status, job_id)
        passed = waiting is not None and ready
        if not passed and not self.engine():
            passed = None
        self.record(
            case
            + (
                ""
                if self.engine()
                else " (waits for the job engine: a killed worker's export retried)"
            ),
            passed,
            f"the export page {'offered the file' if ready else 'never offered the file'} "
            f"after the worker was started again",
            f"killed while it waited on {waiting and waiting['query']!r}; job '{after_kill}' "
            f"after the kill, '{after_retry}' {took:.0f} s after the restart",
        )

    # -- e-mail ----------------------------------------------------------------------

    @contextmanager
    def smtp(self, mode: str):
        """The SMTP server the portal sends to: 'down' (nothing listens), 'hanging'
        (accepts, never answers) or 'up'."""
        if self.mail is not None:
            self.mail.__exit__()
            self.mail = None
        if mode != "down":
            self.mail = smtp.Server(
                self.mail_port, hang=mode == "hanging", mailbox=self.mailbox
            ).__enter__()
        yield self.mail

    def decide(self, application: int) -> tuple[list[str], float]:
        """Three approvals: the third decides; what each vote's page answered."""
        saw, slowest = [], 0.0
        for n in range(3):
            client = self.signed_in("committee", n + 1)
            path = f"/applications/{application}/"
            page = client.get(path)
            answer = client.submit(path, page, "/vote/", choice="approve", comment="")
            slowest = max(slowest, answer.seconds)
            shown = client.get(answer.location) if answer.status == 302 else answer
            saw.append(f"{answer.status}→{shown.status}")
        return saw, slowest

    def owed(self, recipient: str) -> tuple[int, str, bool] | None:
        """The owed e-mail's tries, last error and whether it is sent (job engine only)."""
        with self.database() as db:
            exists = db.execute("SELECT to_regclass('common_outgoingemail')").fetchone()[0]
            if not exists:
                return None
            row = db.execute(
                "SELECT tries, last_error, sent_at IS NOT NULL FROM common_outgoingemail"
                " WHERE kind LIKE '%%decided%%' AND %s = \"to\" ORDER BY id DESC",
                [recipient],
            ).fetchone()
        return row

    def case_smtp(self, mode: str) -> Callable[[], None]:
        """Decide while SMTP is down or hanging; SMTP then comes back. The e-mail's fate
        is looked at once the others cases have run (its retry waits minutes): the
        check returned."""
        case = f"SMTP {mode} when a decision is taken"
        application = next(self.represented)
        recipient = self.data["representatives"][str(application)]
        with self.smtp(mode) as server:
            try:
                saw, slowest = self.decide(application)
            except NoAnswer as error:
                saw, slowest = [f"no answer ({error})"], 0.0
            status = self.one("SELECT status FROM members_application WHERE id = %s", application)
            # The worker tries once while the server is down or silent.
            deadline = time.monotonic() + 60
            tried = None
            while time.monotonic() < deadline:
                tried = self.owed(recipient)
                if tried is None or (tried[0] >= 1 and tried[1]):
                    break
                time.sleep(1)
            hung = server.connections if server else None
        back = time.monotonic()
        self.smtp("up").__enter__()
        no_500 = all("500" not in s and "no answer" not in s for s in saw)

        def check() -> None:
            deadline = back + RETRY_SECONDS if self.engine() else time.monotonic() + 5
            while time.monotonic() < deadline:
                if any(recipient in m.recipients for m in self.mailbox.snapshot()):
                    break
                time.sleep(2)
            time.sleep(5)  # a second copy would come now
            received = [m for m in self.mailbox.snapshot() if recipient in m.recipients]
            after = self.owed(recipient)
            passed = (
                status == "approved"
                and no_500
                and slowest < 10
                and tried is not None
                and tried[0] >= 1
                and len(received) == 1
                and after is not None
                and after[2]
            )
            name = case
            if not passed and not self.engine():
                passed = None
                name += " (waits for the job engine: e-mails queued, retried)"
            first = f"first try failed ({tried[1][:60]!r})" if tried and tried[0] else "not tried"
            self.record(
                name,
                passed,
                f"votes answered {', '.join(saw)} (slowest {slowest:.1f} s)",
                f"application {status}; while SMTP was {mode}: {first}"
                + (f", {hung} connection(s) left hanging" if hung is not None else "")
                + f"; {len(received)} decision e-mail(s) received "
                f"{time.monotonic() - back:.0f} s after SMTP came back"
                + (f"; sent after {after[0]} tries" if after and after[2] else ""),
            )

        return check

    # -- services restarted under load -----------------------------------------------

    def load(self) -> Load:
        """Three visitors, the secretariat's lists, a partner's reports, and check-ins
        at the door (writes)."""
        door = self.data["door"]
        visitors = [(self.client(), ["/", "/directory/", "/workshops/"]) for _ in range(3)]
        staff = [
            (self.signed_in("door", 0), ["/workshops/", f"/workshops/{door}/manage/"]),
            (self.signed_in("partner"), ["/reports/", f"/reports/workshops/{door}/"]),
            (self.signed_in("door", 1), [self.check_in]),
        ]
        return Load(visitors + staff)

    def check_in(self):
        """The next registered person at the door ticked present (a write)."""
        client = self.signed_in("door", 1)
        self.ticked = getattr(self, "ticked", -1) + 1
        attendances = self.data["attendances"]
        day = self.data["door_days"][self.ticked // len(attendances) % len(self.data["door_days"])]
        answer = client.post(
            f"/workshops/{self.data['door']}/check-in/present/",
            [
                ("csrfmiddlewaretoken", client.cookies.get("csrftoken", "")),
                ("attendance", str(attendances[self.ticked % len(attendances)])),
                ("day", day),
                ("q", ""),
            ],
        )
        if answer.status == 302 and "/check-in/" not in answer.location:
            answer.status = 0  # sent elsewhere (to log in): not a check-in
        return answer

    def case_postgres_restart(self) -> None:
        case = "PostgreSQL restarted under load"
        postgres = self.services.postgres
        web_before = self.portal.web_workers()
        with self.load() as load:
            time.sleep(3)
            down = time.monotonic()
            postgres.stop("fast")
            time.sleep(6)
            postgres.start()
            up = time.monotonic()
            time.sleep(15)
        during = load.between(down, up)
        settled = load.between(up + 5, up + 15)
        worker_alive = self.portal.worker.poll() is None
        web_after = self.portal.web_workers()
        job_done = False
        if worker_alive:
            job_done = self.export_ready(
                self.signed_in("partner"), self.ask_background_export(self.signed_in("partner")), 60
            )
        bad_during = [a for a in during if not served(a) and a[2] != 503]
        passed = (
            any(a[2] == 503 for a in during)
            and not bad_during
            and settled
            and all(served(a) for a in settled)
            and web_before == web_after
            and worker_alive
            and job_done
        )
        self.record(
            case,
            passed,
            f"during the 6 s down: {statuses(during)}; from 5 s after its return: "
            f"{statuses(settled)}",
            f"web workers {'the same' if web_before == web_after else 'replaced'} "
            f"({web_before} → {web_after}); background worker "
            f"{'alive' if worker_alive else 'DEAD (exit ' + str(self.portal.worker.poll()) + ')'}"
            f"{', wrote an export after' if job_done else ', wrote no export after'}",
        )
        if not worker_alive:
            self.portal.start_worker()

    def case_redis_restart(self) -> None:
        case = "Redis restarted under load"
        redis = self.services.redis
        with self.load() as load:
            time.sleep(3)
            down = time.monotonic()
            redis.stop()
            time.sleep(8)
            redis.start()
            up = time.monotonic()
            time.sleep(10)
        during = load.between(down, up)
        after = load.between(up, up + 10)
        slowest = max((a[0] for a in during), default=0)
        passed = bool(during) and all(served(a) for a in during + after)
        self.record(
            case,
            passed,
            f"during the 8 s down: {statuses(during)}; after: {statuses(after)}",
            "pages kept serving from the database's cache; sessions kept"
            if passed
            else "some pages failed or signed users out",
        )
        del slowest

    # -- full disks ------------------------------------------------------------------

    def case_media_full(self, media: Path | None) -> None:
        case = "media disk full during an upload"
        if media is None:
            self.record(case, None, "-", "no small file system could be mounted here")
            return
        client = self.signed_in("secretariat")
        workshop = self.data["imports"]
        before = {p for p in media.rglob("*") if p.is_file()}
        documents = "SELECT count(*) FROM workshops_workshopdocument"
        rows_before = self.one(documents)
        with filled(media, leave=256 * 1024):
            path = f"/workshops/{workshop}/documents/new/"
            form = client.form(client.get(path), path, "/documents/")
            pdf = b"%PDF-1.4\n" + b"%" + b"x" * (2 * MIB) + b"\n%%EOF\n"
            answer = client.post_multipart(
                form.action,
                form.values(title="Document de positionnement"),
                {"file": ("positionnement.pdf", pdf, "application/pdf")},
                referer=path,
            )
            left = {p for p in media.rglob("*") if p.is_file() and p.name != FILLER} - before
        rows_after = self.one(documents)
        short = said(answer.text, "disk space", "espace disque")
        passed = answer.status == 503 and short and not left and rows_after == rows_before
        if not passed and not disk_full_page():
            passed = None
            case += " (waits for atomic file writes: the 503 page)"
        self.record(
            case,
            passed,
            f"HTTP {answer.status}{', the short of disk space page' if short else ''}",
            f"{rows_after - rows_before} new document rows; files left: "
            f"{sorted(str(p.relative_to(media)) for p in left) or 'none'}",
        )

    def backup(self, folder: Path) -> subprocess.CompletedProcess:
        """A dated archive in the folder, as the daily timer writes it."""
        return harness.manage(self.services.env, "backup", "--dir", str(folder), check=False)

    def case_backup_full(self, backups: Path | None) -> None:
        case = "backup disk full"
        if backups is None:
            self.record(case, None, "-", "no small file system could be mounted here")
            return
        if not files_work_landed():
            self.record(case + " (waits for the reworked backups)", None, "-", "not run")
            return
        with filled(backups, leave=64 * 1024):
            result = self.backup(backups)
            left = sorted(p.name for p in backups.iterdir() if p.name != FILLER)
        message = (result.stderr.strip().splitlines() or [""])[-1][:160]
        passed = result.returncode != 0 and not left and "Traceback" not in result.stderr
        self.record(
            case,
            passed,
            f"manage.py backup exited {result.returncode}: {message!r}",
            f"files in the backup folder: {left or 'none'}",
        )

    def upload_document(self) -> int:
        """A document the archive must carry: its answer's status."""
        client = self.signed_in("secretariat")
        path = f"/workshops/{self.data['imports']}/documents/new/"
        form = client.form(client.get(path), path, "/documents/")
        pdf = b"%PDF-1.4\n%" + b"y" * 4096 + b"\n%%EOF\n"
        answer = client.post_multipart(
            form.action,
            form.values(title="Relevé des recommandations"),
            {"file": ("recommandations.pdf", pdf, "application/pdf")},
            referer=path,
        )
        return answer.status

    def case_backup_under_load(self, backups: Path | None) -> None:
        case = "backup under load (check-ins meanwhile), checked by restore --check"
        if not files_work_landed():
            self.record(case + " (waits for manage.py restore --check)", None, "-", "not run")
            return
        folder = backups or self.services.folder / "backups"
        folder.mkdir(exist_ok=True)
        uploaded = self.upload_document()
        with self.load() as load:
            time.sleep(2)
            result = self.backup(folder)
        archives = [p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file()]
        archive = archives[0] if len(archives) == 1 else None
        if archive is None:
            self.record(case, False, f"backup exited {result.returncode}", f"archives: {archives}")
            return
        mode = archive.stat().st_mode & 0o777
        check = harness.manage(self.services.env, "restore", "--check", str(archive), check=False)
        out = [line for line in check.stdout.splitlines() if line.strip()]
        sealed = archive.name.endswith(".enc")
        writes = sum(1 for a in load.answers if "check_in" in a[1] and a[2] == 302)
        passed = result.returncode == 0 and check.returncode == 0 and mode == 0o600 and sealed
        passed = passed and uploaded == 302 and writes > 0
        self.record(
            case,
            passed,
            f"backup exited {result.returncode} ({writes} check-ins written meanwhile); "
            f"{archive.name}, mode {mode:o}, {'sealed' if sealed else 'NOT sealed'}; "
            f"restore --check exited {check.returncode}",
            " / ".join(out[-4:])[:400] or check.stderr[-300:],
        )


FILLER = "filler.bin"


@contextmanager
def filled(folder: Path, leave: int):
    """The file system of ``folder`` filled up to ``leave`` bytes free."""
    filler = folder / FILLER
    free = shutil.disk_usage(folder).free
    with filler.open("wb") as out:
        out.truncate(0)
        chunk = b"\0" * MIB
        remaining = free - leave
        while remaining > 0:
            out.write(chunk[: min(len(chunk), remaining)])
            remaining -= len(chunk)
    try:
        yield
    finally:
        filler.unlink()


def small_disk(path: Path, size: str) -> str | None:
    """Mount a small file system on ``path``: tmpfs, else an ext2 image on a loop device.
    How it was mounted, or None when neither works here."""
    path.mkdir(parents=True, exist_ok=True)
    tmpfs = ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)]
    if subprocess.run(tmpfs, capture_output=True).returncode == 0:
        return f"tmpfs of {size}"
    image = path.with_suffix(".img")
    made = subprocess.run(
        ["mkfs.ext2", "-q", "-F", str(image), size.rstrip("m") + "M"], capture_output=True
    )
    if made.returncode == 0:
        mount = ["mount", "-o", "loop", str(image), str(path)]
        if subprocess.run(mount, capture_output=True).returncode == 0:
            return f"ext2 image of {size} on a loop device"
    return None


def unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def disk_full_page() -> bool:
    """Whether the portal answers a full disk with its own page."""
    return (harness.ROOT / "templates/errors/disk_full.html").exists()


def files_work_landed() -> bool:
    """Whether the portal has the reworked backups (manage.py restore --check)."""
    text = (harness.ROOT / "accounts/management/commands/restore.py").read_text()
    return "--check" in text


# The e-mail cases first: their retries (minutes) run while the others do.
CASES = [
    "smtp_down",
    "smtp_hanging",
    "kill_mid_import",
    "kill_mid_vote",
    "kill_mid_erasure",
    "kill_mid_export",
    "postgres_restart",
    "redis_restart",
    "media_full",
    "backup_full",
    "backup_under_load",
]


def main() -> int:
    wanted = [c for c in CASES if not sys.argv[1:] or any(w in c for w in sys.argv[1:])]
    mail_port = harness.free_port()
    services = harness.Services(
        "acrss-faults-",
        ACRSS_APPROVAL_QUORUM="3",
        ACRSS_XLSX_IN_REQUEST_ROWS="200",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(mail_port),
        DJANGO_EMAIL_TIMEOUT="5",
        # Archives sealed with a key of this run's own.
        ACRSS_BACKUP_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
    )
    mounted: list[Path] = []
    with services:
        media, backups = services.folder / "media", services.folder / "backups"
        media_disk = small_disk(media, "24m")
        backup_disk = small_disk(backups, "48m")
        mounted = [p for p, how in ((media, media_disk), (backups, backup_disk)) if how]
        ordinary = "the ordinary disk"
        say(f"media on {media_disk or ordinary}, backups on {backup_disk or ordinary}")
        try:
            say("data set and accounts")
            data = soakdata(services.env, "build", "25", "1")
            services.serve()
            faults = Faults(services, data, mail_port)
            faults.smtp("up").__enter__()
            later = []
            for name in wanted:
                say(f"case: {name}")
                method = getattr(faults, f"case_{name}", None)
                try:
                    if name.startswith("smtp_"):
                        later.append(faults.case_smtp(name.split("_", 1)[1]))
                    elif name == "media_full":
                        faults.case_media_full(media if media_disk else None)
                    elif name.startswith("backup"):
                        method(backups if backup_disk else None)
                    else:
                        method()
                except Exception as error:
                    faults.record(
                        name, False, f"the case broke: {type(error).__name__}: {error}", "-"
                    )
            for check in later:
                say("the e-mails owed while SMTP was away")
                check()
            if faults.mail is not None:
                faults.mail.__exit__()
        finally:
            services.portal and services.portal.stop()
            for path in mounted:
                unmount(path)
    failed = [r for r in faults.results if r.verdict == "FAIL"]
    skipped = [r for r in faults.results if r.verdict == "SKIP"]
    print(
        f"\n{len(faults.results) - len(failed) - len(skipped)} passed, {len(failed)} failed, "
        f"{len(skipped)} skipped"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make soak`: the portal's journeys, mixed, for a long while; then every write counted.

Starts PostgreSQL and Redis of its own (bench/harness.py), builds the small data set
with the soak's accounts, serves the portal as production does (gunicorn, the
background worker, e-mail through SMTP to a local server that keeps what it gets),
and lets simulated users, each a plain HTTP client with its own address, cookies
and sign-in (second factor included), go through their journeys until the time is
up. Then it compares each table's rows with what the users were told was done, and
prints the errors and latencies per kind of request, and the worker's memory.
Exits 1 on a lost or doubled write, an answer 500 or above, or no answer.

    python -m bench.soak [--minutes 30] [--users 50] [--think 1.0]

(or SOAK_MINUTES, SOAK_USERS, SOAK_THINK in the environment).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from openpyxl import Workbook

from bench import harness, run, smtp
from bench.client import Client, NoAnswer
from bench.harness import say

PASSWORD = "Soak-acrss-2022-long-enough"
IMPORT_ROWS = 20
HEADER = ["N°", "Nom et prénom", "Sexe", "Structure", "Fonction", "Téléphone", "Jour 1"]
MESSAGE = re.compile(r'<p class="message[^"]*">\s*(.*?)\s*</p>', re.S)


# -- what the users did ----------------------------------------------------------------


@dataclass
class Tally:
    """Timings per kind of request, and what the users were told was done."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    done: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def record(self, kind: str, status: int | None, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status or "no answer"] += 1

    def count(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.done[what] += n

    def problem(self, text: str) -> None:
        with self.lock:
            self.done["problems"] += 1
            if len(self.problems) < 30:
                self.problems.append(text)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def message_of(html: str) -> str:
    return " ".join(m.strip() for m in MESSAGE.findall(html))


def said(text: str, *phrases: str) -> bool:
    """Whether a message shown holds one of the phrases (each user reads the portal in
    the language of their account: French or English)."""
    return any(phrase in text for phrase in phrases)


def follow(client: Client, answer, kind: str):
    """A redirect followed, as a browser does."""
    if answer.status in (301, 302, 303):
        return client.get(answer.location, kind)
    return answer


# -- the journeys ----------------------------------------------------------------------


class User(threading.Thread):
    """One simulated user, going through its journey until the deadline."""

    def __init__(self, n: int, soak: Soak) -> None:
        super().__init__(daemon=True)
        self.n, self.soak, self.tally = n, soak, soak.tally
        self.rng = random.Random(n)
        self.client = Client(soak.base, self.address(n), record=self.tally.record)

    @staticmethod
    def address(n: int) -> str:
        return f"127.{20 + n // 65536}.{n // 256 % 256}.{n % 256 or 1}"

    def pause(self, factor: float = 1.0) -> None:
        time.sleep(self.soak.think * factor * self.rng.uniform(0.5, 1.5))

    def arrive(self) -> None:
        """Users arrive over the first half minute, not all in the same second."""
        time.sleep(self.rng.uniform(0, min(30, self.soak.minutes * 6)))

    def run(self) -> None:
        self.arrive()
        self.loop()

    def loop(self) -> None:
        while time.monotonic() < self.soak.deadline:
            # What a write in flight would add, until its answer is read: a write whose
            # answer never came may or may not be in the database.
            self.pending: dict[str, int] = {}
            try:
                self.step()
            except NoAnswer as error:
                self.tally.problem(f"{type(self).__name__}: {error}")
                for what, n in self.pending.items():
                    self.tally.count(f"{what} unanswered", n)
                time.sleep(1)
            except Exception as error:
                self.tally.problem(f"{type(self).__name__}: {type(error).__name__}: {error}")
                time.sleep(1)

    def step(self) -> None:
        raise NotImplementedError


class Visitor(User):
    """Anonymous browsing: home, directory, workshops list, a public workshop."""

    def step(self) -> None:
        for kind, path in (
            ("home", "/"),
            ("directory", "/directory/"),
            ("workshops (public)", "/workshops/"),
            ("public workshop", f"/workshops/{self.soak.data['imports']}/"),
        ):
            answer = self.client.get(path, kind)
            if answer.status not in (200, 404):
                self.tally.problem(f"visitor: {path} answered {answer.status}")
            self.pause()


class SignUp(User):
    """A new account, from an address of its own, as each newcomer comes."""

    def step(self) -> None:
        self.n += 10_000  # a new person, a new address
        client = Client(self.soak.base, self.address(self.n), record=self.tally.record)
        page = client.get("/account/signup/", "sign-up form")
        email = f"soak-newcomer-{uuid.uuid4().hex[:12]}@example.org"
        self.pending = {"sign-ups": 1}
        answer = client.submit(
            "/account/signup/",
            page,
            "signup",
            kind="sign-up",
            email=email,
            password1=PASSWORD,
            password2=PASSWORD,
        )
        self.pending = {}
        if answer.status == 302 and "confirm-email" in answer.location:
            self.tally.count("sign-ups")
            self.soak.signed_up.append(email)
        else:
            self.tally.problem(f"sign-up answered {answer.status} {answer.location}")
        self.pause(8)


class StaffUser(User):
    role = ""

    def __init__(self, n: int, soak: Soak, email: str) -> None:
        super().__init__(n, soak)
        self.email = email

    def run(self) -> None:
        self.arrive()
        while time.monotonic() < self.soak.deadline:
            try:
                self.client.sign_in(self.email)
                break
            except (NoAnswer, RuntimeError) as error:
                self.tally.problem(f"sign-in of {self.email}: {error}")
                self.pause(5)  # and tries again, as a person would
        else:
            return
        self.tally.count(f"signed in ({self.role})")
        self.loop()


class Committee(StaffUser):
    """Opens the queue, reads an application, votes on it."""

    role = "committee"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.voted: set[int] = set()

    def step(self) -> None:
        page = self.client.get("/applications/", "committee queue")
        ids = [int(i) for i in re.findall(r'href="/applications/(\d+)/"', page.text)]
        choices = [i for i in dict.fromkeys(ids) if i not in self.voted]
        if not choices:
            self.pause(3)
            return
        pk = self.rng.choice(choices[:20])
        path = f"/applications/{pk}/"
        self.pause(0.5)
        application = self.client.get(path, "application")
        if 'action="' + path + 'vote/"' not in application.text:
            return  # decided meanwhile
        choice = self.rng.choices(["approve", "abstain", "reject"], [75, 20, 5])[0]
        comment = "Dossier incomplet : statuts manquants." if choice == "reject" else ""
        self.pause(0.5)
        self.voted.add(pk)
        self.pending = {"votes": 1}
        answer = self.client.submit(
            path, application, "/vote/", kind="vote", choice=choice, comment=comment
        )
        shown = follow(self.client, answer, "application")
        self.pending = {}
        text = message_of(shown.text)
        if said(text, "Your vote is recorded", "Votre vote est enregistré"):
            self.tally.count("votes")
        elif said(text, "closed", "clos"):
            self.tally.count("votes refused (decided meanwhile)")
        else:
            self.tally.problem(f"vote on {pk}: {answer.status}, then {text[:120]!r}")
        self.pause()


class Secretariat(StaffUser):
    """Imports a typed sign-in sheet: upload, preview, confirm; and reads the lists."""

    role = "secretariat"

    def sheet(self) -> tuple[str, bytes]:
        book = Workbook()
        rows = book.active
        rows.append(HEADER)
        tag = uuid.uuid4().hex[:6]
        for line in range(1, IMPORT_ROWS + 1):
            sex = "F" if line % 2 else "H"
            name = f"Soak{tag}x{line} Traoré"
            rows.append([line, name, sex, "", "Membre", "", "x"])
        buffer = io.BytesIO()
        book.save(buffer)
        return f"feuille-{tag}.xlsx", buffer.getvalue()

    def step(self) -> None:
        workshop = self.soak.data["imports"]
        self.client.get("/workshops/", "workshops (secretariat)")
        self.pause()
        path = f"/workshops/{workshop}/import/"
        page = self.client.get(path, "import form")
        form = self.client.form(page, path, "/import/")
        name, content = self.sheet()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.pause()
        self.pending = {"import uploads": 1}
        answer = self.client.post_multipart(
            form.action,
            form.values(day=self.soak.data["import_day"]),
            {"file": (name, content, mime)},
            kind="import upload",
            referer=path,
        )
        self.pending = {}
        if answer.status != 302:
            self.tally.problem(f"import upload answered {answer.status}: {message_of(answer.text)}")
            return
        self.tally.count("import uploads")
        preview_path = urllib.parse.urlsplit(answer.location).path
        preview = self.client.get(preview_path, "import preview")
        self.pause(2)
        self.pending = {"imports": 1, "imported rows": IMPORT_ROWS}
        confirm = self.client.submit(
            preview_path, preview, "/import/", kind="import confirm", action="confirm"
        )
        shown = follow(self.client, confirm, "workshop management")
        self.pending = {}
        text = message_of(shown.text)
        if said(text, f"{IMPORT_ROWS} people added", f"{IMPORT_ROWS} personnes ajoutées"):
            self.tally.count("imports")
            self.tally.count("imported rows", IMPORT_ROWS)
        else:
            self.tally.problem(f"import confirm: {confirm.status}, then {text[:160]!r}")
        self.pause(10)


class Door(StaffUser):
    """At the door on a phone: finds a registered person by name, ticks them present."""

    role = "door"

    def __init__(self, n: int, soak: Soak, email: str, slot: int, slots: int) -> None:
        super().__init__(n, soak, email)
        data = soak.data
        mine = data["attendances"][slot::slots]
        self.pairs = [(day, a) for day in data["door_days"] for a in mine]

    def step(self) -> None:
        if not self.pairs:
            self.tally.problem("the door ran out of registered people")
            time.sleep(self.soak.deadline - time.monotonic())
            return
        day, attendance = self.pairs.pop(0)
        name = self.soak.data["attendance_names"][str(attendance)]
        door = self.soak.data["door"]
        query = urllib.parse.urlencode({"day": day, "q": name})
        search = f"/workshops/{door}/check-in/?{query}"
        self.client.get(search, "door search")
        self.pause(0.5)
        self.pending = {"check-ins": 1}
        answer = self.client.post(
            f"/workshops/{door}/check-in/present/",
            [
                ("csrfmiddlewaretoken", self.client.cookies.get("csrftoken", "")),
                ("attendance", str(attendance)),
                ("day", day),
                ("q", name),
            ],
            kind="check-in",
            referer=search,
        )
        shown = follow(self.client, answer, "door")
        self.pending = {}
        text = message_of(shown.text)
        if said(text, "already present", "déjà présent"):
            self.tally.problem(f"check-in {attendance} on {day}: already present")
        elif said(text, "is present", "est présent"):
            self.tally.count("check-ins")
        else:
            self.tally.problem(f"check-in {attendance}: {answer.status}, then {text[:120]!r}")
        self.pause()


class Partner(StaffUser):
    """FES staff: the reports of the workshops it funds, a CSV, now and then a large XLSX
    written in the background."""

    role = "partner"

    def step(self) -> None:
        door = self.soak.data["door"]
        self.client.get("/reports/", "report, all workshops")
        self.pause()
        self.client.get(f"/reports/workshops/{door}/", "report, one workshop")
        self.pause()
        self.pending = {"CSV exports": 1}
        answer = self.client.get(f"/reports/workshops/{door}/list.csv", "export CSV")
        self.pending = {}
        if answer.status == 200 and answer.body.count(b"\n") > 1:
            self.tally.count("CSV exports")
        else:
            self.tally.problem(f"CSV export answered {answer.status}")
        self.pause()
        if self.rng.random() < 0.3:
            self.background_export()
        self.pause(3)

    def background_export(self) -> None:
        path = "/reports/export.xlsx"
        self.pending = {"XLSX exports in the request": 1}
        page = self.client.get(path, "export XLSX (asked)")
        self.pending = {}
        if page.headers.get("Content-Type", "").startswith("application/vnd"):
            self.tally.count("XLSX exports in the request")
            return
        self.pending = {"XLSX exports asked": 1}
        answer = self.client.submit(path, page, "export.xlsx", kind="export XLSX (confirmed)")
        self.pending = {}
        if answer.status != 302 or "/reports/exports/" not in answer.location:
            self.tally.problem(f"XLSX export confirmation answered {answer.status}")
            return
        self.tally.count("XLSX exports asked")
        job = urllib.parse.urlsplit(answer.location).path
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(2)
            page = self.client.get(job, "export job page")
            if f'href="{job}file.xlsx"' in page.text:
                workbook = self.client.get(job + "file.xlsx", "export XLSX (file)")
                if workbook.status == 200 and workbook.body[:2] == b"PK":
                    self.tally.count("XLSX exports received")
                else:
                    self.tally.problem(f"XLSX file answered {workbook.status}")
                return
        self.tally.problem(f"XLSX export {job} not ready after 120 s")


# -- the soak --------------------------------------------------------------------------


class Soak:
    def __init__(self, base: str, data: dict, minutes: float, think: float) -> None:
        self.base, self.data, self.think, self.minutes = base, data, think, minutes
        self.tally = Tally()
        self.signed_up: list[str] = []
        self.deadline = time.monotonic() + minutes * 60

    def users(self) -> list[User]:
        roles, accounts = self.data["roles"], self.data["accounts"]
        users: list[User] = []
        n = 0
        for _ in range(roles["anonymous"]):
            users.append(Visitor(n := n + 1, self))
        for _ in range(roles["signup"]):
            users.append(SignUp(n := n + 1, self))
        for email in accounts["committee"]:
            users.append(Committee(n := n + 1, self, email))
        for email in accounts["secretariat"]:
            users.append(Secretariat(n := n + 1, self, email))
        for slot, email in enumerate(accounts["door"]):
            users.append(Door(n := n + 1, self, email, slot, len(accounts["door"])))
        for email in accounts["partner"]:
            users.append(Partner(n := n + 1, self, email))
        return users


def in_django(env: dict, *args: str) -> dict:
    return json.loads(run.in_django(env, *args, module="bench.soakdata"))


def expected_changes(done: Counter) -> dict[str, tuple[str, ...]]:
    """Each table a user's action adds rows to: the actions, each adding one row (an
    import adds one row per line of its sheet)."""
    return {
        "accounts_user": ("sign-ups",),
        "account_emailaddress": ("sign-ups",),
        "members_vote": ("votes",),
        "workshops_person": ("imported rows",),
        "workshops_attendance": ("imported rows",),
        "workshops_attendancefact": ("imported rows",),
        "workshops_presence": ("imported rows", "check-ins"),
        "workshops_attendanceimport": ("import uploads",),
        "reports_exportjob": ("XLSX exports asked",),
        "members_application": (),
        "members_organisation": (),
        "workshops_workshop": (),
    }


def expected_range(done: Counter, actions: tuple[str, ...]) -> tuple[int, int]:
    """Rows acknowledged to the users, and at most those plus the writes whose answer
    never came (each may or may not have been made)."""
    acknowledged = sum(done[a] for a in actions)
    return acknowledged, acknowledged + sum(done[f"{a} unanswered"] for a in actions)


AUDIT_EXPECTED = {
    "application.voted": ("votes",),
    "presence.checked-in": ("check-ins",),
    "attendance.imported": ("imports",),
    "report.exported": ("CSV exports", "XLSX exports in the request", "XLSX exports asked"),
}
# Tables the portal writes on its own account (sessions, caches, used codes, the
# audit log, report summaries): their counts are printed, not compared.
KEPT_BY_THE_PORTAL = (
    "django_session",
    "cache",
    "audit_",
    "summary",
    "scope",
    "workshopday",
    "workshoporganisation",
    "importmapping",
    "usedsecondfactorcode",
    "ratelimitcount",
    "django_tasks",
    "workerheartbeat",
)


def compare(
    before: dict, after: dict, done: Counter, received: list[smtp.Received]
) -> tuple[list[str], bool]:
    lines, ok = [], True

    def judge(label: str, delta: int, actions: tuple[str, ...]) -> None:
        nonlocal ok
        low, high = expected_range(done, actions)
        met = low <= delta <= high
        ok &= met
        wanted = f"{low:+d}" if low == high else f"{low:+d} to {high:+d} (answers lost)"
        lines.append(f"{label}: {delta:+d}, expected {wanted}  {'ok' if met else 'MISMATCH'}")

    expected = expected_changes(done)
    for table in sorted(set(before["tables"]) | set(after["tables"])):
        delta = after["tables"].get(table, 0) - before["tables"].get(table, 0)
        if table == "common_outgoingemail":  # each owed e-mail, sent once
            met = delta == len(received)
            ok &= met
            verdict = "ok" if met else "MISMATCH"
            lines.append(f"{table}: {delta:+d}, e-mails received {len(received)}  {verdict}")
        elif table in expected:
            judge(table, delta, expected[table])
        elif delta and any(part in table for part in KEPT_BY_THE_PORTAL):
            lines.append(f"{table}: {delta:+d} (kept by the portal, not compared)")
        elif delta:
            judge(table, delta, ())
    for action, actions in AUDIT_EXPECTED.items():
        delta = after["audit"].get(action, 0) - before["audit"].get(action, 0)
        judge(f"audit log, {action}", delta, actions)
    confirmations = sum(any(r.startswith("soak-newcomer-") for r in m.recipients) for m in received)
    judge("e-mails to confirm a new account", confirmations, ("sign-ups",))
    copies = Counter((tuple(m.recipients), m.subject, m.body) for m in received)
    doubled = sum(n - 1 for n in copies.values() if n > 1)
    ok &= not doubled
    lines.append(f"e-mails received twice: {doubled}  {'ok' if not doubled else 'MISMATCH'}")
    return lines, ok


def wait_for_worker(env: dict, seconds: float) -> dict:
    """Until no export or e-mail waits (the worker catches up)."""
    deadline = time.monotonic() + seconds
    while True:
        counts = in_django(env, "counts")
        waiting = counts["exports_waiting"] + counts["emails_unsent"]
        if not waiting or time.monotonic() > deadline:
            return counts
        time.sleep(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 30)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("SOAK_USERS", 50)))
    parser.add_argument("--think", type=float, default=float(os.environ.get("SOAK_THINK", 1.0)))
    args = parser.parse_args()

    with (
        smtp.Server() as mail,
        harness.Services(
            "acrss-soak-",
            ACRSS_APPROVAL_QUORUM="3",
            ACRSS_XLSX_IN_REQUEST_ROWS="200",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            DJANGO_EMAIL_HOST="127.0.0.1",
            DJANGO_EMAIL_PORT=str(mail.port),
            DJANGO_EMAIL_TIMEOUT="10",
        ) as services,
    ):
        say(f"data set and the soak's accounts for {args.users} users, {args.minutes:g} min")
        data = in_django(services.env, "build", str(args.users), str(args.minutes))
        before = in_django(services.env, "counts")
        portal = services.serve()
        memory = {"worker": [harness.rss(portal.worker.pid)]}
        memory["web"] = [sum(harness.rss(pid) for pid in portal.web_workers())]
        soak = Soak(portal.base, data, args.minutes, args.think)
        users = soak.users()
        say(f"{len(users)} users: {json.dumps(data['roles'])}; until the time is up")
        started = time.monotonic()
        for user in users:
            user.start()
        reporter = threading.Thread(target=progress, args=(soak, started), daemon=True)
        reporter.start()
        for user in users:
            user.join(max(0.0, soak.deadline - time.monotonic()) + 180)
        elapsed = time.monotonic() - started
        say("the users stopped; the worker finishes what waits")
        after = wait_for_worker(services.env, 120)
        memory["worker"].append(harness.rss(portal.worker.pid))
        memory["web"].append(sum(harness.rss(pid) for pid in portal.web_workers()))
        worker_alive = portal.worker.poll() is None
        received = mail.mailbox.snapshot()
        lines, ok = compare(before, after, soak.tally.done, received)
        failed = report(soak, elapsed, lines, memory, worker_alive, received, args)
    return 1 if failed or not ok else 0


def progress(soak: Soak, started: float) -> None:
    while time.monotonic() < soak.deadline:
        time.sleep(60)
        done = soak.tally.done
        requests = sum(len(t) for t in soak.tally.times.values())
        say(
            f"{(time.monotonic() - started) / 60:.0f} min: {requests} requests, "
            + ", ".join(f"{k} {v}" for k, v in sorted(done.items()))
        )


def report(soak, elapsed, lines, memory, worker_alive, received, args) -> bool:
    tally = soak.tally
    total = sum(len(t) for t in tally.times.values())
    print(
        f"\n## Soak: {args.users} users, {elapsed / 60:.1f} min, think time {args.think:g} s, "
        f"{total} requests ({total / elapsed:.1f}/s) on {os.cpu_count()} cores\n"
    )
    print("| kind of request | requests | errors (≥ 500 or none) | p50 ms | p95 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    bad = 0
    for kind in sorted(tally.times):
        times = tally.times[kind]
        statuses = tally.statuses[kind]
        errors = sum(n for s, n in statuses.items() if s == "no answer" or s >= 500)
        bad += errors
        print(
            f"| {kind} | {len(times)} | {errors} | {percentile(times, 0.5) * 1000:.0f} | "
            f"{percentile(times, 0.95) * 1000:.0f} | {percentile(times, 0.99) * 1000:.0f} |"
        )
    print("\nwhat the users were told was done:")
    for what, n in sorted(tally.done.items()):
        print(f"  {what}: {n}")
    print("\nrows after, against what the users did:")
    for line in lines:
        print(f"  {line}")
    subjects = Counter(m.subject for m in received)
    print(f"\ne-mails received by the local SMTP server: {len(received)}")
    for subject, n in subjects.most_common(8):
        print(f"  {n} × {subject}")
    mb = 2**20
    print(
        f"\nworker RSS: {memory['worker'][0] / mb:.0f} MB at start, "
        f"{memory['worker'][1] / mb:.0f} MB at end ({'alive' if worker_alive else 'DEAD'}); "
        f"gunicorn workers together: {memory['web'][0] / mb:.0f} MB → "
        f"{memory['web'][1] / mb:.0f} MB"
    )
    if tally.problems:
        print(
            f"\nproblems the users met ({tally.done['problems']}, the first {len(tally.problems)}):"
        )
        for problem in tally.problems:
            print(f"  {problem}")
    return bool(bad or tally.done["problems"] or not worker_alive)


if __name__ == "__main__":
    sys.exit(main())

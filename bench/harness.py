"""What every measurement shares (its clock, free ports, production settings, a
server's workers), and services of its own for `make soak` and `make faults`:
PostgreSQL and Redis started in a temporary folder on free ports, and the portal
(gunicorn and the background worker) on production settings against them.

Nothing here touches the machine's PostgreSQL or Redis: each measurement may stop,
restart or fill its own without disturbing anyone.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
STARTED = time.perf_counter()


def say(text: str) -> None:
    print(f"· {time.perf_counter() - STARTED:5.0f} s  {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


def rss(pid: int | None) -> int:
    """Resident memory of a process in bytes; 0 when it is gone."""
    if not pid:
        return 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def children_of(pid: int) -> list[int]:
    return sorted(workers_of(pid))


class Postgres:
    """A throwaway cluster: initdb in a temporary folder, pg_ctl on a free port.

    PostgreSQL refuses to run as root, so the cluster belongs to the postgres user
    when the measurement runs as root.
    """

    def __init__(self, folder: Path) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not bins:
            sys.exit("PostgreSQL's server binaries are missing (/usr/lib/postgresql/*/bin)")
        self.bin = bins[-1].parent
        self.data = folder / "pgdata"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            self.as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        options = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{folder}'",
            "max_connections": 100,
            "shared_buffers": "'128MB'",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in options.items())
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/acrss"
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "acrss")

    def run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bin / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def answers(self) -> bool:
        result = subprocess.run(
            [str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
        )
        return result.returncode == 0

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start")
        wait_for(self.answers, 30, "PostgreSQL")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")


class Redis:
    """redis-server on a free port, nothing written to disk."""

    def __init__(self, folder: Path) -> None:
        if not shutil.which("redis-server"):
            sys.exit("redis-server is missing: apt-get install -y redis-server")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(self.answers, 15, "Redis")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def close(self) -> None:
        self.stop()


def production_environment(
    database_url: str, redis_url: str, secret_key: str, media_root: str
) -> dict[str, str]:
    """Production settings, but plain HTTP on 127.0.0.1 and no e-mail going out."""
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_MEDIA_ROOT=media_root,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_LOG_LEVEL="ERROR",
        ACRSS_REQUIRE_MFA="1",
    )
    return env


def environment(database_url: str, redis_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The benchmark's production settings, behind a pretend proxy (each simulated user
    comes from an address of its own, as real ones do)."""
    env = production_environment(
        database_url, redis_url, secrets.token_urlsafe(50), str(folder / "media")
    )
    env.update(DJANGO_BEHIND_HTTPS_PROXY="1", ACRSS_TRUSTED_PROXIES="1", **extra)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if check and result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def worker_command(env: dict[str, str]) -> list[str]:
    """The portal's background worker: the job engine's (`run_worker`) when the
    portal has it, else the export loop it replaces."""
    commands = manage(env, "help", "--commands").stdout.split()
    if "run_worker" in commands:
        return [sys.executable, "manage.py", "run_worker", "--no-reload"]
    return [sys.executable, "manage.py", "run_export_jobs"]


def has_job_engine(argv: list[str]) -> bool:
    return "run_worker" in argv


class Portal:
    """gunicorn (sync workers, as production runs it) and the background worker."""

    def __init__(self, env: dict[str, str], folder: Path, *, workers: int = 2) -> None:
        self.env = env
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_argv = worker_command(env)

    def start(self) -> None:
        self.start_web()
        self.start_worker()

    def start_web(self) -> None:
        command = [str(VENV_BIN / "gunicorn"), "acrss.wsgi", "--workers", str(self.workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        command += ["--timeout", "60", "--graceful-timeout", "5"]
        log = (self.folder / "gunicorn.log").open("a")
        self.web = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        wait_for(self.healthy, 180, "gunicorn")

    def start_worker(self) -> None:
        log = (self.folder / "worker.log").open("a")
        self.worker = subprocess.Popen(
            self.worker_argv, cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        # Ready once Django is loaded: its memory stops growing.
        last = -1
        for _tick in range(60):
            time.sleep(0.5)
            now = rss(self.worker.pid)
            if self.worker.poll() is not None or (abs(now - last) < 2**20 and now > 40 * 2**20):
                break
            last = now

    def healthy(self) -> bool:
        with urllib.request.urlopen(self.base + "/healthz", timeout=5) as answer:
            return answer.status == 200

    def web_workers(self) -> list[int]:
        return children_of(self.web.pid) if self.web else []

    def kill_web_workers(self) -> list[int]:
        """SIGKILL every gunicorn worker (the master starts new ones)."""
        killed = self.web_workers()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: set(self.web_workers()) - set(killed), 180, "new gunicorn workers")
        wait_for(self.healthy, 180, "gunicorn after the kill")
        return killed

    def kill_worker(self) -> None:
        if self.worker and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait(timeout=10)

    def stop(self) -> None:
        for process in (self.worker, self.web):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()


class Services:
    """PostgreSQL, Redis and the portal of one measurement, in one temporary folder."""

    def __init__(self, prefix: str, **extra_env: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        # PostgreSQL's own account reaches its cluster inside; nothing secret lies here.
        os.chmod(self.folder, 0o755)  # noqa: S103
        self.postgres: Postgres | None = None
        self.redis: Redis | None = None
        self.portal: Portal | None = None
        self.extra_env = extra_env

    def __enter__(self) -> Services:
        # Stopped by a signal, a measurement still stops what it started.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            say(f"own PostgreSQL and Redis in {self.folder}")
            pg_folder = self.folder / "pg"
            pg_folder.mkdir()
            self.postgres = Postgres(pg_folder)
            self.redis = Redis(self.folder)
            self.env = environment(self.postgres.url, self.redis.url, self.folder, **self.extra_env)
            (self.folder / "media").mkdir()
            say(f"PostgreSQL on port {self.postgres.port}, Redis on {self.redis.port}; migrate")
            manage(self.env, "migrate", "--no-input")
            manage(self.env, "collectstatic", "--no-input", "-v0")
        except BaseException:
            self.close()
            raise
        return self

    def serve(self, **options) -> Portal:
        self.portal = Portal(self.env, self.folder, **options)
        self.portal.start()
        return self.portal

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.portal:
            self.portal.stop()
        if self.redis:
            self.redis.close()
        if self.postgres:
            self.postgres.close()
        if os.environ.get("BENCH_KEEP"):
            say(f"kept {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def fetch_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False
